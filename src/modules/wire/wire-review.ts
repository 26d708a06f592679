import type { Actor } from '../auth/index.js'
import { AppError } from '../../platform/app-error.js'
import { inTransaction } from '../../platform/database.js'
import { cleanText } from '../../platform/text.js'
import {
  findArticleById,
  toArticleView,
  unpublishArticle,
  updateArticle,
  type ArticleView,
} from '../articles/index.js'
import type { WireDeps } from './wire-service.js'
import { findHeldVersion, markReviewed, type HeldVersion } from './wire-review-queries.js'
import { articleFingerprint } from './wire-versions.js'

/** The text an editor compares: the held agency version beside the article as it is now. */
export interface HeldComparison {
  held: HeldVersion
  current: ArticleView
}

export interface ReviewInput {
  /** Why, for the audit; optional. */
  note?: string | undefined
  /** The article version the editor looked at; a different current one is a conflict. */
  articleVersion?: number | undefined
}

export async function getHeldVersion(deps: Pick<WireDeps, 'db'>, id: number): Promise<HeldComparison> {
  const held = await findHeldVersion(deps.db, id)
  if (!held) throw new AppError('NOT_FOUND', `No held wire version ${id}`)
  const article = await findArticleById(deps.db, held.articleId)
  if (!article) throw new AppError('NOT_FOUND', `The story of held wire version ${id} no longer exists`)
  return { held, current: await toArticleView(deps.db, article) }
}

/**
 * Applies a held version as the editor's own change: a new revision of the article with
 * the agency's text (recorded against the editor), or, for a held kill notice, the story
 * taken down. Later agency versions then apply on top of it again.
 */
export async function acceptHeldVersion(
  deps: WireDeps,
  actor: Actor,
  id: number,
  input: ReviewInput = {},
): Promise<HeldComparison> {
  return inTransaction(deps.db, async (trx) => {
    const { held, current } = await pendingComparison({ ...deps, db: trx }, id, input)
    const articles = { ...deps.articles, db: trx }
    let after: ArticleView
    if (held.item.withdrawn) {
      const live = current.status === 'published' || current.status === 'scheduled'
      after = live ? await unpublishArticle(articles, actor, current.id, current.version) : current
    } else {
      after = await updateArticle(articles, actor, current.id, {
        headline: held.item.headline,
        keyPoints: held.item.keyPoints,
        bodyHtml: held.item.bodyHtml,
        byline: held.item.byline,
        topics: held.item.topics,
        version: current.version,
        updateKind: 'substantive',
      })
    }
    await review(deps, trx, held, actor, 'accepted', input, {
      status: held.item.withdrawn ? 'withdrawn' : 'updated',
      articleHash: articleFingerprint(after),
    })
    return { held: { ...held, review: 'accepted' }, current: after }
  })
}

/** Keeps the editor's text: the held version stays on record, marked dismissed. */
export async function dismissHeldVersion(
  deps: WireDeps,
  actor: Actor,
  id: number,
  input: ReviewInput = {},
): Promise<HeldComparison> {
  return inTransaction(deps.db, async (trx) => {
    const { held, current } = await pendingComparison({ ...deps, db: trx }, id, input)
    await review(deps, trx, held, actor, 'dismissed', input)
    return { held: { ...held, review: 'dismissed' }, current }
  })
}

async function pendingComparison(deps: WireDeps, id: number, input: ReviewInput): Promise<HeldComparison> {
  if (input.note !== undefined && input.note.length > 1000)
    throw new AppError('INVALID_INPUT', 'note: must be at most 1000 characters')
  const comparison = await getHeldVersion(deps, id)
  if (comparison.held.review !== null)
    throw new AppError('CONFLICT', `Held wire version ${id} was already ${comparison.held.review}`)
  if (input.articleVersion !== undefined && input.articleVersion !== comparison.current.version)
    throw new AppError(
      'CONFLICT',
      `The story changed since you looked (version ${comparison.current.version}, not ${input.articleVersion}): review it again`,
    )
  return comparison
}

async function review(
  deps: WireDeps,
  trx: WireDeps['db'],
  held: HeldVersion,
  actor: Actor,
  decision: 'accepted' | 'dismissed',
  input: ReviewInput,
  applied?: { status: 'updated' | 'withdrawn'; articleHash: string },
): Promise<void> {
  const marked = await markReviewed(trx, held.id, {
    review: decision,
    by: actor.userId,
    at: deps.clock.now(),
    note: cleanText(input.note ?? ''),
    applied,
  })
  if (!marked) throw new AppError('CONFLICT', `Held wire version ${held.id} was reviewed meanwhile`)
  await deps.events.append(trx, {
    type: 'wire.version_reviewed',
    articleId: held.articleId,
    payload: { wireItemId: held.id, guid: held.guid, version: held.version, decision, by: actor.userId },
  })
}
