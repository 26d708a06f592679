import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCli } from '../../../src/main/cli.js'
import { createTestDatabase, forEachDialect, type TestDatabase } from '../../support/dialects.js'
import { ninjsStory } from '../../support/wire.js'

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../bin/dateline.js')
// Several batches of BATCH items, so the kill can land between two commits.
const STORIES = 60
const SECOND_VERSIONS = 20
const BATCH = '10'

function headline(story: number, version: number): string {
  return `Story ${story} at version ${version}`
}

/** Runs `dateline ingest` in a child; with killAfterLines, SIGKILLs it once that many lines are out. */
function ingestChild(
  env: Record<string, string>,
  dir: string,
  killAfterLines?: number,
): Promise<{ lines: string[]; stderr: string; signal: NodeJS.Signals | null; code: number | null }> {
  const child = spawn(process.execPath, [BIN, 'ingest', '--publish', '--batch', BATCH, dir], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<{ signal: NodeJS.Signals | null; code: number | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return (async () => {
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line)
      if (killAfterLines !== undefined && lines.length === killAfterLines) child.kill('SIGKILL')
    }
    return { lines, stderr, ...(await exited) }
  })()
}

forEachDialect('a dateline ingest killed mid-folder and run again', (dialect) => {
  let work: string
  let database: TestDatabase
  let env: Record<string, string>

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'dateline-ingest-crash-'))
    database = await createTestDatabase(dialect)
    const config = database.config
    env = {
      DATELINE_DATA_DIR: work,
      DATABASE_URL: config.dialect === 'sqlite' ? `sqlite:${config.file}` : config.url,
    }
    const io = { env: { LOG_LEVEL: 'silent', ...env }, cwd: work, out: () => undefined, err: () => undefined }
    assert.equal(await runCli(['sample'], io), 0)
    const drop = path.join(work, 'drop')
    mkdirSync(drop)
    for (let story = 0; story < STORIES; story++) {
      writeFileSync(path.join(drop, `s${story}-v1.json`), item(story, 1))
      if (story < SECOND_VERSIONS) writeFileSync(path.join(drop, `s${story}-v2.json`), item(story, 2))
    }
  })
  after(async () => {
    await database.destroy()
    rmSync(work, { recursive: true, force: true })
  })

  function item(story: number, version: number): Uint8Array {
    return ninjsStory({
      uri: `urn:crash:${story}`,
      version: String(version),
      versionCreated: new Date(Date.UTC(2026, 2, 2, 8, story, version)).toISOString(),
      headlines: [{ role: 'main', value: headline(story, version) }],
    })
  }

  it(
    'loses no item it reported, duplicates none, and ends with every story at its newest version',
    { timeout: 300_000 },
    async () => {
      const killed = await ingestChild(env, path.join(work, 'drop'), 1)
      assert.equal(killed.signal, 'SIGKILL', `the first run was killed, not finished: ${killed.stderr}`)
      assert.ok(
        killed.lines.length < STORIES + SECOND_VERSIONS,
        'the kill landed before the end of the folder',
      )
      const db = database.handle.db
      const reported = killed.lines.filter((l) => /^(created|updated)\t/.test(l))
      assert.ok(reported.length > 0, 'the first run reported a committed batch before the kill')
      const storedAfterKill = await db.selectFrom('wire_item').select('guid').execute()
      const stored = new Set(storedAfterKill.map((r) => r.guid))
      for (const line of reported) {
        const guid = /urn:crash:\d+$/.exec(line)?.[0]
        assert.ok(guid && stored.has(guid), `reported but not stored: ${line}`)
      }

      const rerun = await ingestChild(env, path.join(work, 'drop'))
      assert.equal(
        rerun.code,
        0,
        rerun.stderr + rerun.lines.filter((l) => l.startsWith('rejected')).join('\n'),
      )
      const rows = await db
        .selectFrom('wire_item')
        .innerJoin('article', 'article.id', 'wire_item.article_id')
        .select([
          'wire_item.guid',
          'wire_item.version',
          'wire_item.article_id',
          'article.headline',
          'article.status',
        ])
        .execute()
      const byGuid = new Map<string, typeof rows>()
      for (const row of rows) byGuid.set(row.guid, [...(byGuid.get(row.guid) ?? []), row])
      assert.equal(byGuid.size, STORIES, 'every story is there')
      for (const [guid, versions] of byGuid) {
        const story = Number(guid.split(':').at(-1))
        const articles = new Set(versions.map((v) => v.article_id))
        assert.equal(articles.size, 1, `${guid} landed on one article, not ${articles.size}`)
        const keys = versions.map((v) => v.version)
        assert.equal(new Set(keys).size, keys.length, `${guid} has no version twice`)
        const newest = story < SECOND_VERSIONS ? 2 : 1
        assert.equal(versions[0]?.headline, headline(story, newest), `${guid} shows version ${newest}`)
        assert.equal(versions[0]?.status, 'published')
      }
      const wireArticles = await db
        .selectFrom('article')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('headline', 'like', 'Story %')
        .executeTakeFirstOrThrow()
      assert.equal(Number(wireArticles.n), STORIES, 'no story was created twice')
    },
  )
})
