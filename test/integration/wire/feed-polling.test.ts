import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, it } from 'node:test'
import {
  createSource,
  getSourceByName,
  listQuarantine,
  pollDueSources,
  updateSource,
  type PollDeps,
  type WireSource,
} from '../../../src/modules/wire/index.js'
import { aSection, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { startFeedServer, type FeedServer } from '../../support/feed-server.js'
import { SHARED_TESTDATA, rssFeed } from '../../support/wire.js'

const SAMPLE = path.join(SHARED_TESTDATA, 'feeds/node-feedparser-1.1.5/rss2sample.xml')
// The public RSS 2.0 sample when this machine has the shared test data, else a feed of our own.
const FEED = existsSync(SAMPLE)
  ? readFileSync(SAMPLE)
  : rssFeed([
      {
        guid: 'urn:poll:1',
        title: 'Ferry runs again',
        body: '<p>Sailings resume.</p>',
        pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT',
      },
    ])
const LAST_MODIFIED = 'Mon, 02 Mar 2026 08:00:00 GMT'
const INTERVAL = 60

forEachDialect('wire feed polling', (dialect) => {
  let ctx: TestContext
  let server: FeedServer
  let deps: PollDeps
  let source: WireSource

  const count = async (table: 'wire_item' | 'wire_quarantine') =>
    Number(
      (
        await ctx.handle.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const state = async () => (await getSourceByName(ctx.wire, 'town-feed')).poll
  const later = (seconds: number) => new Date(ctx.clock.now().getTime() + seconds * 1000)

  before(async () => {
    ctx = await createTestContext(dialect)
    await aSection(ctx, 'world')
    server = await startFeedServer()
    server.routes.set('/feed.xml', { body: FEED, etag: '"rev-1"', lastModified: LAST_MODIFIED })
    deps = { ...ctx.wire, fetcher: ctx.fetcher }
    source = (
      await createSource(ctx.wire, {
        name: 'town-feed',
        feedUrl: `${server.origin}/feed.xml`,
        pollIntervalSeconds: INTERVAL,
        allowPrivateNetwork: true,
      })
    ).source
  })
  after(async () => {
    await server.close()
    await ctx.destroy()
  })

  it('polls a new source at once and ingests the feed items', async () => {
    assert.equal(source.poll.nextAt?.toISOString(), ctx.clock.now().toISOString())
    const [report, ...others] = await pollDueSources(deps)
    assert.equal(others.length, 0)
    assert.equal(report?.result, 'ingested')
    assert.ok(report.outcomes.some((o) => o.status === 'created'))
    assert.ok(report.outcomes.every((o) => o.status === 'created' || o.status === 'rejected'))
    assert.ok((await count('wire_item')) > 0)
    const poll = await state()
    assert.equal(poll.nextAt?.toISOString(), later(INTERVAL).toISOString())
    assert.equal(poll.failures, 0)
    assert.equal(poll.lastError, null)
  })

  it('does not poll again before the interval is up', async () => {
    ctx.clock.advance((INTERVAL - 1) * 1000)
    const seen = server.requests.length
    assert.deepEqual(await pollDueSources(deps), [])
    assert.equal(server.requests.length, seen)
  })

  it('sends the validators on the next poll and ingests nothing on a 304', async () => {
    ctx.clock.advance(1000)
    const items = await count('wire_item')
    const [report] = await pollDueSources(deps)
    assert.equal(report?.result, 'not-modified')
    const request = server.requests.at(-1)
    assert.equal(request?.headers['if-none-match'], '"rev-1"')
    assert.equal(request?.headers['if-modified-since'], LAST_MODIFIED)
    assert.equal(await count('wire_item'), items)
  })

  it('backs off after errors, doubling the wait, and shows the last error', async () => {
    server.routes.set('/feed.xml', { status: 503, body: 'down for maintenance' })
    ctx.clock.advance(INTERVAL * 1000)
    assert.equal((await pollDueSources(deps))[0]?.result, 'failed')
    let poll = await state()
    assert.equal(poll.failures, 1)
    assert.equal(poll.lastError, `${server.origin}/feed.xml answered 503 Service Unavailable`)
    assert.equal(poll.nextAt?.toISOString(), later(2 * INTERVAL).toISOString())

    ctx.clock.advance(INTERVAL * 1000)
    assert.deepEqual(await pollDueSources(deps), [], 'not due yet while backing off')
    ctx.clock.advance(INTERVAL * 1000)
    assert.equal((await pollDueSources(deps))[0]?.result, 'failed')
    poll = await state()
    assert.equal(poll.failures, 2)
    assert.equal(poll.nextAt?.toISOString(), later(4 * INTERVAL).toISOString())
  })

  it('recovers: the next good answer resets failures and error, and the interval applies again', async () => {
    server.routes.set('/feed.xml', { body: FEED, etag: '"rev-1"', lastModified: LAST_MODIFIED })
    ctx.clock.advance(4 * INTERVAL * 1000)
    assert.equal((await pollDueSources(deps))[0]?.result, 'not-modified')
    const poll = await state()
    assert.equal(poll.failures, 0)
    assert.equal(poll.lastError, null)
    assert.equal(poll.nextAt?.toISOString(), later(INTERVAL).toISOString())
  })

  it('ingests nothing when a server without validators sends the same bytes again', async () => {
    server.routes.set('/feed.xml', { body: FEED })
    ctx.clock.advance(INTERVAL * 1000)
    const [report] = await pollDueSources(deps)
    assert.equal(report?.result, 'unchanged')
    assert.equal(server.requests.at(-1)?.headers['if-none-match'], '"rev-1"')
    ctx.clock.advance(INTERVAL * 1000)
    assert.equal((await pollDueSources(deps))[0]?.result, 'unchanged')
    assert.equal(server.requests.at(-1)?.headers['if-none-match'], undefined)
  })

  it('keeps a refused feed document as the last error without quarantining it again each poll', async () => {
    server.routes.set('/feed.xml', { body: '<html><body>Moved</body></html>', contentType: 'text/html' })
    ctx.clock.advance(INTERVAL * 1000)
    const quarantined = await count('wire_quarantine')
    const [report] = await pollDueSources(deps)
    assert.equal(report?.result, 'refused')
    assert.equal(await count('wire_quarantine'), quarantined + 1)
    const [entry] = await listQuarantine(ctx.handle.db, { limit: 1 })
    assert.equal(entry?.origin, 'feed town-feed')
    assert.equal(
      (await state()).lastError,
      'the feed document was refused: an HTML page, not a news document or feed',
    )
    ctx.clock.advance(INTERVAL * 1000)
    assert.equal((await pollDueSources(deps))[0]?.result, 'unchanged')
    assert.equal(await count('wire_quarantine'), quarantined + 1)
    assert.match((await state()).lastError ?? '', /^the feed document was refused/)
  })

  it('lets only one of two pollers running at once fetch a due source', async () => {
    server.routes.set('/feed.xml', { body: FEED, etag: '"rev-2"' })
    ctx.clock.advance(INTERVAL * 1000)
    const seen = server.requests.length
    const rounds = await Promise.all([pollDueSources(deps), pollDueSources(deps), pollDueSources(deps)])
    assert.equal(rounds.flat().length, 1)
    assert.equal(server.requests.length, seen + 1)
  })

  it('polls a changed feed URL at once, without the old validators or failures', async () => {
    server.routes.set('/other.xml', { body: FEED, etag: '"other"' })
    await updateSource(ctx.wire, 'town-feed', { feedUrl: `${server.origin}/other.xml` })
    const [report] = await pollDueSources(deps)
    assert.equal(report?.result, 'ingested')
    assert.equal(server.requests.at(-1)?.headers['if-none-match'], undefined)
    assert.ok(report.outcomes.length > 0, 'the new feed was read')
    assert.ok(report.outcomes.every((o) => o.status === 'duplicate' || o.status === 'rejected'))
  })

  it('refuses to poll a loopback feed once the source no longer allows private networks', async () => {
    await updateSource(ctx.wire, 'town-feed', {
      allowPrivateNetwork: false,
      feedUrl: `${server.origin}/feed.xml`,
    })
    const seen = server.requests.length
    const [report] = await pollDueSources(deps)
    assert.equal(report?.result, 'failed')
    assert.match(report.reason ?? '', /^127\.0\.0\.1 is a loopback address/)
    assert.equal(server.requests.length, seen)
    assert.match((await state()).lastError ?? '', /loopback/)
  })
})

forEachDialect('wire feed polling when ingest itself fails', (dialect) => {
  let ctx: TestContext
  let server: FeedServer

  before(async () => {
    ctx = await createTestContext(dialect)
    server = await startFeedServer()
    server.routes.set('/feed.xml', { body: FEED, etag: '"e"' })
    await createSource(ctx.wire, {
      name: 'early-feed',
      feedUrl: `${server.origin}/feed.xml`,
      pollIntervalSeconds: INTERVAL,
      allowPrivateNetwork: true,
    })
  })
  after(async () => {
    await server.close()
    await ctx.destroy()
  })

  it('records why the feed could not be ingested, backs off, and ingests once the cause is fixed', async () => {
    const deps = { ...ctx.wire, fetcher: ctx.fetcher }
    const [failed] = await pollDueSources(deps)
    assert.equal(failed?.result, 'failed')
    const poll = (await getSourceByName(ctx.wire, 'early-feed')).poll
    assert.equal(poll.failures, 1)
    assert.match(
      poll.lastError ?? '',
      /^could not ingest the feed: there is no section to file wire stories in/,
    )

    await aSection(ctx, 'world')
    ctx.clock.advance(2 * INTERVAL * 1000)
    const [ingested] = await pollDueSources(deps)
    assert.equal(ingested?.result, 'ingested')
    assert.equal(
      server.requests.at(-1)?.headers['if-none-match'],
      undefined,
      'no validators kept from a failed ingest',
    )
    assert.equal((await getSourceByName(ctx.wire, 'early-feed')).poll.lastError, null)
  })
})
