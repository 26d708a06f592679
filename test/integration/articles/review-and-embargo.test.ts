import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  approveArticle,
  findArticleById,
  listRevisions,
  publishArticle,
  publishDueArticles,
  scheduleArticle,
  sendBackArticle,
  setEmbargo,
  submitForReview,
  updateArticle,
  withdrawFromReview,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { listEventsAfter } from '../../../src/modules/events/index.js'
import { AppError, type ErrorCode } from '../../../src/platform/app-error.js'
import {
  aContributor,
  anArticle,
  anEditor,
  createTestContext,
  type TestContext,
} from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

const HOUR = 60 * 60 * 1000

function failsWith(code: ErrorCode, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AppError, String(error))
    assert.equal(error.code, code, error.message)
    if (message) assert.match(error.message, message)
    return true
  }
}

forEachDialect('review requests and embargoes', (dialect) => {
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

  const eventTypes = async (articleId: number) =>
    (await listEventsAfter(ctx.handle.db, 0)).filter((e) => e.articleId === articleId).map((e) => e.type)
  const revisionKinds = async (articleId: number) =>
    (await listRevisions(ctx.handle.db, articleId)).map((r) => r.kind).reverse()

  it('submits a contributor draft, approves it live, and records every step', async () => {
    const draft = await anArticle(ctx, contributor, { headline: 'Ferry timetable changes for winter' })
    const submitted = await submitForReview(ctx.articles, contributor, draft.id, draft.version)
    assert.equal(submitted.submittedAt?.getTime(), ctx.clock.now().getTime())
    assert.equal(submitted.submittedBy, contributor.userId)
    assert.equal(submitted.status, 'draft')

    await assert.rejects(approveArticle(ctx.articles, contributor, draft.id), failsWith('FORBIDDEN'))
    await assert.rejects(publishArticle(ctx.articles, contributor, draft.id), failsWith('FORBIDDEN'))

    const approved = await approveArticle(ctx.articles, editor, draft.id, submitted.version)
    assert.equal(approved.status, 'published')
    assert.equal(approved.submittedAt, null)
    assert.equal(approved.submittedBy, null)
    assert.deepEqual(await revisionKinds(draft.id), ['created', 'submitted', 'approved'])
    assert.deepEqual(await eventTypes(draft.id), [
      'article.created',
      'article.submitted',
      'article.published',
    ])
  })

  it('keeps a submitted story from its contributor until they withdraw it; editors may still edit', async () => {
    const draft = await anArticle(ctx, contributor)
    const submitted = await submitForReview(ctx.articles, contributor, draft.id)
    await assert.rejects(
      updateArticle(ctx.articles, contributor, draft.id, { version: submitted.version, headline: 'Changed' }),
      failsWith('CONFLICT', /withdraw it from review/),
    )
    const edited = await updateArticle(ctx.articles, editor, draft.id, {
      version: submitted.version,
      headline: 'Sub-edited headline',
    })
    assert.notEqual(edited.submittedAt, null, 'an editor edit keeps the request open')

    await assert.rejects(withdrawFromReview(ctx.articles, otherContributor, draft.id), failsWith('FORBIDDEN'))
    const withdrawn = await withdrawFromReview(ctx.articles, contributor, draft.id, edited.version)
    assert.equal(withdrawn.submittedAt, null)
    const again = await updateArticle(ctx.articles, contributor, draft.id, {
      version: withdrawn.version,
      headline: 'Rewritten by its writer',
    })
    assert.equal(again.headline, 'Rewritten by its writer')
    assert.deepEqual((await revisionKinds(draft.id)).slice(-2), ['withdrawn', 'substantive'])
  })

  it('sends a story back with a note its writer sees, and clears the note on the next submission', async () => {
    const draft = await anArticle(ctx, contributor)
    await submitForReview(ctx.articles, contributor, draft.id)
    await assert.rejects(
      sendBackArticle(ctx.articles, editor, draft.id, { note: '   ' }),
      failsWith('INVALID_INPUT', /note/),
    )
    const back = await sendBackArticle(ctx.articles, editor, draft.id, {
      note: 'Needs a second source for the figures.',
    })
    assert.equal(back.submittedAt, null)
    assert.equal(back.reviewNote, 'Needs a second source for the figures.')
    assert.equal(back.reviewNoteBy, editor.userId)
    const events = (await listEventsAfter(ctx.handle.db, 0)).filter((e) => e.articleId === draft.id)
    assert.deepEqual(events.at(-1)?.payload, {
      note: 'Needs a second source for the figures.',
      to: contributor.userId,
    })
    await assert.rejects(
      sendBackArticle(ctx.articles, editor, draft.id, { note: 'Again' }),
      failsWith('CONFLICT', /not waiting for review/),
    )
    const resubmitted = await submitForReview(ctx.articles, contributor, draft.id)
    assert.equal(resubmitted.reviewNote, '')
    assert.deepEqual((await revisionKinds(draft.id)).slice(1), ['submitted', 'sent-back', 'submitted'])
  })

  it('refuses to submit a story twice, an empty story, or someone else’s', async () => {
    const draft = await anArticle(ctx, contributor)
    await assert.rejects(submitForReview(ctx.articles, otherContributor, draft.id), failsWith('FORBIDDEN'))
    await submitForReview(ctx.articles, contributor, draft.id)
    await assert.rejects(
      submitForReview(ctx.articles, contributor, draft.id),
      failsWith('CONFLICT', /already waiting/),
    )
    const empty = await anArticle(ctx, contributor, { bodyHtml: '' })
    await assert.rejects(
      submitForReview(ctx.articles, contributor, empty.id),
      failsWith('ARTICLE_NOT_PUBLISHABLE', /bodyHtml/),
    )
    assert.equal((await findArticleById(ctx.handle.db, empty.id))?.submittedAt, null)
  })

  it('refuses to publish before the embargo, naming the time, and lets it go at the time', async () => {
    const draft = await anArticle(ctx, editor)
    const until = new Date(ctx.clock.now().getTime() + 2 * HOUR)
    await assert.rejects(setEmbargo(ctx.articles, contributor, draft.id, until), failsWith('FORBIDDEN'))
    const embargoed = await setEmbargo(ctx.articles, editor, draft.id, until, draft.version)
    assert.equal(embargoed.embargoUntil?.getTime(), until.getTime())
    assert.deepEqual((await revisionKinds(draft.id)).at(-1), 'embargo')

    const named = until.toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
    await assert.rejects(
      publishArticle(ctx.articles, editor, draft.id),
      failsWith('ARTICLE_NOT_PUBLISHABLE', new RegExp(`embargoed until ${named}`)),
    )
    await assert.rejects(
      scheduleArticle(ctx.articles, editor, draft.id, new Date(until.getTime() - 60_000)),
      failsWith('INVALID_INPUT', /publishAt: must be at or after the embargo/),
    )
    const scheduled = await scheduleArticle(ctx.articles, editor, draft.id, until)
    assert.equal(scheduled.status, 'scheduled')
    await assert.rejects(
      setEmbargo(ctx.articles, editor, draft.id, new Date(until.getTime() + HOUR)),
      failsWith('CONFLICT', /reschedule it first/),
    )

    ctx.clock.set(until)
    assert.ok((await publishDueArticles(ctx.articles)).includes(draft.id))
    assert.equal((await findArticleById(ctx.handle.db, draft.id))?.status, 'published')
    ctx.clock.set(new Date(until.getTime() - 2 * HOUR))
  })

  it('publishes at once when the embargo is lifted, and refuses an embargo in the past', async () => {
    const draft = await anArticle(ctx, editor)
    await setEmbargo(ctx.articles, editor, draft.id, new Date(ctx.clock.now().getTime() + HOUR))
    await assert.rejects(
      setEmbargo(ctx.articles, editor, draft.id, new Date(ctx.clock.now().getTime() - HOUR)),
      failsWith('INVALID_INPUT', /until: must be in the future/),
    )
    const lifted = await setEmbargo(ctx.articles, editor, draft.id, null)
    assert.equal(lifted.embargoUntil, null)
    assert.equal((await publishArticle(ctx.articles, editor, draft.id)).status, 'published')
  })

  it('keeps an approval of an embargoed story waiting for the embargo', async () => {
    const draft = await anArticle(ctx, contributor)
    await submitForReview(ctx.articles, contributor, draft.id)
    await setEmbargo(ctx.articles, editor, draft.id, new Date(ctx.clock.now().getTime() + HOUR))
    await assert.rejects(
      approveArticle(ctx.articles, editor, draft.id),
      failsWith('ARTICLE_NOT_PUBLISHABLE', /embargoed until/),
    )
    const stored = await findArticleById(ctx.handle.db, draft.id)
    assert.equal(stored?.status, 'draft')
    assert.notEqual(stored?.submittedAt, null, 'the request stays open')
  })
})
