import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  createArticle,
  findArticleById,
  listArticles,
  listRevisions,
  publishArticle,
  scheduleArticle,
  unpublishArticle,
  updateArticle,
  type ArticleDeps,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { findLatestEventId, listEventsAfter, type EventOutbox } from '../../../src/modules/events/index.js'
import { createSection, createTopic } from '../../../src/modules/taxonomy/index.js'
import { AppError } from '../../../src/platform/app-error.js'
import { aSection, anArticle, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

forEachDialect('event outbox', (dialect) => {
  let ctx: TestContext
  let editor: Actor

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
    await aSection(ctx, 'news')
  })
  after(() => ctx.destroy())

  /** Runs a step and returns the events it appended. */
  async function eventsOf(step: () => Promise<unknown>) {
    const last = await findLatestEventId(ctx.handle.db)
    await step()
    return listEventsAfter(ctx.handle.db, last)
  }

  it('appends one event for every change to a story, in order, with the time it happened', async () => {
    let id = 0
    let version = 0
    const created = await eventsOf(async () => {
      const article = await anArticle(ctx, editor)
      id = article.id
      version = article.version
    })
    assert.deepEqual(
      created.map((e) => [e.type, e.articleId]),
      [['article.created', id]],
    )
    assert.deepEqual(created[0]?.createdAt, ctx.clock.now())

    const updated = await eventsOf(async () => {
      version = (
        await updateArticle(ctx.articles, editor, id, { version, headline: 'Ferry timetable cut for winter' })
      ).version
    })
    assert.equal(updated.length, 1)
    assert.equal(updated[0]?.type, 'article.updated')
    assert.equal(updated[0]?.payload['substantive'], true)
    assert.ok((updated[0]?.payload['changed'] as string[]).includes('headline'))

    const scheduled = await eventsOf(async () => {
      version = (
        await scheduleArticle(ctx.articles, editor, id, new Date(ctx.clock.now().getTime() + 60_000), version)
      ).version
    })
    assert.deepEqual(
      scheduled.map((e) => e.type),
      ['article.scheduled'],
    )

    const published = await eventsOf(async () => {
      version = (await publishArticle(ctx.articles, editor, id, version)).version
    })
    assert.deepEqual(
      published.map((e) => e.type),
      ['article.published'],
    )

    const unpublished = await eventsOf(() => unpublishArticle(ctx.articles, editor, id, version))
    assert.deepEqual(
      unpublished.map((e) => e.type),
      ['article.unpublished'],
    )
  })

  it('appends an event when sections and topics change', async () => {
    const events = await eventsOf(async () => {
      await createSection(ctx.taxonomy, { name: 'Weather' })
      await createTopic(ctx.taxonomy, { name: 'Heatwaves' })
    })
    assert.deepEqual(
      events.map((e) => e.type),
      ['section.changed', 'topic.changed'],
    )
  })

  it('appends nothing when an update is refused for a stale version', async () => {
    const article = await anArticle(ctx, editor)
    await updateArticle(ctx.articles, editor, article.id, { version: 1, byline: 'Newsdesk' })
    const events = await eventsOf(() =>
      assert.rejects(
        updateArticle(ctx.articles, editor, article.id, { version: 1, byline: 'Stale' }),
        (e: unknown) => e instanceof AppError && e.code === 'CONFLICT',
      ),
    )
    assert.deepEqual(events, [])
  })

  it('rolls back the whole update, appending no event, when it fails after writing', async () => {
    const article = await anArticle(ctx, editor, { headline: 'Reservoir levels fall' })
    // The author check runs after the story row is written, inside the same transaction.
    const events = await eventsOf(() =>
      assert.rejects(
        updateArticle(ctx.articles, editor, article.id, {
          version: 1,
          headline: 'Reservoir levels recover',
          authorIds: [987_654],
        }),
        (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT',
      ),
    )
    assert.deepEqual(events, [])
    const stored = await findArticleById(ctx.handle.db, article.id)
    assert.equal(stored?.headline, 'Reservoir levels fall')
    assert.equal(stored?.version, 1)
    assert.equal((await listRevisions(ctx.handle.db, article.id)).length, 1)
  })

  it('writes the event in the same transaction as the change, so a failed append undoes the change', async () => {
    const failingOutbox: EventOutbox = {
      async append(trx, event) {
        await ctx.articles.events.append(trx, event)
        throw new Error('outbox unavailable')
      },
      async appendMany(trx, events) {
        await ctx.articles.events.appendMany(trx, events)
        throw new Error('outbox unavailable')
      },
    }
    const deps: ArticleDeps = { ...ctx.articles, events: failingOutbox }
    const countBefore = (await listArticles(ctx.handle.db, { limit: 1000, offset: 0 })).length
    const events = await eventsOf(() =>
      assert.rejects(
        createArticle(deps, editor, {
          headline: 'This story never existed',
          section: 'news',
          bodyHtml: '<p>x</p>',
        }),
        /outbox unavailable/,
      ),
    )
    assert.deepEqual(events, [])
    assert.equal((await listArticles(ctx.handle.db, { limit: 1000, offset: 0 })).length, countBefore)
  })
})
