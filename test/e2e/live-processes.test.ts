import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../src/config/load-config.js'
import { startServer, type RunningServer } from '../../src/main/server.js'
import { createArticle, publishArticle, type ArticleView } from '../../src/modules/articles/index.js'
import { createApiToken, createUser } from '../../src/modules/auth/index.js'
import { createSection } from '../../src/modules/taxonomy/index.js'
import { createTestDatabase, HAS_POSTGRES, type TestDatabase } from '../support/dialects.js'
import { openSse, type SseClient } from '../support/sse.js'
import { ninjsStory } from '../support/wire.js'

const run = promisify(execFile)
const BIN = path.resolve('bin/dateline.js')

async function aServer(env: Record<string, string>): Promise<RunningServer & { dataDir: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dateline-live-'))
  const loaded = loadConfig({ DATELINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }, process.cwd())
  // Port 0: the system picks a free port and startServer reports the address it got.
  const config = { ...loaded, http: { ...loaded.http, port: 0 } }
  const server = await startServer(config, { logger: false, passwordCost: { N: 1024, r: 8, p: 1 } })
  return Object.assign(server, { dataDir })
}

interface Update {
  id: number
  headline: string
}

describe('live updates from another process on SQLite', () => {
  let server: RunningServer & { dataDir: string }
  const clients: SseClient[] = []

  before(async () => {
    server = await aServer({})
    await createSection(server.ctx.taxonomy, { slug: 'news', name: 'News' })
  })
  after(async () => {
    for (const client of clients) client.close()
    await server.close()
    rmSync(server.dataDir, { recursive: true, force: true })
  })

  const ingest = async (version: string, headline: string) => {
    const file = path.join(server.dataDir, `harbour-${version}.json`)
    writeFileSync(
      file,
      ninjsStory({
        version,
        versionCreated: `2026-03-02T0${version}:00:00Z`,
        headlines: [{ role: 'main', value: headline }],
      }),
    )
    const { stdout } = await run(process.execPath, [BIN, 'ingest', '--publish', file], {
      env: { ...process.env, DATELINE_DATA_DIR: server.dataDir, LOG_LEVEL: 'silent' },
    })
    return stdout
  }

  it('reaches an open front page when `dateline ingest` publishes a story, and its page when a new version arrives', async () => {
    const front = await openSse(`${server.url}/live?list=front`)
    clients.push(front)
    assert.match(await ingest('1', 'Harbour wall breached in overnight storm'), /^created\t/)
    const story = JSON.parse((await front.waitFor((e) => e.event === 'story')).data) as Update
    assert.equal(story.headline, 'Harbour wall breached in overnight storm')

    const page = await openSse(`${server.url}/live?article=${story.id}`)
    clients.push(page)
    assert.match(await ingest('2', 'Harbour wall breach: residents return home'), /^updated\t/)
    const update = JSON.parse((await page.waitFor((e) => e.event === 'article')).data) as Update
    assert.deepEqual([update.id, update.headline], [story.id, 'Harbour wall breach: residents return home'])
  })
})

describe(
  'live updates across two nodes on PostgreSQL',
  { skip: HAS_POSTGRES ? false : 'PostgreSQL not reachable' },
  () => {
    let database: TestDatabase
    let nodeA: RunningServer & { dataDir: string }
    let nodeB: RunningServer & { dataDir: string }
    let token: string
    let story: ArticleView
    const clients: SseClient[] = []

    before(async () => {
      database = await createTestDatabase('postgres')
      if (database.config.dialect !== 'postgres') throw new Error('expected PostgreSQL')
      const env = { DATABASE_URL: database.config.url }
      nodeA = await aServer(env)
      nodeB = await aServer(env)
      const user = await createUser(nodeA.ctx.auth, {
        email: 'two.nodes@dateline.invalid',
        displayName: 'Two Nodes',
        role: 'editor',
        password: 'correct-horse-battery-staple',
      })
      token = (await createApiToken(nodeA.ctx.auth, user.id, 'live test')).token
      await createSection(nodeA.ctx.taxonomy, { slug: 'news', name: 'News' })
      const actor = { userId: user.id, role: 'editor', via: 'cli' } as const
      const draft = await createArticle(nodeA.ctx.articles, actor, {
        headline: 'Power cut hits the east of the city',
        section: 'news',
        bodyHtml: '<p>Thousands of homes lost power.</p>',
      })
      story = await publishArticle(nodeA.ctx.articles, actor, draft.id)
    })
    after(async () => {
      for (const client of clients) client.close()
      await nodeA?.close()
      await nodeB?.close()
      await database?.destroy()
      for (const node of [nodeA, nodeB]) if (node) rmSync(node.dataDir, { recursive: true, force: true })
    })

    it('sends a reader connected to node B an edit saved through the API of node A', async () => {
      const reader = await openSse(`${nodeB.url}/live?article=${story.id}`)
      clients.push(reader)
      assert.equal(reader.status, 200)
      const response = await fetch(`${nodeA.url}/api/v1/articles/${story.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          version: story.version,
          headline: 'Power back on across the east of the city',
        }),
      })
      assert.equal(response.status, 200)
      // Node B may still be passing on the story's publication when the reader connects.
      const event = await reader.waitFor(
        (e) => e.event === 'article' && (JSON.parse(e.data) as Update).headline !== story.headline,
      )
      const update = JSON.parse(event.data) as Update
      assert.equal(update.headline, 'Power back on across the east of the city')
    })
  },
)
