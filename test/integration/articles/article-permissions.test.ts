import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  findArticleById,
  publishArticle,
  scheduleArticle,
  unpublishArticle,
  updateArticle,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { listEventsAfter } from '../../../src/modules/events/index.js'
import { AppError } from '../../../src/platform/app-error.js'
import {
  aContributor,
  anArticle,
  anEditor,
  createTestContext,
  type TestContext,
} from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

function isForbidden(error: unknown): boolean {
  return error instanceof AppError && error.code === 'FORBIDDEN'
}

forEachDialect('article permissions', (dialect) => {
  let ctx: TestContext
  let editor: Actor
  let contributor: Actor
  let otherContributor: Actor

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
    contributor = await aContributor(ctx)
    otherContributor = await aContributor(ctx)
  })
  after(() => ctx.destroy())

  async function eventCount(articleId: number): Promise<number> {
    return (await listEventsAfter(ctx.handle.db, 0)).filter((e) => e.articleId === articleId).length
  }

  it('lets a contributor write and then edit a draft of their own', async () => {
    const draft = await anArticle(ctx, contributor, { headline: 'Library opening hours extended' })
    const edited = await updateArticle(ctx.articles, contributor, draft.id, {
      version: draft.version,
      headline: 'Library to open on Sundays',
    })
    assert.equal(edited.headline, 'Library to open on Sundays')
    assert.equal(edited.createdBy, contributor.userId)
  })

  it('forbids a contributor to publish, even their own draft, and leaves it a draft', async () => {
    const draft = await anArticle(ctx, contributor)
    const eventsBefore = await eventCount(draft.id)
    await assert.rejects(publishArticle(ctx.articles, contributor, draft.id), isForbidden)
    const stored = await findArticleById(ctx.handle.db, draft.id)
    assert.equal(stored?.status, 'draft')
    assert.equal(stored?.version, draft.version)
    assert.equal(await eventCount(draft.id), eventsBefore)
  })

  it('forbids a contributor to schedule or unpublish', async () => {
    const draft = await anArticle(ctx, contributor)
    await assert.rejects(
      scheduleArticle(ctx.articles, contributor, draft.id, new Date(ctx.clock.now().getTime() + 3_600_000)),
      isForbidden,
    )
    const live = await publishArticle(ctx.articles, editor, (await anArticle(ctx, editor)).id)
    await assert.rejects(unpublishArticle(ctx.articles, contributor, live.id), isForbidden)
    assert.equal((await findArticleById(ctx.handle.db, live.id))?.status, 'published')
  })

  it('forbids a contributor to edit another contributor’s draft', async () => {
    const theirs = await anArticle(ctx, otherContributor, { headline: 'Allotment waiting list grows' })
    await assert.rejects(
      updateArticle(ctx.articles, contributor, theirs.id, {
        version: theirs.version,
        headline: 'Hijacked headline',
      }),
      isForbidden,
    )
    assert.equal((await findArticleById(ctx.handle.db, theirs.id))?.headline, 'Allotment waiting list grows')
  })

  it('forbids a contributor to edit an editor’s draft', async () => {
    const editorsDraft = await anArticle(ctx, editor)
    await assert.rejects(
      updateArticle(ctx.articles, contributor, editorsDraft.id, { version: 1, byline: 'Me' }),
      isForbidden,
    )
  })

  it('forbids a contributor to edit their own story once an editor has published it', async () => {
    const draft = await anArticle(ctx, contributor)
    const live = await publishArticle(ctx.articles, editor, draft.id)
    await assert.rejects(
      updateArticle(ctx.articles, contributor, draft.id, { version: live.version, byline: 'Changed' }),
      isForbidden,
    )
  })

  it('lets an editor edit and publish a contributor’s draft', async () => {
    const draft = await anArticle(ctx, contributor)
    const edited = await updateArticle(ctx.articles, editor, draft.id, {
      version: draft.version,
      byline: 'Edited by the desk',
    })
    const live = await publishArticle(ctx.articles, editor, draft.id, edited.version)
    assert.equal(live.status, 'published')
  })
})
