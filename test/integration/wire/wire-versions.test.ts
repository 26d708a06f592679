import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  findArticleById,
  listRevisions,
  toArticleView,
  updateArticle,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { createSource, type IngestOutcome, type WireSource } from '../../../src/modules/wire/index.js'
import { aSection, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { ingest, ninjsStory, rssFeed } from '../../support/wire.js'

const HOUR = 60 * 60 * 1000
let storyCounter = 0

/** A fresh story id per test, so tests do not see each other's versions. */
function newUri(): string {
  storyCounter += 1
  return `urn:newsml:example-agency.test:20260302:story-${storyCounter}`
}

function only(outcomes: IngestOutcome[]): IngestOutcome {
  assert.equal(outcomes.length, 1, JSON.stringify(outcomes))
  return outcomes[0]!
}

forEachDialect('wire ingest: versions and duplicates', (dialect) => {
  let ctx: TestContext
  let editor: Actor
  let publishing: WireSource

  const view = async (id: number) => toArticleView(ctx.handle.db, (await findArticleById(ctx.handle.db, id))!)
  const wireRows = (guid: string) =>
    ctx.handle.db.selectFrom('wire_item').selectAll().where('guid', '=', guid).orderBy('version').execute()

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
    await aSection(ctx, 'world')
    await aSection(ctx, 'business')
    publishing = (
      await createSource(ctx.wire, { name: 'agency-live', policy: 'publish', section: 'business' })
    ).source
  })
  after(() => ctx.destroy())

  it('files a new story as a draft in the first section of the site order, credited to the agency, with no staff author', async () => {
    const uri = newUri()
    const outcome = only(await ingest(ctx, ninjsStory({ uri })))
    assert.equal(outcome.status, 'created')
    assert.equal(outcome.article?.status, 'draft')
    const article = await view(outcome.article.id)
    assert.equal(article.headline, 'Harbour wall breached in overnight storm')
    assert.deepEqual(article.keyPoints, ['Sea water reached the high street'])
    assert.equal(article.section.slug, 'business', 'Business sorts before World at the same position')
    assert.equal(article.byline, 'Sam Reporter')
    assert.equal(article.sourceCredit, 'Example Agency')
    assert.deepEqual(article.authors, [])
    assert.deepEqual(
      article.topics.map((t) => t.slug),
      ['weather', 'westmere'],
    )
    const [revision] = await listRevisions(ctx.handle.db, article.id)
    assert.equal(revision?.userId, null)
    const [row] = await wireRows(uri)
    assert.equal(row?.status, 'created')
    assert.equal(row?.article_id, article.id)
    assert.equal(row?.version, 1)
  })

  it('carries urgency as the breaking flag, the located place as the dateline and the language', async () => {
    const urgent = only(
      await ingest(
        ctx,
        ninjsStory({ uri: newUri(), urgency: 1, located: 'Lisbon, Portugal', language: 'PT_pt' }),
      ),
    )
    const article = await view(urgent.article!.id)
    assert.equal(article.breaking, true)
    assert.equal(article.dateline, 'Lisbon, Portugal')
    assert.equal(article.language, 'pt-pt')

    const routine = only(
      await ingest(ctx, ninjsStory({ uri: newUri(), urgency: 5, language: 'not a language' })),
    )
    const calm = await view(routine.article!.id)
    assert.equal(calm.breaking, false)
    assert.equal(calm.dateline, 'Westmere')
    assert.equal(calm.language, 'en', 'a language that is no tag leaves the default')
  })

  it('updates the same article with a new revision when a newer version of the story arrives', async () => {
    const uri = newUri()
    const first = only(await ingest(ctx, ninjsStory({ uri, version: '1' })))
    const second = only(
      await ingest(
        ctx,
        ninjsStory({
          uri,
          version: '2',
          headlines: [{ role: 'main', value: 'Harbour wall repaired within a day' }],
        }),
      ),
    )
    assert.equal(second.status, 'updated')
    assert.equal(second.article?.id, first.article?.id)
    const article = await view(second.article!.id)
    assert.equal(article.headline, 'Harbour wall repaired within a day')
    const revisions = await listRevisions(ctx.handle.db, article.id)
    assert.deepEqual(
      revisions.map((r) => r.kind),
      ['substantive', 'created'],
    )
    assert.deepEqual(
      (await wireRows(uri)).map((r) => [r.version, r.status]),
      [
        [1, 'created'],
        [2, 'updated'],
      ],
    )
  })

  it('ignores an older version that arrives after a newer one', async () => {
    const uri = newUri()
    const newer = only(
      await ingest(ctx, ninjsStory({ uri, version: '3', headlines: [{ value: 'Third version' }] })),
    )
    const older = only(
      await ingest(ctx, ninjsStory({ uri, version: '2', headlines: [{ value: 'Second version' }] })),
    )
    assert.equal(older.status, 'older')
    assert.equal(older.reason, 'version 2 is older than version 3 already taken')
    assert.equal((await view(newer.article!.id)).headline, 'Third version')
    assert.equal((await wireRows(uri)).length, 1)
  })

  it('does nothing at all for an identical re-delivery', async () => {
    const uri = newUri()
    const first = only(await ingest(ctx, ninjsStory({ uri })))
    const events = await ctx.handle.db.selectFrom('event').select('id').execute()
    const again = only(await ingest(ctx, ninjsStory({ uri })))
    assert.equal(again.status, 'duplicate')
    assert.equal(again.article?.id, first.article?.id)
    assert.equal((await listRevisions(ctx.handle.db, first.article!.id)).length, 1)
    assert.equal((await wireRows(uri)).length, 1)
    assert.equal((await ctx.handle.db.selectFrom('event').select('id').execute()).length, events.length)
  })

  it('moves the public Updated time only when a new version changes the content', async () => {
    const uri = newUri()
    const published = only(await ingest(ctx, ninjsStory({ uri, version: '1' }), { source: publishing }))
    assert.equal(published.article?.status, 'published')
    assert.equal(published.article?.path.startsWith('/business/'), true)
    const firstUpdated = (await view(published.article.id)).publicUpdatedAt

    ctx.clock.advance(HOUR)
    const same = only(await ingest(ctx, ninjsStory({ uri, version: '2' }), { source: publishing }))
    assert.equal(same.status, 'unchanged')
    assert.deepEqual((await view(published.article.id)).publicUpdatedAt, firstUpdated)
    assert.equal((await listRevisions(ctx.handle.db, published.article.id)).length, 2)

    ctx.clock.advance(HOUR)
    const changed = only(
      await ingest(
        ctx,
        ninjsStory({
          uri,
          version: '3',
          bodies: [{ contentType: 'text/html', value: '<p>The wall held on the second night.</p>' }],
        }),
        { source: publishing },
      ),
    )
    assert.equal(changed.status, 'updated')
    const after = await view(published.article.id)
    assert.deepEqual(after.publicUpdatedAt, ctx.clock.now())
    assert.equal(after.bodyHtml, '<p>The wall held on the second night.</p>')
  })

  it('holds a new agency version when an editor has changed the story, keeping the editor text', async () => {
    const uri = newUri()
    const first = only(await ingest(ctx, ninjsStory({ uri, version: '1' })))
    const before = await view(first.article!.id)
    await updateArticle(ctx.articles, editor, before.id, {
      version: before.version,
      headline: 'Our own headline, rewritten by the desk',
    })
    const held = only(
      await ingest(ctx, ninjsStory({ uri, version: '2', headlines: [{ value: 'Agency headline v2' }] })),
    )
    assert.equal(held.status, 'held')
    assert.match(held.reason ?? '', /an editor changed the story; agency version 2 is held for review/)
    assert.equal((await view(before.id)).headline, 'Our own headline, rewritten by the desk')
    const rows = await wireRows(uri)
    assert.equal(rows[1]?.status, 'held')
    assert.equal((JSON.parse(rows[1].item) as { headline: string }).headline, 'Agency headline v2')
    const heldEvent = await ctx.handle.db
      .selectFrom('event')
      .selectAll()
      .where('type', '=', 'wire.version_held')
      .where('article_id', '=', before.id)
      .executeTakeFirst()
    assert.ok(heldEvent, 'a wire.version_held event tells the newsroom')

    const third = only(
      await ingest(ctx, ninjsStory({ uri, version: '3', headlines: [{ value: 'Agency headline v3' }] })),
    )
    assert.equal(third.status, 'held')
    assert.equal((await view(before.id)).headline, 'Our own headline, rewritten by the desk')
  })

  it('keeps updating a story an editor only published, without changing its text', async () => {
    const uri = newUri()
    const first = only(await ingest(ctx, ninjsStory({ uri, version: '1' }), { publish: true }))
    assert.equal(first.article?.status, 'published')
    const next = only(
      await ingest(ctx, ninjsStory({ uri, version: '2', headlines: [{ value: 'Later headline' }] })),
    )
    assert.equal(next.status, 'updated')
    assert.equal(next.article?.status, 'published')
  })

  it('schedules a story under embargo for the embargo time instead of publishing it', async () => {
    const embargo = new Date(ctx.clock.now().getTime() + 2 * HOUR)
    const outcome = only(
      await ingest(ctx, ninjsStory({ uri: newUri(), embargoed: embargo.toISOString() }), {
        source: publishing,
      }),
    )
    assert.equal(outcome.article?.status, 'scheduled')
    assert.deepEqual((await view(outcome.article.id)).scheduledAt, embargo)
  })

  it('keeps a story without a body as a draft even when the policy is publish, and says why', async () => {
    const outcome = only(await ingest(ctx, ninjsStory({ uri: newUri(), bodies: [] }), { source: publishing }))
    assert.equal(outcome.status, 'created')
    assert.equal(outcome.article?.status, 'draft')
    assert.match(outcome.reason ?? '', /^not published: bodyHtml is required to publish/)
  })

  it('updates a feed story when its guid returns with new content, and ignores a copy dated earlier', async () => {
    const guid = `https://gazette.test/story-${newUri()}`
    const first = only(
      await ingest(
        ctx,
        rssFeed([
          { guid, title: 'Bridge closed', body: 'Closed.', pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT' },
        ]),
      ),
    )
    const second = only(
      await ingest(
        ctx,
        rssFeed([{ guid, title: 'Bridge reopens', body: 'Open.', pubDate: 'Mon, 02 Mar 2026 10:00:00 GMT' }]),
      ),
    )
    assert.equal(second.status, 'updated')
    assert.equal(second.article?.id, first.article?.id)
    const stale = only(
      await ingest(
        ctx,
        rssFeed([{ guid, title: 'Bridge shaky', body: 'Hmm.', pubDate: 'Mon, 02 Mar 2026 09:00:00 GMT' }]),
      ),
    )
    assert.equal(stale.status, 'older')
    assert.equal((await view(first.article!.id)).headline, 'Bridge reopens')
    assert.deepEqual(
      (await wireRows(guid)).map((r) => r.version),
      [1, 2],
    )
  })

  it('refuses a version number already taken with different content, to the quarantine', async () => {
    const uri = newUri()
    only(await ingest(ctx, ninjsStory({ uri, version: '4' })))
    const clash = only(
      await ingest(ctx, ninjsStory({ uri, version: '4', headlines: [{ value: 'Different' }] })),
    )
    assert.equal(clash.status, 'rejected')
    assert.equal(clash.reason, 'version 4 of this story was already taken with different content')
    assert.ok(clash.quarantineId)
  })

  it('takes the same bytes again as a duplicate even when this release reads them differently', async () => {
    // A release that cleans agency copy another way computes another content hash for the
    // same bytes; as if the rows below had been taken by such a release.
    const uri = newUri()
    const first = only(await ingest(ctx, ninjsStory({ uri, version: '3' })))
    const guid = `https://gazette.test/story-${newUri()}`
    const feed = rssFeed([
      { guid, title: 'Ferry late', body: 'Late.', pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT' },
    ])
    only(await ingest(ctx, feed))
    await ctx.handle.db
      .updateTable('wire_item')
      .set({ content_hash: 'read by an earlier release' })
      .where('guid', 'in', [uri, guid])
      .execute()

    const again = only(await ingest(ctx, ninjsStory({ uri, version: '3' })))
    assert.equal(again.status, 'duplicate', again.reason)
    assert.equal(again.article?.id, first.article?.id)
    const feedAgain = only(await ingest(ctx, feed))
    assert.equal(feedAgain.status, 'duplicate', feedAgain.reason)
    assert.deepEqual(
      (await wireRows(guid)).map((r) => r.version),
      [1],
    )
    // A feed's items taken together (the bulk step) are read the same way.
    const guids = [1, 2, 3].map((n) => `https://gazette.test/bulk-${n}-${newUri()}`)
    const many = rssFeed(
      guids.map((g) => ({
        guid: g,
        title: `Bulk ${g}`,
        body: 'Text.',
        pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT',
      })),
    )
    await ingest(ctx, many)
    await ctx.handle.db
      .updateTable('wire_item')
      .set({ content_hash: 'read by an earlier release' })
      .where('guid', 'in', guids)
      .execute()
    assert.deepEqual(
      (await ingest(ctx, many)).map((o) => o.status),
      ['duplicate', 'duplicate', 'duplicate'],
    )
    // Other bytes under the same version number are still refused.
    const clash = only(await ingest(ctx, ninjsStory({ uri, version: '3', headlines: [{ value: 'Other' }] })))
    assert.equal(clash.status, 'rejected')
  })

  it('keeps the same guid from two sources apart: each source has its own story', async () => {
    const uri = newUri()
    const other = (await createSource(ctx.wire, { name: 'agency-two' })).source
    const a = only(await ingest(ctx, ninjsStory({ uri })))
    const b = only(await ingest(ctx, ninjsStory({ uri }), { source: other }))
    assert.equal(b.status, 'created')
    assert.notEqual(a.article?.id, b.article?.id)
  })
})
