import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  findArticleById,
  listRevisions,
  publishDueArticles,
  scheduleArticle,
  unpublishArticle,
  updateArticle,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { listEventsAfter } from '../../../src/modules/events/index.js'
import { AppError } from '../../../src/platform/app-error.js'
import { anArticle, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

const MINUTE = 60 * 1000

forEachDialect('scheduled publishing', (dialect) => {
  let ctx: TestContext
  let editor: Actor

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
  })
  after(() => ctx.destroy())

  function inMinutes(minutes: number): Date {
    return new Date(ctx.clock.now().getTime() + minutes * MINUTE)
  }

  it('refuses a publish time that is not in the future, naming publishAt', async () => {
    const draft = await anArticle(ctx, editor)
    for (const at of [ctx.clock.now(), inMinutes(-5), new Date('not a date')]) {
      await assert.rejects(
        scheduleArticle(ctx.articles, editor, draft.id, at),
        (error: unknown) =>
          error instanceof AppError &&
          error.code === 'INVALID_INPUT' &&
          error.details?.problems?.[0]?.field === 'publishAt',
      )
    }
    assert.equal((await findArticleById(ctx.handle.db, draft.id))?.status, 'draft')
  })

  it('publishes a scheduled story once the clock passes its time, and not before', async () => {
    const draft = await anArticle(ctx, editor)
    const at = inMinutes(30)
    const scheduled = await scheduleArticle(ctx.articles, editor, draft.id, at, draft.version)
    assert.equal(scheduled.status, 'scheduled')
    assert.deepEqual(scheduled.scheduledAt, at)

    ctx.clock.advance(29 * MINUTE)
    assert.deepEqual(await publishDueArticles(ctx.articles), [])
    assert.equal((await findArticleById(ctx.handle.db, draft.id))?.status, 'scheduled')

    ctx.clock.advance(2 * MINUTE)
    assert.deepEqual(await publishDueArticles(ctx.articles), [draft.id])
    const live = await findArticleById(ctx.handle.db, draft.id)
    assert.equal(live?.status, 'published')
    assert.deepEqual(live?.firstPublishedAt, ctx.clock.now())
    assert.equal(live?.scheduledAt, null)

    const [revision] = await listRevisions(ctx.handle.db, draft.id)
    assert.equal(revision?.kind, 'published')
    assert.equal(revision?.userId, null)
    const events = (await listEventsAfter(ctx.handle.db, 0)).filter((e) => e.articleId === draft.id)
    assert.deepEqual(
      events.map((e) => e.type),
      ['article.created', 'article.scheduled', 'article.published'],
    )
  })

  it('publishes a due story exactly once however often the scheduler runs', async () => {
    const draft = await anArticle(ctx, editor)
    await scheduleArticle(ctx.articles, editor, draft.id, inMinutes(1))
    ctx.clock.advance(2 * MINUTE)
    assert.deepEqual(await publishDueArticles(ctx.articles), [draft.id])
    assert.deepEqual(await publishDueArticles(ctx.articles), [])
    const publishes = (await listEventsAfter(ctx.handle.db, 0)).filter(
      (e) => e.articleId === draft.id && e.type === 'article.published',
    )
    assert.equal(publishes.length, 1)
  })

  it('publishes every due story in the order they were due', async () => {
    const later = await anArticle(ctx, editor)
    const sooner = await anArticle(ctx, editor)
    await scheduleArticle(ctx.articles, editor, later.id, inMinutes(20))
    await scheduleArticle(ctx.articles, editor, sooner.id, inMinutes(10))
    ctx.clock.advance(30 * MINUTE)
    assert.deepEqual(await publishDueArticles(ctx.articles), [sooner.id, later.id])
  })

  it('returns an unscheduled story to draft, and the scheduler leaves it alone', async () => {
    const draft = await anArticle(ctx, editor)
    const scheduled = await scheduleArticle(ctx.articles, editor, draft.id, inMinutes(5))
    const pulled = await unpublishArticle(ctx.articles, editor, draft.id, scheduled.version)
    assert.equal(pulled.status, 'draft')
    assert.equal(pulled.scheduledAt, null)
    ctx.clock.advance(10 * MINUTE)
    assert.deepEqual(await publishDueArticles(ctx.articles), [])
  })

  it('still publishes other due stories when one scheduled story has become unpublishable', async () => {
    const emptied = await anArticle(ctx, editor)
    const healthy = await anArticle(ctx, editor)
    const scheduled = await scheduleArticle(ctx.articles, editor, emptied.id, inMinutes(5))
    await scheduleArticle(ctx.articles, editor, healthy.id, inMinutes(6))
    await updateArticle(ctx.articles, editor, emptied.id, { version: scheduled.version, bodyHtml: '' })
    ctx.clock.advance(10 * MINUTE)

    assert.deepEqual(await publishDueArticles(ctx.articles), [healthy.id])
    assert.equal((await findArticleById(ctx.handle.db, healthy.id))?.status, 'published')
    assert.equal((await findArticleById(ctx.handle.db, emptied.id))?.status, 'scheduled')
  })
})
