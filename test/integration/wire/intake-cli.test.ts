import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, it } from 'node:test'
import type { CliIo } from '../../../src/cli/commands.js'
import { loadConfig } from '../../../src/config/load-config.js'
import { runCli } from '../../../src/main/cli.js'
import { createContext } from '../../../src/main/context.js'
import { pollDueSources } from '../../../src/modules/wire/index.js'
import { createTestDatabase, forEachDialect, type TestDatabase } from '../../support/dialects.js'
import { startFeedServer, type FeedServer } from '../../support/feed-server.js'
import { ninjsStory, rssFeed } from '../../support/wire.js'

const FEED = rssFeed([
  {
    guid: 'urn:cli-feed:1',
    title: 'Council votes on bridge',
    body: '<p>It passed.</p>',
    pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT',
  },
  {
    guid: 'urn:cli-feed:2',
    title: 'Market opens late',
    body: '<p>Stalls were wet.</p>',
    pubDate: 'Mon, 02 Mar 2026 09:00:00 GMT',
  },
])

forEachDialect('dateline ingest <url> and source feed, folder and update options', (dialect) => {
  let dataDir: string
  let database: TestDatabase | undefined
  let env: Record<string, string>
  let server: FeedServer
  const run = async (args: string[]) => {
    const stdout: string[] = []
    const stderr: string[] = []
    const io: CliIo = {
      env: { LOG_LEVEL: 'silent', ...env },
      cwd: dataDir,
      out: (line) => stdout.push(...line.split('\n')),
      err: (line) => stderr.push(line),
    }
    const code = await runCli(args, io)
    return { code, stdout, stderr }
  }

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dateline-intake-cli-'))
    env = { DATELINE_DATA_DIR: dataDir, PUBLIC_URL: 'http://news.test' }
    if (dialect === 'postgres') {
      database = await createTestDatabase('postgres')
      if (database.config.dialect === 'postgres') env['DATABASE_URL'] = database.config.url
    }
    server = await startFeedServer()
    server.routes.set('/feed.xml', { body: FEED, etag: '"a"' })
    server.routes.set('/story.json', {
      body: ninjsStory({ uri: 'urn:cli-url:1' }),
      contentType: 'application/json',
    })
    assert.equal((await run(['sample'])).code, 0)
  })
  after(async () => {
    await server.close()
    await database?.destroy()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('creates a source with a feed, interval, private-network allowance and watch folder, and lists them', async () => {
    const created = await run([
      'source',
      'create',
      '--name',
      'local-wire',
      '--feed',
      `${server.origin}/feed.xml?key=s3cret`,
      '--poll-interval',
      '60',
      '--allow-private-network',
      '--watch-folder',
      'local-wire',
    ])
    assert.equal(created.code, 0, created.stderr.join('\n'))
    assert.equal(created.stdout[0], 'Created wire source local-wire (auto, queue)')
    const listed = await run(['source', 'list'])
    const fields = listed.stdout.find((l) => l.startsWith('local-wire\t'))?.split('\t') ?? []
    assert.deepEqual(fields.slice(6, 10), [`${server.origin}/feed.xml?…`, '60s', 'private-ok', 'local-wire'])
    assert.match(fields[10] ?? '', /^\d{4}-\d\d-\d\dT/)
    assert.deepEqual(fields.slice(11), ['0', '-'])
    assert.ok(!listed.stdout.join('\n').includes('s3cret'), 'the feed key is not shown')
  })

  it('ingests a feed and a document by URL through a source that allows private networks', async () => {
    const result = await run([
      'ingest',
      '--source',
      'local-wire',
      `${server.origin}/feed.xml`,
      `${server.origin}/story.json`,
    ])
    assert.equal(result.code, 0, result.stderr.join('\n'))
    assert.equal(result.stdout.length, 3, result.stdout.join('\n'))
    assert.match(
      result.stdout[0] ?? '',
      new RegExp(`^created\\tarticle \\d+ \\(draft\\)\\t${server.origin}/feed\\.xml urn:cli-feed:1$`),
    )
    assert.match(result.stdout[2] ?? '', /^created\tarticle \d+ \(draft\)\t.*\/story\.json urn:cli-url:1$/)
  })

  it('refuses a loopback URL without such a source, with one line on stderr and exit 1', async () => {
    const seen = server.requests.length
    const result = await run(['ingest', `${server.origin}/feed.xml?token=abc`])
    assert.equal(result.code, 1)
    assert.deepEqual(result.stdout, [])
    assert.equal(
      result.stderr[0],
      `dateline ingest: ${server.origin}/feed.xml?…: 127.0.0.1 is a loopback address; only public addresses are fetched unless the source allows private networks`,
    )
    assert.equal(server.requests.length, seen)
    const ftp = await run(['ingest', 'ftp://example.org/feed.xml'])
    assert.deepEqual(ftp.stderr, [
      'dateline ingest: ftp://example.org/feed.xml: only http and https URLs are fetched',
    ])
  })

  it('shows the last poll error and the failures in a row in the list', async () => {
    server.routes.set('/feed.xml', { status: 500 })
    const ctx = await createContext(loadConfig({ LOG_LEVEL: 'silent', ...env }, dataDir))
    try {
      const [report] = await pollDueSources({ ...ctx.wire, fetcher: ctx.fetcher })
      assert.equal(report?.result, 'failed')
    } finally {
      await ctx.close()
      server.routes.set('/feed.xml', { body: FEED, etag: '"a"' })
    }
    const fields = (await run(['source', 'list'])).stdout
      .find((l) => l.startsWith('local-wire\t'))
      ?.split('\t')
    assert.deepEqual(fields?.slice(11), [
      '1',
      `${server.origin}/feed.xml?… answered 500 Internal Server Error`,
    ])
  })

  it('updates only the options given: stops polling, refuses private networks, issues a new push token', async () => {
    const updated = await run([
      'source',
      'update',
      '--name',
      'local-wire',
      '--no-feed',
      '--refuse-private-network',
      '--push',
      '--credit',
      'Local Wire',
    ])
    assert.equal(updated.code, 0, updated.stderr.join('\n'))
    assert.equal(updated.stdout[0], 'Updated wire source local-wire (auto, queue)')
    assert.match(updated.stdout[1] ?? '', /^dlw_[\w-]{40,}$/)
    const fields = (await run(['source', 'list'])).stdout
      .find((l) => l.startsWith('local-wire\t'))
      ?.split('\t')
    assert.deepEqual(fields, [
      'local-wire',
      'auto',
      'queue',
      '-',
      'push',
      'Local Wire',
      '-',
      '-',
      '-',
      'local-wire',
      '-',
      '0',
      '-',
    ])
  })

  it('names the bad option: a feed that is not http(s), a folder outside the watch root, an interval out of range', async () => {
    const cases: [string[], RegExp][] = [
      [['--feed', 'ftp://example.org/x'], /feedUrl: must be an http or https URL/],
      [['--watch-folder', '../../etc'], /watchFolder: must be a folder inside .*incoming/],
      [['--poll-interval', '1'], /pollIntervalSeconds: must be a whole number of seconds from 10 to 86400/],
      [['--poll-interval', 'often'], /--poll-interval must be a whole number of seconds/],
    ]
    for (const [args, message] of cases) {
      const result = await run(['source', 'update', '--name', 'local-wire', ...args])
      assert.equal(result.code, 2, args.join(' '))
      assert.match(result.stderr[0] ?? '', message)
    }
    const unknown = await run(['source', 'update', '--name', 'nobody', '--credit', 'x'])
    assert.deepEqual(unknown.stderr, ['dateline source update: no wire source named "nobody"'])
  })
})
