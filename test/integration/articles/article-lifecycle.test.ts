import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  createArticle,
  findArticleById,
  findArticleByOldSlug,
  findArticleByShortCode,
  findArticleBySlug,
  findRevision,
  listRevisions,
  publishArticle,
  publishView,
  restoreRevision,
  toArticleView,
  unpublishArticle,
  updateArticle,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { isShortCode } from '../../../src/platform/ids.js'
import { AppError } from '../../../src/platform/app-error.js'
import {
  aContributor,
  aSection,
  anArticle,
  anEditor,
  createTestContext,
  type TestContext,
} from '../../support/builders.js'
import { findLatestEventId, listEventsAfter } from '../../../src/modules/events/index.js'
import { forEachDialect } from '../../support/dialects.js'

const HOUR = 60 * 60 * 1000

function isCode(code: string) {
  return (error: unknown) => error instanceof AppError && error.code === code
}

forEachDialect('article lifecycle', (dialect) => {
  let ctx: TestContext
  let editor: Actor

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
    await aSection(ctx, 'world')
    await aSection(ctx, 'business')
  })
  after(() => ctx.destroy())

  it('creates a draft at version 1 with a slug from the headline, a short code and its creator as author', async () => {
    const article = await anArticle(ctx, editor, {
      headline: 'Ceasefire talks resume in Geneva',
      section: 'world',
    })
    assert.equal(article.status, 'draft')
    assert.equal(article.version, 1)
    assert.equal(article.slug, 'ceasefire-talks-resume-in-geneva')
    assert.ok(isShortCode(article.shortCode), article.shortCode)
    assert.equal(article.section.slug, 'world')
    assert.deepEqual(
      article.authors.map((a) => a.id),
      [editor.userId],
    )
    assert.equal(article.firstPublishedAt, null)
    assert.equal(article.publicUpdatedAt, null)
    assert.deepEqual(article.createdAt, ctx.clock.now())
  })

  it('cleans the headline and key points and sanitises the body on the way in', async () => {
    const article = await anArticle(ctx, editor, {
      headline: '  <b>Flood</b> warning   issued ',
      keyPoints: ['Rivers <i>rising</i>'],
      bodyHtml: '<p onclick="x()">Rain continues.</p><script>alert(1)</script>',
    })
    assert.equal(article.headline, 'Flood warning issued')
    assert.deepEqual(article.keyPoints, ['Rivers rising'])
    assert.equal(article.bodyHtml, '<p>Rain continues.</p>')
  })

  it('gives a second story with the same headline a slug of its own', async () => {
    const first = await anArticle(ctx, editor, { headline: 'Markets close higher' })
    const second = await anArticle(ctx, editor, { headline: 'Markets close higher' })
    assert.equal(first.slug, 'markets-close-higher')
    assert.equal(second.slug, 'markets-close-higher-2')
  })

  it('gives stories saved at the same moment with the same headline distinct slugs', async () => {
    const stories = await Promise.all(
      Array.from({ length: 6 }, () => anArticle(ctx, editor, { headline: 'Polls close in tight race' })),
    )
    const slugs = stories.map((s) => s.slug).sort()
    assert.deepEqual(slugs, [
      'polls-close-in-tight-race',
      'polls-close-in-tight-race-2',
      'polls-close-in-tight-race-3',
      'polls-close-in-tight-race-4',
      'polls-close-in-tight-race-5',
      'polls-close-in-tight-race-6',
    ])
  })

  it('finds a story by its short code', async () => {
    const article = await anArticle(ctx, editor)
    assert.equal((await findArticleByShortCode(ctx.handle.db, article.shortCode))?.id, article.id)
  })

  it('writes one revision per save, each naming the fields that changed', async () => {
    const created = await anArticle(ctx, editor, {
      headline: 'Port strike enters second week',
      section: 'business',
    })
    ctx.clock.advance(HOUR)
    const updated = await updateArticle(ctx.articles, editor, created.id, {
      version: created.version,
      headline: 'Port strike enters third week',
      keyPoints: ['Container ships are queueing offshore'],
    })
    ctx.clock.advance(HOUR)
    const published = await publishArticle(ctx.articles, editor, created.id, updated.version)
    assert.deepEqual([created.version, updated.version, published.version], [1, 2, 3])

    const revisions = await listRevisions(ctx.handle.db, created.id)
    assert.deepEqual(
      revisions.map((r) => r.version),
      [3, 2, 1],
    )
    assert.deepEqual(
      revisions.map((r) => r.kind),
      ['published', 'substantive', 'created'],
    )
    assert.deepEqual(
      revisions.map((r) => r.userId),
      [editor.userId, editor.userId, editor.userId],
    )
    const [publishRevision, updateRevision, createRevision] = revisions
    assert.deepEqual(publishRevision?.changedFields, ['status'])
    assert.deepEqual(updateRevision?.changedFields.sort(), ['headline', 'keyPoints', 'slug'])
    assert.ok(createRevision?.changedFields.includes('headline'))
    assert.equal(updateRevision?.snapshot['headline'], 'Port strike enters third week')
    assert.equal(createRevision?.snapshot['headline'], 'Port strike enters second week')
    assert.equal(publishRevision?.snapshot['status'], 'published')
  })

  it('refuses a save from a stale version with CONFLICT and changes nothing', async () => {
    const created = await anArticle(ctx, editor, { headline: 'Budget vote delayed' })
    const current = await updateArticle(ctx.articles, editor, created.id, {
      version: 1,
      byline: 'Political desk',
    })
    await assert.rejects(
      updateArticle(ctx.articles, editor, created.id, { version: 1, headline: 'Budget vote cancelled' }),
      isCode('CONFLICT'),
    )
    const stored = await findArticleById(ctx.handle.db, created.id)
    assert.equal(stored?.headline, 'Budget vote delayed')
    assert.equal(stored?.slug, 'budget-vote-delayed')
    assert.equal(stored?.version, current.version)
    assert.equal((await listRevisions(ctx.handle.db, created.id)).length, 2)
  })

  it('refuses to publish from a stale version', async () => {
    const created = await anArticle(ctx, editor)
    await updateArticle(ctx.articles, editor, created.id, { version: 1, byline: 'Staff' })
    await assert.rejects(publishArticle(ctx.articles, editor, created.id, 1), isCode('CONFLICT'))
    assert.equal((await findArticleById(ctx.handle.db, created.id))?.status, 'draft')
  })

  it('moves the public update time on a substantive update of a published story', async () => {
    const created = await anArticle(ctx, editor)
    const published = await publishArticle(ctx.articles, editor, created.id)
    const publishedAt = ctx.clock.now()
    assert.deepEqual(published.firstPublishedAt, publishedAt)
    assert.deepEqual(published.publicUpdatedAt, publishedAt)

    ctx.clock.advance(2 * HOUR)
    const updated = await updateArticle(ctx.articles, editor, created.id, {
      version: published.version,
      bodyHtml: `${published.bodyHtml}<p>Update: officials confirmed the figures.</p>`,
    })
    assert.deepEqual(updated.publicUpdatedAt, ctx.clock.now())
    assert.deepEqual(updated.firstPublishedAt, publishedAt)
  })

  it('keeps the public update time on a minor fix, though the story is saved', async () => {
    const created = await anArticle(ctx, editor)
    const published = await publishArticle(ctx.articles, editor, created.id)
    const publishedAt = ctx.clock.now()

    ctx.clock.advance(HOUR)
    const fixed = await updateArticle(ctx.articles, editor, created.id, {
      version: published.version,
      updateKind: 'minor',
      byline: 'Transport correspondent, Westmere',
    })
    assert.deepEqual(fixed.publicUpdatedAt, publishedAt)
    assert.deepEqual(fixed.modifiedAt, ctx.clock.now())
    assert.equal(fixed.version, published.version + 1)
    assert.equal((await listRevisions(ctx.handle.db, created.id))[0]?.kind, 'minor')
  })

  it('does not set a public update time when a draft is edited', async () => {
    const created = await anArticle(ctx, editor)
    const updated = await updateArticle(ctx.articles, editor, created.id, {
      version: 1,
      headline: 'A different headline for a draft',
    })
    assert.equal(updated.publicUpdatedAt, null)
  })

  it('stores a correction note with its time and records it in the revision', async () => {
    const created = await anArticle(ctx, editor)
    const published = await publishArticle(ctx.articles, editor, created.id)
    ctx.clock.advance(HOUR)
    const corrected = await updateArticle(ctx.articles, editor, created.id, {
      version: published.version,
      bodyHtml: '<p>The council voted nine to four, not nine to three.</p>',
      correction: 'An earlier version of this story gave the wrong vote count.',
    })
    assert.deepEqual(corrected.corrections, [
      { note: 'An earlier version of this story gave the wrong vote count.', createdAt: ctx.clock.now() },
    ])
    assert.ok((await listRevisions(ctx.handle.db, created.id))[0]?.changedFields.includes('correction'))
  })

  it('keeps the old slug of a published story resolving to it after a headline change', async () => {
    const created = await anArticle(ctx, editor, { headline: 'Bridge closed after barge collision' })
    const published = await publishArticle(ctx.articles, editor, created.id)
    const renamed = await updateArticle(ctx.articles, editor, created.id, {
      version: published.version,
      headline: 'Bridge to reopen within days after barge collision',
    })
    assert.equal(renamed.slug, 'bridge-to-reopen-within-days-after-barge-collision')
    assert.equal(await findArticleBySlug(ctx.handle.db, 'bridge-closed-after-barge-collision'), undefined)
    assert.equal(
      (await findArticleByOldSlug(ctx.handle.db, 'bridge-closed-after-barge-collision'))?.id,
      created.id,
    )
    assert.equal((await findArticleBySlug(ctx.handle.db, renamed.slug))?.id, created.id)
  })

  it('takes back its old slug, without a redirect loop, when the headline is changed back', async () => {
    const created = await anArticle(ctx, editor, { headline: 'Tram line extension approved' })
    const published = await publishArticle(ctx.articles, editor, created.id)
    const renamed = await updateArticle(ctx.articles, editor, created.id, {
      version: published.version,
      headline: 'Tram line extension delayed',
    })
    const restored = await updateArticle(ctx.articles, editor, created.id, {
      version: renamed.version,
      headline: 'Tram line extension approved',
    })
    assert.equal(restored.slug, 'tram-line-extension-approved')
    assert.equal(await findArticleByOldSlug(ctx.handle.db, 'tram-line-extension-approved'), undefined)
    assert.equal((await findArticleByOldSlug(ctx.handle.db, 'tram-line-extension-delayed'))?.id, created.id)
  })

  it('keeps no redirect for a slug a story had only while a draft', async () => {
    const created = await anArticle(ctx, editor, { headline: 'Working title for the election explainer' })
    await updateArticle(ctx.articles, editor, created.id, {
      version: 1,
      headline: 'Election explainer: what the result means',
    })
    assert.equal(
      await findArticleByOldSlug(ctx.handle.db, 'working-title-for-the-election-explainer'),
      undefined,
    )
  })

  it('does not give a new story a slug that still redirects to another one', async () => {
    const first = await anArticle(ctx, editor, { headline: 'Airport expansion plan unveiled' })
    const published = await publishArticle(ctx.articles, editor, first.id)
    await updateArticle(ctx.articles, editor, first.id, {
      version: published.version,
      headline: 'Airport expansion plan criticised',
    })
    const second = await anArticle(ctx, editor, { headline: 'Airport expansion plan unveiled' })
    assert.equal(second.slug, 'airport-expansion-plan-unveiled-2')
    assert.equal((await findArticleByOldSlug(ctx.handle.db, 'airport-expansion-plan-unveiled'))?.id, first.id)
  })

  it('unpublishes a story and republishes it without moving its first publication time', async () => {
    const created = await anArticle(ctx, editor)
    const published = await publishArticle(ctx.articles, editor, created.id)
    const firstPublishedAt = published.firstPublishedAt
    ctx.clock.advance(HOUR)
    const pulled = await unpublishArticle(ctx.articles, editor, created.id, published.version)
    assert.equal(pulled.status, 'unpublished')
    ctx.clock.advance(HOUR)
    const republished = await publishArticle(ctx.articles, editor, created.id, pulled.version)
    assert.equal(republished.status, 'published')
    assert.deepEqual(republished.firstPublishedAt, firstPublishedAt)
    assert.deepEqual(republished.publicUpdatedAt, ctx.clock.now())
  })

  it('refuses to publish a story with no body', async () => {
    const created = await anArticle(ctx, editor, { bodyHtml: '<script>only a script</script>' })
    await assert.rejects(publishArticle(ctx.articles, editor, created.id), isCode('ARTICLE_NOT_PUBLISHABLE'))
    assert.equal((await findArticleById(ctx.handle.db, created.id))?.status, 'draft')
  })

  it('publishes a story as it creates it, with the history a create then publish leaves', async () => {
    const eventsBefore = await findLatestEventId(ctx.handle.db)
    const published = await createArticle(
      ctx.articles,
      editor,
      { headline: 'Bridge reopens after repairs', bodyHtml: '<p>Traffic flows again.</p>', section: 'world' },
      { publish: true },
    )
    assert.equal(published.status, 'published')
    assert.equal(published.version, 2)
    assert.deepEqual(published.firstPublishedAt, ctx.clock.now())
    assert.deepEqual(published.publicUpdatedAt, ctx.clock.now())
    const stored = await findArticleById(ctx.handle.db, published.id)
    // As read back from the tables (rows from node:sqlite have no prototype, hence the clone).
    assert.deepEqual(structuredClone(await toArticleView(ctx.handle.db, stored!)), published)

    const revisions = await listRevisions(ctx.handle.db, published.id)
    assert.deepEqual(
      revisions.map((r) => [r.version, r.kind, r.snapshot['status']]),
      [
        [2, 'published', 'published'],
        [1, 'created', 'draft'],
      ],
    )
    const events = await listEventsAfter(ctx.handle.db, eventsBefore, 10)
    assert.deepEqual(
      events.map((e) => [e.type, e.articleId]),
      [
        ['article.created', published.id],
        ['article.published', published.id],
      ],
    )
  })

  it('reads every revision of a story published as it was created as a full snapshot, body included', async () => {
    const body = '<p>The ferry runs again from Monday.</p>'
    const published = await createArticle(
      ctx.articles,
      editor,
      { headline: 'Ferry service resumes', bodyHtml: body, section: 'world' },
      { publish: true },
    )
    const edited = await updateArticle(ctx.articles, editor, published.id, {
      version: published.version,
      bodyHtml: '<p>The ferry runs again from Tuesday.</p>',
    })
    const revisions = await listRevisions(ctx.handle.db, published.id)
    assert.deepEqual(
      revisions.map((r) => [r.version, r.kind, r.snapshot['bodyHtml']]),
      [
        [3, 'substantive', '<p>The ferry runs again from Tuesday.</p>'],
        [2, 'published', body],
        [1, 'created', body],
      ],
    )
    const [, publishRevision, createRevision] = revisions
    assert.deepEqual(publishRevision?.snapshot, { ...createRevision?.snapshot, status: 'published' })
    assert.deepEqual(
      (await findRevision(ctx.handle.db, published.id, 2))?.snapshot,
      publishRevision?.snapshot,
    )

    const restored = await restoreRevision(ctx.articles, editor, published.id, 2, edited.version)
    assert.equal(restored.bodyHtml, body)
  })

  it('creates nothing when a story to publish as it is created cannot be published', async () => {
    const eventsBefore = await findLatestEventId(ctx.handle.db)
    const headline = 'Story with nothing but a script'
    await assert.rejects(
      createArticle(
        ctx.articles,
        editor,
        { headline, bodyHtml: '<script>x()</script>', section: 'world' },
        { publish: true },
      ),
      isCode('ARTICLE_NOT_PUBLISHABLE'),
    )
    const contributor = await aContributor(ctx)
    await assert.rejects(
      createArticle(
        ctx.articles,
        contributor,
        { headline, bodyHtml: '<p>Text.</p>', section: 'world' },
        { publish: true },
      ),
      isCode('FORBIDDEN'),
    )
    const found = await ctx.handle.db
      .selectFrom('article')
      .select('id')
      .where('headline', '=', headline)
      .execute()
    assert.deepEqual(found, [])
    assert.equal(await findLatestEventId(ctx.handle.db), eventsBefore)
  })

  it('refuses to publish from a view of the story older than what is stored', async () => {
    const created = await anArticle(ctx, editor)
    await updateArticle(ctx.articles, editor, created.id, { version: 1, headline: 'Newer headline' })
    await assert.rejects(publishView(ctx.articles, editor, created), isCode('CONFLICT'))
    const stored = await findArticleById(ctx.handle.db, created.id)
    assert.equal(stored?.status, 'draft')
    assert.equal(stored?.headline, 'Newer headline')
  })

  it('answers NOT_FOUND for a story that does not exist', async () => {
    await assert.rejects(
      updateArticle(ctx.articles, editor, 999_999, { version: 1, headline: 'Ghost' }),
      isCode('NOT_FOUND'),
    )
    await assert.rejects(publishArticle(ctx.articles, editor, 999_999), isCode('NOT_FOUND'))
  })
})
