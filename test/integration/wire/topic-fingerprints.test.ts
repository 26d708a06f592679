import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { findArticleById, toArticleView, updateArticle } from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { mergeTopics, updateTopic } from '../../../src/modules/taxonomy/index.js'
import { createSource, type IngestOutcome, type WireSource } from '../../../src/modules/wire/index.js'
import { aSection, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { ingest, ninjsStory, textOnlyFingerprint } from '../../support/wire.js'

function only(outcomes: IngestOutcome[]): IngestOutcome {
  assert.equal(outcomes.length, 1, JSON.stringify(outcomes))
  return outcomes[0]!
}

forEachDialect("wire ingest: a story's topic renamed or merged", (dialect) => {
  let ctx: TestContext
  let editor: Actor
  let source: WireSource

  const view = async (id: number) => toArticleView(ctx.handle.db, (await findArticleById(ctx.handle.db, id))!)
  /** Version n of one agency story filed under these subjects. */
  const version = (uri: string, n: number, subjects: string[]) =>
    ninjsStory({
      uri,
      version: String(n),
      headlines: [{ role: 'main', value: `Ceasefire talks, ${uri}` }],
      bodies: [{ role: 'html', contentType: 'text/html', value: `<p>Agency text, version ${n}.</p>` }],
      subjects: subjects.map((name) => ({ name })),
    })
  const file = async (uri: string, subjects: string[]) =>
    only(await ingest(ctx, version(uri, 1, subjects), { source })).article!.id

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
    await aSection(ctx, 'world')
    source = (await createSource(ctx.wire, { name: 'agency', policy: 'publish', section: 'world' })).source
  })
  after(() => ctx.destroy())

  it('applies the next version of an unedited story whose topic was merged away, even under a text-only fingerprint', async () => {
    const fresh = await file('urn:talks:1', ['Gaza', 'Hamas'])
    const older = await file('urn:talks:2', ['Hamas', 'Gaza', 'Gaza Strip'])
    // Stored as a release before the f2: mark left it.
    await ctx.handle.db
      .updateTable('wire_item')
      .set({ article_hash: textOnlyFingerprint(await view(older)) })
      .where('guid', '=', 'urn:talks:2')
      .execute()

    await mergeTopics(ctx.taxonomy, { into: 'gaza-strip', from: 'gaza' })

    assert.equal(
      only(await ingest(ctx, version('urn:talks:1', 2, ['Gaza', 'Hamas']), { source })).status,
      'updated',
    )
    assert.equal(
      only(await ingest(ctx, version('urn:talks:2', 2, ['Hamas', 'Gaza', 'Gaza Strip']), { source })).status,
      'updated',
    )
    assert.deepEqual(
      (await view(fresh)).topics.map((t) => t.slug),
      ['gaza-strip', 'hamas'],
    )
    assert.deepEqual(
      (await view(older)).topics.map((t) => t.slug),
      ['hamas', 'gaza-strip'],
    )
  })

  it("still holds the next version of a story an editor changed before its topic's slug moved", async () => {
    const id = await file('urn:talks:3', ['Qatar'])
    await updateArticle(ctx.articles, editor, id, {
      byline: 'Desk rewrite',
      version: (await view(id)).version,
    })

    await updateTopic(ctx.taxonomy, 'qatar', { name: 'State of Qatar' })

    const next = only(await ingest(ctx, version('urn:talks:3', 2, ['Qatar']), { source }))
    assert.equal(next.status, 'held')
    const now = await view(id)
    assert.equal(now.byline, 'Desk rewrite')
    assert.deepEqual(
      now.topics.map((t) => t.slug),
      ['state-of-qatar'],
    )
  })
})
