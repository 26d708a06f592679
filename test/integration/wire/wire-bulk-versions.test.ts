import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { findArticleById, SNAPSHOT_FIELDS, updateArticle } from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { createSource, type IngestOutcome, type WireSource } from '../../../src/modules/wire/index.js'
import { aSection, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { ingest, ninjsStory } from '../../support/wire.js'
import { countingOutbox, ingestBatch, storyOf } from '../../support/wire-batch.js'

const story = (n: number, overrides: Record<string, unknown> = {}) =>
  ninjsStory({
    uri: `urn:bulk-versions:story-${n}`,
    headlines: [{ role: 'main', value: `Council budget vote ${n}` }],
    ...overrides,
  })

const newText = (n: number) => ({
  version: '2',
  bodies: [{ role: 'html', contentType: 'text/html', value: `<p>Version two of story ${n}.</p>` }],
  subjects: [{ name: 'Budget' }, { name: 'Weather' }],
})

/** What each context holds before the batch: seven stories, one edited by the desk, one at version 3. */
async function prepare(ctx: TestContext, editor: Actor): Promise<WireSource> {
  await aSection(ctx, 'world')
  const { source } = await createSource(ctx.wire, { name: 'agency', policy: 'publish', section: 'world' })
  const filed = new Map<number, IngestOutcome>()
  for (const n of [1, 2, 3, 4, 5, 6, 7]) filed.set(n, (await ingest(ctx, story(n), { source }))[0]!)
  await ingest(ctx, story(4, { ...newText(4), version: '3' }), { source })
  const desk = (await findArticleById(ctx.handle.db, filed.get(5)!.article!.id))!
  await updateArticle(ctx.articles, editor, desk.id, { version: desk.version, byline: 'Desk' })
  return source
}

/** One of each answer a newer delivery can get, plus two left to the one-by-one path. */
function versionsBatch(): Uint8Array[] {
  return [
    story(1, newText(1)), // updated
    story(2, { version: '2' }), // unchanged: the same content
    story(3), // duplicate
    story(4, { version: '2' }), // older: version 3 is taken
    story(5, newText(5)), // held: the desk changed it
    story(6, { ...newText(6), headlines: [{ role: 'main', value: 'Budget passes' }] }), // slug moves
    story(7, newText(7)), // updated
  ]
}

forEachDialect('wire ingest: newer versions in bulk', (dialect) => {
  let bulk: TestContext
  let single: TestContext
  const sources = new Map<TestContext, WireSource>()

  before(async () => {
    bulk = await createTestContext(dialect)
    single = await createTestContext(dialect)
    sources.set(bulk, await prepare(bulk, await anEditor(bulk, { displayName: 'Desk Editor' })))
    sources.set(single, await prepare(single, await anEditor(single, { displayName: 'Desk Editor' })))
  })
  after(async () => {
    await bulk.destroy()
    await single.destroy()
  })

  const inputs = (ctx: TestContext) =>
    versionsBatch().map((bytes, i) => ({ bytes, origin: `item-${i}.json`, source: sources.get(ctx) }))

  it('answers and applies a batch of known stories in bulk exactly as one by one: outcomes, articles, revisions, events, wire rows', async () => {
    const calls: number[] = []
    const deps = {
      ...bulk.wire,
      articles: { ...bulk.articles, events: countingOutbox(bulk.articles.events, calls) },
    }
    const inBulk = (await ingestBatch(deps, inputs(bulk))).flat()
    const oneByOne: IngestOutcome[] = []
    for (const input of inputs(single)) oneByOne.push(...(await ingest(single, input.bytes, input)))

    assert.deepEqual(
      inBulk.map((o) => o.status),
      ['updated', 'unchanged', 'duplicate', 'older', 'held', 'updated', 'updated'],
    )
    assert.equal(calls[0], 2, 'one appendMany for the two stories updated together')
    for (const [i, outcome] of inBulk.entries())
      assert.deepEqual(await storyOf(bulk, outcome), await storyOf(single, oneByOne[i]!), `item ${i}`)

    const first = await storyOf(bulk, inBulk[0]!)
    assert.equal(first.article.bodyHtml, '<p>Version two of story 1.</p>')
    assert.deepEqual(first.article.topics, [
      ['budget', 'Budget'],
      ['weather', 'Weather'],
    ])
    assert.deepEqual(
      first.revisions.map((r) => [r.version, r.kind, r.changedFields]),
      [
        [3, 'substantive', ['bodyHtml', 'topics']],
        [2, 'published', ['status']],
        [1, 'created', SNAPSHOT_FIELDS],
      ],
    )
    assert.equal((await storyOf(bulk, inBulk[5]!)).article.slug, 'budget-passes')
  })

  it('leaves a batch to the one-by-one path when a story changed under it, and stores it all the same', async () => {
    const source = sources.get(bulk)!
    await ingest(bulk, story(20), { source })
    await ingest(bulk, story(21), { source })
    const calls: number[] = []
    // The bulk step's event append fails once its rows were written: nothing of it may stay.
    const deps = {
      ...bulk.wire,
      articles: {
        ...bulk.articles,
        events: countingOutbox(bulk.articles.events, calls, (e) => e.length > 1),
      },
    }
    const outcomes = (
      await ingestBatch(
        deps,
        [story(20, newText(20)), story(21, newText(21))].map((bytes) => ({
          bytes,
          origin: 'x.json',
          source,
        })),
      )
    ).flat()
    assert.deepEqual(calls, [2, 1, 1])
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['updated', 'updated'],
    )
    for (const outcome of outcomes) {
      const { revisions, wire } = await storyOf(bulk, outcome)
      assert.deepEqual(
        revisions.map((r) => r.version),
        [3, 2, 1],
      )
      assert.deepEqual(
        wire.map((w) => [w.version, w.status]),
        [
          [1, 'created'],
          [2, 'updated'],
        ],
      )
    }
  })
})
