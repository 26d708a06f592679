import { AppError, assertNoProblems } from '../../platform/app-error.js'
import { inTransaction } from '../../platform/database.js'
import { cleanText } from '../../platform/text.js'
import { can } from '../auth/index.js'
import { isSystemActor, userIdOf, type Article, type ArticleView, type ArticleWriter } from './article.js'
import { assertCanPublish, assertPublishable, assertVersion, utcMinute } from './article-rules.js'
import { changeStatus, loadForWrite, publishLoaded, type ArticleDeps } from './article-service.js'

export const MAX_REVIEW_NOTE_LENGTH = 1000

/**
 * A contributor asks an editor to review their draft. While it waits, the contributor
 * cannot change it (they withdraw it first); editors still can.
 */
export async function submitForReview(
  deps: ArticleDeps,
  actor: ArticleWriter,
  articleId: number,
  expectedVersion?: number,
): Promise<ArticleView> {
  const userId = staffOnly(actor, 'submit a story for review')
  return inTransaction(deps.db, async (trx) => {
    const before = await loadForWrite(deps, trx, articleId)
    if (expectedVersion !== undefined) assertVersion(before, expectedVersion)
    assertOwnOrEditor(actor, before)
    if (before.status !== 'draft')
      throw new AppError(
        'CONFLICT',
        `Only a draft can be submitted for review; this story is ${before.status}`,
      )
    if (before.submittedAt !== null) throw new AppError('CONFLICT', 'The story is already waiting for review')
    assertPublishable(before)
    return changeStatus(deps, trx, before, {
      set: {
        submitted_at: deps.clock.now(),
        submitted_by: userId,
        review_note: '',
        review_note_at: null,
        review_note_by: null,
      },
      actor,
      kind: 'submitted',
      changed: ['submittedAt'],
      event: { type: 'article.submitted', payload: { by: userId } },
    })
  })
}

/** Takes a story back out of review, so its writer can change it again. */
export async function withdrawFromReview(
  deps: ArticleDeps,
  actor: ArticleWriter,
  articleId: number,
  expectedVersion?: number,
): Promise<ArticleView> {
  staffOnly(actor, 'withdraw a story from review')
  return inTransaction(deps.db, async (trx) => {
    const before = await loadForWrite(deps, trx, articleId)
    if (expectedVersion !== undefined) assertVersion(before, expectedVersion)
    assertOwnOrEditor(actor, before)
    assertWaiting(before)
    return changeStatus(deps, trx, before, {
      set: { submitted_at: null, submitted_by: null },
      actor,
      kind: 'withdrawn',
      changed: ['submittedAt'],
      event: { type: 'article.review_withdrawn' },
    })
  })
}

/** An editor approves a story waiting for review: it goes live and the request is answered. */
export async function approveArticle(
  deps: ArticleDeps,
  actor: ArticleWriter,
  articleId: number,
  expectedVersion?: number,
): Promise<ArticleView> {
  assertCanPublish(actor)
  return inTransaction(deps.db, async (trx) => {
    const before = await loadForWrite(deps, trx, articleId)
    if (expectedVersion !== undefined) assertVersion(before, expectedVersion)
    assertWaiting(before)
    return publishLoaded(deps, trx, actor, before, 'approved')
  })
}

/** An editor returns a story to its writer with a note saying what it needs. */
export async function sendBackArticle(
  deps: ArticleDeps,
  actor: ArticleWriter,
  articleId: number,
  input: { note: string; version?: number | undefined },
): Promise<ArticleView> {
  assertCanPublish(actor)
  const note = cleanText(input.note)
  assertNoProblems(
    note === ''
      ? [{ field: 'note', message: 'is required: say what the story needs' }]
      : note.length > MAX_REVIEW_NOTE_LENGTH
        ? [{ field: 'note', message: `must be at most ${MAX_REVIEW_NOTE_LENGTH} characters` }]
        : [],
  )
  return inTransaction(deps.db, async (trx) => {
    const before = await loadForWrite(deps, trx, articleId)
    if (input.version !== undefined) assertVersion(before, input.version)
    assertWaiting(before)
    return changeStatus(deps, trx, before, {
      set: {
        submitted_at: null,
        submitted_by: null,
        review_note: note,
        review_note_at: deps.clock.now(),
        review_note_by: userIdOf(actor),
      },
      actor,
      kind: 'sent-back',
      changed: ['submittedAt', 'reviewNote'],
      event: { type: 'article.sent_back', payload: { note, to: before.submittedBy } },
    })
  })
}

/**
 * Sets (or, with null, lifts) the time before which a story may not go live. Publishing
 * before it is refused, and a schedule must fall at or after it.
 */
export async function setEmbargo(
  deps: ArticleDeps,
  actor: ArticleWriter,
  articleId: number,
  until: Date | null,
  expectedVersion?: number,
): Promise<ArticleView> {
  assertCanPublish(actor)
  const now = deps.clock.now()
  if (until !== null && Number.isNaN(until.getTime()))
    assertNoProblems([{ field: 'until', message: 'is not a date' }])
  if (until !== null && until.getTime() <= now.getTime())
    assertNoProblems([{ field: 'until', message: 'must be in the future' }])
  return inTransaction(deps.db, async (trx) => {
    const before = await loadForWrite(deps, trx, articleId)
    if (expectedVersion !== undefined) assertVersion(before, expectedVersion)
    if (before.status === 'published')
      throw new AppError(
        'CONFLICT',
        'The story is already published: an embargo only holds back a story not yet out',
      )
    if (until !== null && before.status === 'scheduled' && before.scheduledAt && before.scheduledAt < until) {
      throw new AppError(
        'CONFLICT',
        `The story is scheduled for ${utcMinute(before.scheduledAt)}, before that embargo: reschedule it first`,
      )
    }
    return changeStatus(deps, trx, before, {
      set: { embargo_until: until },
      actor,
      kind: 'embargo',
      changed: ['embargoUntil'],
      event: { type: 'article.embargo_changed', payload: { until: until?.toISOString() ?? null } },
    })
  })
}

function staffOnly(actor: ArticleWriter, what: string): number {
  if (isSystemActor(actor)) throw new AppError('FORBIDDEN', `Only newsroom staff may ${what}`)
  return actor.userId
}

/** Contributors act on their own stories; editors and admins on any. */
function assertOwnOrEditor(actor: ArticleWriter, article: Article): void {
  if (isSystemActor(actor) || can(actor.role, 'article:write-any')) return
  if (article.createdBy !== actor.userId)
    throw new AppError('FORBIDDEN', 'Contributors may submit or withdraw only their own stories')
}

function assertWaiting(article: Article): void {
  if (article.submittedAt === null) throw new AppError('CONFLICT', 'The story is not waiting for review')
}
