import { AppError } from '../../platform/app-error.js'
import { inTransaction } from '../../platform/database.js'
import type { ArticleView, ArticleWriter } from './article.js'
import { findRevision } from './article-queries.js'
import {
  checkUpdate,
  loadEditable,
  writeUpdate,
  type ArticleDeps,
  type HeroInput,
  type UpdateArticleInput,
} from './article-service.js'

/**
 * Brings back an earlier revision's content as a new revision: history is never rewritten.
 * The caller names the version it is looking at (a newer one is a CONFLICT, as for any edit);
 * the status stays as it is, and the new revision records which version it restored.
 */
export async function restoreRevision(
  deps: ArticleDeps,
  actor: ArticleWriter,
  articleId: number,
  version: number,
  expectedVersion: number,
): Promise<ArticleView> {
  const revision = await findRevision(deps.db, articleId, version)
  if (!revision) throw new AppError('NOT_FOUND', `Story ${articleId} has no version ${version}`)
  const input = inputFromSnapshot(revision.snapshot, expectedVersion)
  // The old content meets today's rules (a section since deleted is named, not half-restored).
  const checked = await checkUpdate(deps, input)
  return inTransaction(deps.db, async (trx) => {
    const before = await loadEditable(deps, trx, actor, articleId, expectedVersion)
    return writeUpdate(deps, trx, actor, before, input, checked, { kind: 'restored', restoredFrom: version })
  })
}

/**
 * The edit that makes a story's content equal a snapshot. A field the snapshot lacks
 * (revisions written before the field existed) is left as it is now.
 */
export function inputFromSnapshot(snapshot: Record<string, unknown>, version: number): UpdateArticleInput {
  const text = (key: string) => (typeof snapshot[key] === 'string' ? snapshot[key] : undefined)
  const list = <T>(key: string, guard: (v: unknown) => v is T) => {
    const value = snapshot[key]
    return Array.isArray(value) && value.every(guard) ? value : undefined
  }
  const isString = (v: unknown): v is string => typeof v === 'string'
  const isNumber = (v: unknown): v is number => typeof v === 'number'
  return {
    version,
    updateKind: 'substantive',
    headline: text('headline'),
    slug: text('slug'),
    keyPoints: list('keyPoints', isString),
    bodyHtml: text('bodyHtml'),
    section: text('section'),
    topics: list('topics', isString),
    authorIds: list('authorIds', isNumber),
    byline: text('byline'),
    sourceCredit: text('sourceCredit'),
    hero: 'hero' in snapshot ? heroOf(snapshot['hero']) : undefined,
    breaking: typeof snapshot['breaking'] === 'boolean' ? snapshot['breaking'] : undefined,
    dateline: text('dateline'),
    language: text('language'),
  }
}

function heroOf(value: unknown): HeroInput | null {
  if (typeof value !== 'object' || value === null) return null
  const hero = value as Record<string, unknown>
  const text = (key: string) => (typeof hero[key] === 'string' ? hero[key] : '')
  return {
    src: text('src'),
    width: typeof hero['width'] === 'number' ? hero['width'] : 0,
    height: typeof hero['height'] === 'number' ? hero['height'] : 0,
    srcset: text('srcset'),
    alt: text('alt'),
    caption: text('caption'),
    credit: text('credit'),
  }
}
