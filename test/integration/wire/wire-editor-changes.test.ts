import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  findArticleById,
  setEmbargo,
  toArticleView,
  updateArticle,
  type UpdateArticleInput,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { createSource, type IngestOutcome, type WireSource } from '../../../src/modules/wire/index.js'
import { aSection, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { ingest, ninjsStory, textOnlyFingerprint } from '../../support/wire.js'
import { countingOutbox, ingestBatch } from '../../support/wire-batch.js'

const HOUR = 60 * 60 * 1000
let storyCounter = 0

/** A story of its own per use, as the agency files it: `agency` sets the fields under test. */
function aStory(agency: Record<string, unknown> = {}) {
  storyCounter += 1
  const uri = `urn:newsml:example-agency.test:20260302:edited-${storyCounter}`
  const version = (n: number) =>
    ninjsStory({
      uri,
      version: String(n),
      headlines: [{ role: 'main', value: `Flood defences tested, story ${storyCounter}` }],
      bodies: [{ role: 'html', contentType: 'text/html', value: `<p>Agency text, version ${n}.</p>` }],
      ...agency,
    })
  return { uri, version }
}

type Edit = Omit<UpdateArticleInput, 'version'>

/** The fields the wire sets that an editor may change, each with the agency's value and the desk's. */
const DESK_CHANGES: {
  field: 'breaking' | 'dateline' | 'language'
  agency: Record<string, unknown>
  edit: Edit
}[] = [
  { field: 'breaking', agency: { urgency: 1 }, edit: { breaking: false } },
  { field: 'dateline', agency: { located: 'LONDON' }, edit: { dateline: 'WESTMINSTER' } },
  { field: 'language', agency: { language: 'en' }, edit: { language: 'cy' } },
]

function only(outcomes: IngestOutcome[]): IngestOutcome {
  assert.equal(outcomes.length, 1, JSON.stringify(outcomes))
  return outcomes[0]!
}

forEachDialect("wire ingest: an editor's change to any field the wire sets", (dialect) => {
  let ctx: TestContext
  let editor: Actor
  let source: WireSource

  const view = async (id: number) => toArticleView(ctx.handle.db, (await findArticleById(ctx.handle.db, id))!)
  const file = async (bytes: Uint8Array) => only(await ingest(ctx, bytes, { source })).article!.id
  const edit = async (id: number, change: Edit) =>
    updateArticle(ctx.articles, editor, id, { ...change, version: (await view(id)).version })
  const batch = (documents: Uint8Array[], calls: number[] = []) =>
    ingestBatch(
      { ...ctx.wire, articles: { ...ctx.articles, events: countingOutbox(ctx.articles.events, calls) } },
      documents.map((bytes, i) => ({ bytes, origin: `item-${i}.json`, source })),
    ).then((outcomes) => outcomes.flat())
  /** Rewrites the story's wire rows as a release before the wider fingerprint left them. */
  const storeTextOnlyFingerprint = async (uri: string, id: number) => {
    const articleHash = textOnlyFingerprint(await view(id))
    await ctx.handle.db
      .updateTable('wire_item')
      .set({ article_hash: articleHash })
      .where('guid', '=', uri)
      .execute()
  }

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
    await aSection(ctx, 'world')
    source = (await createSource(ctx.wire, { name: 'agency', policy: 'publish', section: 'world' })).source
  })
  after(() => ctx.destroy())

  for (const { field, agency, edit: change } of DESK_CHANGES) {
    it(`holds the next agency version of a story whose ${field} an editor changed, keeping the editor's ${field}`, async () => {
      const story = aStory(agency)
      const id = await file(story.version(1))
      const edited = await edit(id, change)
      const next = only(await ingest(ctx, story.version(2), { source }))
      assert.equal(next.status, 'held')
      const now = await view(id)
      assert.equal(now[field], edited[field])
      assert.equal(now.bodyHtml, '<p>Agency text, version 1.</p>')
    })
  }

  it('holds the next agency version of a draft whose embargo an editor lifted, leaving the embargo lifted', async () => {
    const queued = (await createSource(ctx.wire, { name: 'agency-queue', section: 'world' })).source
    const story = aStory({ embargoed: new Date(ctx.clock.now().getTime() + 2 * HOUR).toISOString() })
    const id = only(await ingest(ctx, story.version(1), { source: queued })).article!.id
    assert.notEqual((await view(id)).embargoUntil, null)
    await setEmbargo(ctx.articles, editor, id, null)
    const next = only(await ingest(ctx, story.version(2), { source: queued }))
    assert.equal(next.status, 'held')
    assert.equal((await view(id)).embargoUntil, null)
  })

  it("holds in a batch every story whose breaking flag, dateline or language an editor changed, and applies the others' versions together", async () => {
    const edited = DESK_CHANGES.map(({ agency }) => aStory(agency))
    const untouched = [aStory(), aStory()]
    const ids = []
    for (const story of [...edited, ...untouched]) ids.push(await file(story.version(1)))
    const kept = []
    for (const [i, { edit: change }] of DESK_CHANGES.entries()) kept.push(await edit(ids[i]!, change))

    const calls: number[] = []
    const outcomes = await batch(
      [...edited, ...untouched].map((story) => story.version(2)),
      calls,
    )
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['held', 'held', 'held', 'updated', 'updated'],
    )
    assert.equal(calls[0], 2, 'the two untouched stories are updated together')
    for (const [i, { field }] of DESK_CHANGES.entries())
      assert.equal((await view(ids[i]!))[field], kept[i]![field], field)
    assert.equal((await view(ids[3]!)).bodyHtml, '<p>Agency text, version 2.</p>')
  })

  it('gives the next agency version to a story nobody changed, one by one and in a batch', async () => {
    const story = aStory({ urgency: 1, located: 'LONDON' })
    const id = await file(story.version(1))
    assert.equal(only(await ingest(ctx, story.version(2), { source })).status, 'updated')

    const others = [aStory({ urgency: 1 }), aStory({ located: 'CARDIFF' })]
    for (const other of others) await file(other.version(1))
    const outcomes = await batch([story.version(3), ...others.map((other) => other.version(2))])
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['updated', 'updated', 'updated'],
    )
    const now = await view(id)
    assert.equal(now.bodyHtml, '<p>Agency text, version 3.</p>')
    assert.equal(now.breaking, true)
    assert.equal(now.dateline, 'LONDON')
  })

  it('still updates an unedited story whose last version was stored with the text-only fingerprint, and holds an edited one', async () => {
    const unedited = aStory()
    const untouchedId = await file(unedited.version(1))
    await storeTextOnlyFingerprint(unedited.uri, untouchedId)
    assert.equal(only(await ingest(ctx, unedited.version(2), { source })).status, 'updated')

    const rewritten = aStory()
    const rewrittenId = await file(rewritten.version(1))
    await storeTextOnlyFingerprint(rewritten.uri, rewrittenId)
    await edit(rewrittenId, { headline: 'Flood defences hold, the desk writes' })
    assert.equal(only(await ingest(ctx, rewritten.version(2), { source })).status, 'held')
    assert.equal((await view(rewrittenId)).headline, 'Flood defences hold, the desk writes')
  })

  it('takes text-only fingerprints in a batch alike, and once a version lands there, holds the next after a breaking change', async () => {
    const unedited = [aStory({ urgency: 1 }), aStory({ urgency: 1 })]
    const rewritten = aStory()
    const ids = []
    for (const story of [...unedited, rewritten]) {
      const id = await file(story.version(1))
      await storeTextOnlyFingerprint(story.uri, id)
      ids.push(id)
    }
    await edit(ids[2]!, { byline: 'Desk' })
    const outcomes = await batch([...unedited, rewritten].map((story) => story.version(2)))
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['updated', 'updated', 'held'],
    )

    await edit(ids[0]!, { breaking: false })
    const later = await batch(unedited.map((story) => story.version(3)))
    assert.deepEqual(
      later.map((o) => o.status),
      ['held', 'updated'],
    )
    assert.equal((await view(ids[0]!)).breaking, false)
  })
})
