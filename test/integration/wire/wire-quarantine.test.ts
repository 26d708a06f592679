import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, it } from 'node:test'
import type { EventOutbox } from '../../../src/modules/events/index.js'
import {
  DEFAULT_WIRE_LIMITS,
  findQuarantinedBytes,
  ingestDocument,
  listQuarantine,
} from '../../../src/modules/wire/index.js'
import { aSection, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { HAS_SHARED_TESTDATA, SHARED_TESTDATA, ingest, ninjsStory, rssFeed } from '../../support/wire.js'

const bytes = (text: string) => new TextEncoder().encode(text)

forEachDialect('wire ingest: quarantine and batches', (dialect) => {
  let ctx: TestContext

  const count = async (table: 'article' | 'wire_item') => {
    const row = await ctx.handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  before(async () => {
    ctx = await createTestContext(dialect)
    await aSection(ctx, 'world')
  })
  after(() => ctx.destroy())

  it('quarantines invalid XML with its original bytes and the line and column at fault', async () => {
    const document = bytes('<?xml version="1.0"?>\n<newsItem guid="x">\n  <headline>Open</newsItem>')
    const [outcome] = await ingest(ctx, document, { origin: 'drop/broken.xml' })
    assert.equal(outcome?.status, 'rejected')
    assert.match(outcome?.reason ?? '', /^invalid XML at line 3, column \d+: /)
    assert.deepEqual(await findQuarantinedBytes(ctx.handle.db, outcome.quarantineId!), document)
    const [listed] = await listQuarantine(ctx.handle.db, { limit: 1 })
    assert.equal(listed?.origin, 'drop/broken.xml')
    assert.equal(listed?.size, document.length)
    assert.equal(listed?.reason, outcome?.reason)
  })

  it('keeps one open entry for the same bytes refused again from the same place, and a new one for other bytes', async () => {
    const document = bytes('{"uri": "u:again", "headline": "Twice", ')
    const first = await ingest(ctx, document, { origin: 'drop/again.json' })
    const second = await ingest(ctx, document, { origin: 'drop/again.json' })
    assert.equal(second[0]?.status, 'rejected')
    assert.equal(second[0]?.quarantineId, first[0]?.quarantineId)
    const other = await ingest(ctx, bytes('{"uri": "u:again", "headline": "Thrice", '), {
      origin: 'drop/again.json',
    })
    assert.notEqual(other[0]?.quarantineId, first[0]?.quarantineId)
    const open = await listQuarantine(ctx.handle.db, { limit: 500 })
    assert.equal(open.filter((entry) => entry.origin === 'drop/again.json').length, 2)
  })

  it('quarantines invalid JSON, a missing headline and wrong types, each with its own reason', async () => {
    const reasons = []
    for (const document of [
      bytes('{"uri": "u:1", "headline": '),
      ninjsStory({ uri: 'u:no-headline', headlines: undefined }),
      ninjsStory({ uri: 'u:typed', urgency: [1] }),
    ]) {
      const [outcome] = await ingest(ctx, document)
      assert.equal(outcome?.status, 'rejected')
      reasons.push(outcome?.reason)
    }
    assert.match(reasons[0] ?? '', /^invalid JSON: /)
    assert.equal(reasons[1], 'the item has no headline ("headlines" (or "headline" in ninjs 1.x))')
    assert.equal(reasons[2], '"urgency" must be a whole number, not an array')
  })

  it('quarantines external entities and entity bombs without expanding them', async () => {
    const [outcome] = await ingest(
      ctx,
      bytes(
        '<!DOCTYPE d [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;&a;">]><rss version="2.0"><channel>&b;</channel></rss>',
      ),
    )
    assert.equal(
      outcome?.reason,
      'the DOCTYPE declares entities; external entities and entity expansion are refused',
    )
  })

  it(
    'quarantines every XXE sample of the shared test data',
    { skip: HAS_SHARED_TESTDATA ? false : 'no shared test data beside the repository' },
    async () => {
      const folder = path.join(SHARED_TESTDATA, 'payloads/XXE Injection/Files')
      for (const name of readdirSync(folder)) {
        const outcomes = await ingest(ctx, readFileSync(path.join(folder, name)), { origin: name })
        assert.deepEqual(
          outcomes.map((o) => o.status),
          ['rejected'],
          name,
        )
      }
    },
  )

  it('keeps the first 64 KiB of a document over the size limit, recording its real size', async () => {
    const limits = { ...DEFAULT_WIRE_LIMITS, maxBytes: 1000 }
    const big = ninjsStory({ bodies: [{ value: 'x'.repeat(100_000) }] })
    const [outcome] = await ingestDocument({ ...ctx.wire, limits }, { bytes: big, origin: 'big.json' })
    assert.equal(outcome?.status, 'rejected')
    assert.equal(
      outcome?.reason,
      `the document is ${big.length} bytes; the limit is 1000 bytes (the first 65536 bytes are kept)`,
    )
    const [listed] = await listQuarantine(ctx.handle.db, { limit: 1 })
    assert.equal(listed?.size, big.length)
    assert.equal((await findQuarantinedBytes(ctx.handle.db, listed.id))?.length, 65536)
  })

  it('goes on with the rest of a batch after refusing one item, quarantining only that item', async () => {
    const outcomes = await ingest(
      ctx,
      rssFeed([
        {
          guid: 'https://gazette.test/a',
          title: 'First',
          body: 'One.',
          pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT',
        },
        { guid: 'https://gazette.test/b', body: 'No title.', pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT' },
        {
          guid: 'https://gazette.test/c',
          title: 'Third',
          body: 'Three.',
          pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT',
        },
      ]),
      { origin: 'gazette.xml' },
    )
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['created', 'rejected', 'created'],
    )
    const [listed] = await listQuarantine(ctx.handle.db, { limit: 1 })
    assert.equal(listed?.origin, 'gazette.xml https://gazette.test/b')
    const kept = new TextDecoder().decode(await findQuarantinedBytes(ctx.handle.db, listed.id))
    assert.match(kept, /^<item><guid>https:\/\/gazette\.test\/b<\/guid>/)
  })

  it('commits nothing for an item whose transaction fails midway, and takes it exactly once when run again', async () => {
    let cut = false
    const failing: EventOutbox = {
      append: (trx, event) => failing.appendMany(trx, [event]),
      async appendMany(trx, events) {
        if (!cut && events.some((e) => e.type === 'article.created')) {
          cut = true
          throw new Error('power cut')
        }
        await ctx.wire.events.appendMany(trx, events)
      },
    }
    const document = ninjsStory({ uri: 'urn:crash:1' })
    const articlesBefore = await count('article')
    const itemsBefore = await count('wire_item')
    await assert.rejects(
      ingestDocument(
        { ...ctx.wire, articles: { ...ctx.articles, events: failing } },
        { bytes: document, origin: 'x' },
      ),
      /power cut/,
    )
    assert.equal(await count('article'), articlesBefore)
    assert.equal(await count('wire_item'), itemsBefore)

    assert.equal((await ingest(ctx, document))[0]?.status, 'created')
    assert.equal((await ingest(ctx, document))[0]?.status, 'duplicate')
    assert.equal(await count('article'), articlesBefore + 1)
    assert.equal(await count('wire_item'), itemsBefore + 1)
  })

  it('lists open quarantine entries newest first and leaves resolved ones out', async () => {
    ctx.clock.advance(60_000)
    const [outcome] = await ingest(ctx, bytes('not news'), { origin: 'latest.txt' })
    await ctx.handle.db
      .updateTable('wire_quarantine')
      .set({ resolved_at: ctx.clock.now() })
      .where('origin', '=', 'drop/broken.xml')
      .execute()
    const open = await listQuarantine(ctx.handle.db, { limit: 100 })
    assert.equal(open[0]?.id, outcome?.quarantineId)
    assert.equal(open[0]?.reason, 'not JSON or XML: it begins with "not news"')
    assert.ok(!open.some((q) => q.origin === 'drop/broken.xml'))
    const all = await listQuarantine(ctx.handle.db, { limit: 100, includeResolved: true })
    assert.ok(all.some((q) => q.origin === 'drop/broken.xml'))
  })
})
