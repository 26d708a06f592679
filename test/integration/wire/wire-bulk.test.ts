import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createTopic } from '../../../src/modules/taxonomy/index.js'
import { createSource, type IngestOutcome, type WireSource } from '../../../src/modules/wire/index.js'
import { aSection, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { ingest, ninjsStory } from '../../support/wire.js'
import { countingOutbox, ingestBatch, storyOf } from '../../support/wire-batch.js'

const story = (n: number, overrides: Record<string, unknown> = {}) =>
  ninjsStory({
    uri: `urn:bulk:story-${n}`,
    headlines: [{ role: 'main', value: `Ferry strike day ${n}` }],
    ...overrides,
  })

/** The batch both paths take: same headlines twice, a taken slug, topics meeting by alias. */
function freshBatch(): Uint8Array[] {
  return [
    story(1, { subjects: [{ name: 'Trump' }, { name: 'Weather' }] }),
    story(2, {
      subjects: [{ name: 'Donald Trump' }],
      headlines: [{ role: 'main', value: 'Storm closes port' }],
    }),
    story(3, {
      subjects: [{ name: 'Weather' }, { name: 'Ferries' }],
      headlines: [{ role: 'main', value: 'Storm closes port' }],
    }),
    story(4, { headlines: [{ role: 'main', value: 'Harbour reopens' }], urgency: 1 }),
    story(5, { subjects: [] }),
  ]
}

forEachDialect('wire ingest: fresh stories in bulk', (dialect) => {
  let bulk: TestContext
  let single: TestContext
  const sources = new Map<TestContext, WireSource>()

  async function prepare(ctx: TestContext) {
    await aSection(ctx, 'world')
    const { source } = await createSource(ctx.wire, { name: 'agency', policy: 'publish', section: 'world' })
    sources.set(ctx, source)
    await createTopic(ctx.taxonomy, { name: 'Donald Trump', aliases: ['Trump'] })
    // Takes the slug "harbour-reopens" before the batch arrives.
    await ingest(ctx, story(99, { headlines: [{ role: 'main', value: 'Harbour reopens' }] }), { source })
  }

  before(async () => {
    bulk = await createTestContext(dialect)
    single = await createTestContext(dialect)
    await prepare(bulk)
    await prepare(single)
  })
  after(async () => {
    await bulk.destroy()
    await single.destroy()
  })

  const inputs = (ctx: TestContext, documents: Uint8Array[]) =>
    documents.map((bytes, i) => ({ bytes, origin: `item-${i}.json`, source: sources.get(ctx) }))

  it('creates a batch of new stories in bulk exactly as one by one: articles, revisions, events, topics, slugs, wire rows', async () => {
    const calls: number[] = []
    const deps = {
      ...bulk.wire,
      articles: { ...bulk.articles, events: countingOutbox(bulk.articles.events, calls) },
    }
    const inBulk = (await ingestBatch(deps, inputs(bulk, freshBatch()))).flat()
    assert.deepEqual(calls, [10], 'one appendMany for the created and published events of all five')

    const oneByOne: IngestOutcome[] = []
    for (const input of inputs(single, freshBatch()))
      oneByOne.push(...(await ingest(single, input.bytes, input)))

    assert.deepEqual(
      inBulk.map((o) => o.status),
      ['created', 'created', 'created', 'created', 'created'],
    )
    for (const [i, outcome] of inBulk.entries())
      assert.deepEqual(await storyOf(bulk, outcome), await storyOf(single, oneByOne[i]!), `item ${i}`)

    const first = await storyOf(bulk, inBulk[0]!)
    assert.deepEqual(first.article.topics, [
      ['donald-trump', 'Donald Trump'],
      ['weather', 'Weather'],
    ])
    assert.deepEqual(
      first.revisions.map((r) => [r.kind, r.version]),
      [
        ['published', 2],
        ['created', 1],
      ],
    )
    assert.deepEqual(first.revisions[1]?.changedFields, Object.keys(first.revisions[1]!.snapshot))
    assert.deepEqual(
      first.events.map(([type]) => type),
      ['article.created', 'article.published'],
    )
    const slugs = await Promise.all(inBulk.map(async (o) => (await storyOf(bulk, o)).article.slug))
    assert.deepEqual(slugs, [
      'ferry-strike-day-1',
      'storm-closes-port',
      'storm-closes-port-2',
      'harbour-reopens-2',
      'ferry-strike-day-5',
    ])
    const trump = await bulk.handle.db
      .selectFrom('topic')
      .select('slug')
      .where('slug', 'like', '%trump%')
      .execute()
    assert.deepEqual(
      trump.map((t) => t.slug),
      ['donald-trump'],
    )
  })

  it('reports every outcome of a mixed batch in order and quarantines only the refused item', async () => {
    const source = sources.get(bulk)!
    await ingest(bulk, story(20), { source })
    await ingest(bulk, story(21), { source })
    await ingest(bulk, story(22), { source })
    const quarantined = async () =>
      (await bulk.handle.db.selectFrom('wire_quarantine').select('id').execute()).length
    const before = await quarantined()
    const calls: number[] = []
    const deps = {
      ...bulk.wire,
      articles: { ...bulk.articles, events: countingOutbox(bulk.articles.events, calls) },
    }
    const outcomes = await ingestBatch(
      deps,
      inputs(bulk, [
        story(30),
        story(20, { version: '2', headlines: [{ role: 'main', value: 'Ferry strike ends' }] }),
        story(21),
        story(22, { headlines: [{ role: 'main', value: 'Same version, other words' }] }),
        story(31),
        story(20, { version: '3', pubStatus: 'canceled' }),
        story(32),
      ]),
    )
    assert.deepEqual(
      outcomes.map((o) => o.map((x) => x.status)),
      [['created'], ['updated'], ['duplicate'], ['rejected'], ['created'], ['withdrawn'], ['created']],
    )
    assert.equal(calls[0], 6, 'the three new stories went in bulk')
    assert.equal(await quarantined(), before + 1)
    assert.match(outcomes[3]![0]!.reason ?? '', /already taken with different content/)
  })

  it('falls back to one by one when the bulk step fails, with nothing of it half-written', async () => {
    const db = bulk.handle.db
    const count = async (table: 'article' | 'wire_item' | 'event' | 'article_revision') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const counts = async () =>
      Promise.all([count('article'), count('wire_item'), count('event'), count('article_revision')])
    const [articles, items, events, revisions] = await counts()
    const calls: number[] = []
    // The bulk step's appendMany (six events) fails after its articles and rows were written.
    const outbox = countingOutbox(bulk.articles.events, calls, (e) => e.length > 2)
    const deps = { ...bulk.wire, articles: { ...bulk.articles, events: outbox } }
    const outcomes = await ingestBatch(deps, inputs(bulk, [story(40), story(41), story(42)]))
    assert.deepEqual(calls, [6, 2, 2, 2])
    assert.deepEqual(
      outcomes.map((o) => o.map((x) => [x.status, x.article?.status])),
      [[['created', 'published']], [['created', 'published']], [['created', 'published']]],
    )
    assert.deepEqual(await counts(), [articles + 3, items + 3, events + 6, revisions + 6])
    const slugs = await db
      .selectFrom('article')
      .select('slug')
      .where('slug', 'like', 'ferry-strike-day-4%')
      .execute()
    assert.deepEqual(slugs.map((s) => s.slug).sort(), [
      'ferry-strike-day-40',
      'ferry-strike-day-41',
      'ferry-strike-day-42',
    ])
  })
})
