import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../src/config/load-config.js'
import { createContext } from '../../src/main/context.js'
import { startServer, type RunningServer } from '../../src/main/server.js'
import { createSource } from '../../src/modules/wire/index.js'
import { aSection } from '../support/builders.js'
import { startFeedServer, type FeedServer } from '../support/feed-server.js'
import { ninjsStory, rssFeed } from '../support/wire.js'

describe('dateline start takes in wire copy by itself', () => {
  let dataDir: string
  let feeds: FeedServer
  let server: RunningServer | undefined

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dateline-intake-'))
    feeds = await startFeedServer()
    feeds.routes.set('/feed.xml', {
      body: rssFeed([
        {
          guid: 'urn:start:feed',
          title: 'Tide tables printed',
          body: '<p>At last.</p>',
          pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT',
        },
      ]),
      etag: '"1"',
    })
    const loaded = loadConfig({ DATELINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, dataDir)
    const config = { ...loaded, http: { ...loaded.http, port: 0 } }
    const setup = await createContext(config)
    await aSection(setup, 'world')
    await createSource(
      { ...setup.wire, watchRoot: setup.watchRoot },
      { name: 'local', feedUrl: `${feeds.origin}/feed.xml`, allowPrivateNetwork: true, watchFolder: 'local' },
    )
    await setup.close()
    // Dropped while the server was down, finished a minute ago.
    const folder = path.join(dataDir, 'incoming', 'local')
    mkdirSync(folder, { recursive: true })
    writeFileSync(path.join(folder, 'story.json'), ninjsStory({ uri: 'urn:start:folder' }))
    const minuteAgo = new Date(Date.now() - 60_000)
    utimesSync(path.join(folder, 'story.json'), minuteAgo, minuteAgo)
    server = await startServer(config, { logger: false })
  })
  after(async () => {
    await server?.close()
    await feeds.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('polls the feed and ingests the watch folder without being asked', async () => {
    const guids = async () =>
      (await server!.ctx.handle.db.selectFrom('wire_item').select('guid').execute()).map((r) => r.guid).sort()
    const moved = path.join(dataDir, 'incoming', 'local', 'processed', 'story.json')
    // Waits for the background rounds; the assertions are on what arrived, not on how fast.
    for (let i = 0; i < 100 && ((await guids()).length < 2 || !existsSync(moved)); i++) await sleep(100)
    assert.deepEqual(await guids(), ['urn:start:feed', 'urn:start:folder'])
    assert.ok(existsSync(moved))
    assert.equal(feeds.requests.length, 1)
  })
})
