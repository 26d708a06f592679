import type { ArticleStatus, DeskFilter, DeskList } from '../../../modules/articles/index.js'
import { can, type Actor } from '../../../modules/auth/index.js'
import { findSectionBySlug } from '../../../modules/taxonomy/index.js'
import { AppError, type FieldProblem } from '../../../platform/app-error.js'
import type { AppDeps } from '../../app-deps.js'

export interface ArticleListQueryString {
  status?: ArticleStatus
  section?: string
  mine?: boolean
  list?: DeskList
  q?: string
  author?: number
  from?: string
  to?: string
  limit?: number
  offset?: number
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** "2026-03-02" is that day from midnight UTC; as the end of a range it includes the whole day. */
function rangeTime(value: string, end: boolean): Date {
  const day = DAY.test(value)
  const at = new Date(day ? `${value}T00:00:00.000Z` : value)
  if (day && !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) !== value) return new Date(NaN)
  if (day && end) at.setUTCDate(at.getUTCDate() + 1)
  return at
}

/** The list query as the articles module takes it; contributors see only their own stories. */
export async function deskFilterOf(
  deps: AppDeps,
  actor: Actor,
  q: ArticleListQueryString,
): Promise<{ filter: DeskFilter; limit: number; offset: number }> {
  const problems: FieldProblem[] = []
  const section = q.section ? await findSectionBySlug(deps.db, q.section) : undefined
  if (q.section && !section) problems.push({ field: 'section', message: `unknown section "${q.section}"` })
  const from = q.from === undefined ? undefined : rangeTime(q.from, false)
  const to = q.to === undefined ? undefined : rangeTime(q.to, true)
  if (from && Number.isNaN(from.getTime())) problems.push({ field: 'from', message: 'is not a real date' })
  if (to && Number.isNaN(to.getTime())) problems.push({ field: 'to', message: 'is not a real date' })
  if (q.q !== undefined && q.q.trim() === '') problems.push({ field: 'q', message: 'is only spaces' })
  if (problems.length > 0)
    throw new AppError('INVALID_INPUT', problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
      details: { problems },
    })
  const own = q.mine || q.list === 'mine' || !can(actor.role, 'article:write-any')
  return {
    filter: {
      list: q.list,
      status: q.status,
      sectionId: section?.id,
      authorId: q.author,
      createdBy: own ? actor.userId : undefined,
      q: q.q,
      from,
      to,
    },
    limit: q.limit ?? 20,
    offset: q.offset ?? 0,
  }
}
