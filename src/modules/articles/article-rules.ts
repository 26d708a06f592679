import { AppError, type FieldProblem } from '../../platform/app-error.js'
import { can } from '../auth/index.js'
import {
  MAX_BODY_LENGTH,
  MAX_DATELINE_LENGTH,
  MAX_HEADLINE_LENGTH,
  MAX_KEY_POINT_LENGTH,
  MAX_KEY_POINTS,
} from '../story-text/index.js'
import { isSystemActor, type Article, type ArticleWriter } from './article.js'

/** Field checks shared by create and update; every problem is named, none stops the rest. */
export function checkArticleFields(fields: {
  headline?: string | undefined
  keyPoints?: string[] | undefined
  bodyHtml?: string | undefined
  byline?: string | undefined
  sourceCredit?: string | undefined
  dateline?: string | undefined
  language?: string | undefined
}): FieldProblem[] {
  const problems: FieldProblem[] = []
  if (fields.headline !== undefined) {
    if (fields.headline === '') problems.push({ field: 'headline', message: 'is required' })
    if (fields.headline.length > MAX_HEADLINE_LENGTH) {
      problems.push({ field: 'headline', message: `must be at most ${MAX_HEADLINE_LENGTH} characters` })
    }
  }
  if (fields.keyPoints !== undefined) {
    if (fields.keyPoints.length > MAX_KEY_POINTS) {
      problems.push({ field: 'keyPoints', message: `must have at most ${MAX_KEY_POINTS} points` })
    }
    fields.keyPoints.forEach((point, i) => {
      if (point === '') problems.push({ field: `keyPoints/${i}`, message: 'is empty' })
      if (point.length > MAX_KEY_POINT_LENGTH) {
        problems.push({
          field: `keyPoints/${i}`,
          message: `must be at most ${MAX_KEY_POINT_LENGTH} characters`,
        })
      }
    })
  }
  if (fields.bodyHtml !== undefined && fields.bodyHtml.length > MAX_BODY_LENGTH) {
    problems.push({ field: 'bodyHtml', message: `must be at most ${MAX_BODY_LENGTH} characters` })
  }
  if (fields.byline !== undefined && fields.byline.length > 200) {
    problems.push({ field: 'byline', message: 'must be at most 200 characters' })
  }
  if (fields.sourceCredit !== undefined && fields.sourceCredit.length > 120) {
    problems.push({ field: 'sourceCredit', message: 'must be at most 120 characters' })
  }
  if (fields.dateline !== undefined && fields.dateline.length > MAX_DATELINE_LENGTH) {
    problems.push({ field: 'dateline', message: `must be at most ${MAX_DATELINE_LENGTH} characters` })
  }
  if (fields.language !== undefined && !isLanguageTag(fields.language)) {
    problems.push({ field: 'language', message: 'must be a language tag such as "en" or "pt-BR"' })
  }
  return problems
}

/** A BCP 47 tag in the shape pages and feeds use: a 2-3 letter language and optional subtags. */
export function isLanguageTag(tag: string): boolean {
  return /^[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/.test(tag)
}

/** Contributors edit their own drafts; editors and admins edit anything. */
export function assertCanEdit(actor: ArticleWriter, article: Article): void {
  if (isSystemActor(actor) || can(actor.role, 'article:write-any')) return
  const ownDraft = article.createdBy === actor.userId && article.status === 'draft'
  if (!ownDraft) throw new AppError('FORBIDDEN', 'Contributors may edit only their own drafts')
  // The editor reads what was submitted; text moving underneath them would be approved unread.
  if (article.submittedAt !== null)
    throw new AppError('CONFLICT', 'The story is waiting for review: withdraw it from review to edit it')
}

/** A time as the newsroom names it in messages: "2026-03-02 14:30 UTC". */
export function utcMinute(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** Refuses to make a story public before its embargo; the message names the time. */
export function assertEmbargoPassed(article: Pick<Article, 'embargoUntil'>, now: Date): void {
  const until = article.embargoUntil
  if (until === null || until.getTime() <= now.getTime()) return
  const time = utcMinute(until)
  const message = `The story is embargoed until ${time}: it cannot be published before then (schedule it for that time or later)`
  throw new AppError('ARTICLE_NOT_PUBLISHABLE', message, {
    details: { problems: [{ field: 'embargoUntil', message: `lasts until ${time}` }] },
  })
}

/** A schedule must not fall before the embargo; at the embargo time or later is fine. */
export function assertScheduleAfterEmbargo(article: Pick<Article, 'embargoUntil'>, at: Date): void {
  const until = article.embargoUntil
  if (until === null || at.getTime() >= until.getTime()) return
  const message = `must be at or after the embargo, ${utcMinute(until)}`
  throw new AppError('INVALID_INPUT', `publishAt: ${message}`, {
    details: { problems: [{ field: 'publishAt', message }] },
  })
}

/**
 * Editors see every story; contributors see published stories and their own. A story
 * someone may not see answers NOT_FOUND, so its existence is not given away.
 */
export function assertCanView(actor: ArticleWriter, article: Article): void {
  if (isSystemActor(actor) || can(actor.role, 'article:write-any')) return
  if (article.status !== 'published' && article.createdBy !== actor.userId)
    throw new AppError('NOT_FOUND', `No article ${article.id}`)
}

export function assertCanPublish(actor: ArticleWriter): void {
  if (!isSystemActor(actor) && !can(actor.role, 'article:publish'))
    throw new AppError('FORBIDDEN', 'Only editors may publish, schedule or unpublish')
}

export function assertVersion(article: Article, expectedVersion: number): void {
  if (article.version !== expectedVersion) {
    throw new AppError(
      'CONFLICT',
      `The story changed since you opened it (you have version ${expectedVersion}, it is at ${article.version})`,
      { details: { problems: [{ field: 'version', message: `current version is ${article.version}` }] } },
    )
  }
}

/** What stops a story going live; empty when it may be published. */
export function publishProblems(article: Pick<Article, 'headline' | 'bodyHtml'>): FieldProblem[] {
  const problems: FieldProblem[] = []
  if (article.headline.trim() === '') problems.push({ field: 'headline', message: 'is required to publish' })
  if (article.bodyHtml.trim() === '') problems.push({ field: 'bodyHtml', message: 'is required to publish' })
  return problems
}

export function assertPublishable(article: Pick<Article, 'headline' | 'bodyHtml'>): void {
  const problems = publishProblems(article)
  if (problems.length > 0) {
    throw new AppError('ARTICLE_NOT_PUBLISHABLE', problems.map((p) => `${p.field} ${p.message}`).join('; '), {
      details: { problems },
    })
  }
}

/** Which editable fields differ between two snapshots, for the revision record. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
}
