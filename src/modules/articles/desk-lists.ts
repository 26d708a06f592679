import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from '#kysely'
import { toDate, type Database, type Db, type MediaTable } from '../../platform/database.js'
import type { Article, ArticleStatus, ArticleView, HeroImage } from './article.js'
import { heroFromRow, listPublished, toArticle, type PublishedFilter } from './article-queries.js'

/**
 * The newsroom's preset story lists. The wire queue holds what wire ingest filed as a
 * draft and no one has picked up yet: no staff creator and no staff author.
 */
export type DeskList = 'mine' | 'review' | 'scheduled' | 'published' | 'wire'
export const DESK_LISTS: readonly DeskList[] = ['mine', 'review', 'scheduled', 'published', 'wire']

export interface DeskFilter {
  list?: DeskList | undefined
  status?: ArticleStatus | undefined
  sectionId?: number | undefined
  /** A staff author of the story. */
  authorId?: number | undefined
  /** Who created it: "mine", and every list a contributor sees. */
  createdBy?: number | undefined
  /** Words in the headline or the text. */
  q?: string | undefined
  /** On the list's own time (see listTime), from inclusive, to exclusive. */
  from?: Date | undefined
  to?: Date | undefined
}

type DateColumn = 'modified_at' | 'submitted_at' | 'scheduled_at' | 'first_published_at'

/** The time a list sorts and filters on, and which way: queues oldest first, archives newest first. */
export function listTime(list: DeskList | undefined): { column: DateColumn; direction: 'asc' | 'desc' } {
  if (list === 'review') return { column: 'submitted_at', direction: 'asc' }
  if (list === 'scheduled') return { column: 'scheduled_at', direction: 'asc' }
  if (list === 'published') return { column: 'first_published_at', direction: 'desc' }
  return { column: 'modified_at', direction: 'desc' }
}

type ArticleExpressions = ExpressionBuilder<Database, 'article'>

function conditions(eb: ArticleExpressions, filter: DeskFilter): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = []
  const { list } = filter
  if (list === 'mine' || list === 'wire') where.push(eb('article.status', '=', 'draft'))
  if (list === 'review') where.push(eb('article.submitted_at', 'is not', null))
  if (list === 'scheduled') where.push(eb('article.status', '=', 'scheduled'))
  if (list === 'published') where.push(eb('article.status', '=', 'published'))
  if (list === 'wire') {
    where.push(eb('article.created_by', 'is', null))
    where.push(
      eb.not(
        eb.exists(
          eb
            .selectFrom('article_author')
            .select('article_author.user_id')
            .whereRef('article_author.article_id', '=', 'article.id'),
        ),
      ),
    )
  }
  if (filter.status) where.push(eb('article.status', '=', filter.status))
  if (filter.sectionId !== undefined) where.push(eb('article.section_id', '=', filter.sectionId))
  if (filter.createdBy !== undefined) where.push(eb('article.created_by', '=', filter.createdBy))
  if (filter.authorId !== undefined) {
    const authorId = filter.authorId
    where.push(
      eb(
        'article.id',
        'in',
        eb.selectFrom('article_author').select('article_author.article_id').where('user_id', '=', authorId),
      ),
    )
  }
  const { column } = listTime(list)
  if (filter.from) where.push(eb(`article.${column}`, '>=', filter.from.toISOString()))
  if (filter.to) where.push(eb(`article.${column}`, '<', filter.to.toISOString()))
  const q = filter.q?.trim()
  if (q) {
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const matches = (column: 'headline' | 'body_html') =>
      sql<SqlBool>`lower(${sql.ref(`article.${column}`)}) like ${pattern} escape '\\'`
    where.push(eb.or([matches('headline'), matches('body_html')]))
  }
  return where
}

/** The query behind a story list, in its order; exported so tests can read its plan. */
export function deskListQuery(db: Db, filter: DeskFilter) {
  const { column, direction } = listTime(filter.list)
  return db
    .selectFrom('article')
    .selectAll()
    .where((eb) => eb.and(conditions(eb, filter)))
    .orderBy(`article.${column}`, direction)
    .orderBy('article.id', direction)
}

/** One page of a story list and how many stories the whole list holds. */
export async function listDeskArticles(
  db: Db,
  filter: DeskFilter,
  page: { limit: number; offset: number },
): Promise<{ items: Article[]; total: number }> {
  const [rows, count] = await Promise.all([
    deskListQuery(db, filter).limit(page.limit).offset(page.offset).execute(),
    db
      .selectFrom('article')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where((eb) => eb.and(conditions(eb, filter)))
      .executeTakeFirstOrThrow(),
  ])
  return { items: rows.map(toArticle), total: Number(count.n) }
}

/** How many stories each preset list holds, for the navigation. */
export async function countDeskLists(
  db: Db,
  scope: { userId: number; onlyOwn: boolean },
): Promise<Record<DeskList, number>> {
  const counts = await Promise.all(
    DESK_LISTS.map(async (list) => {
      const createdBy = list === 'mine' || scope.onlyOwn ? scope.userId : undefined
      const row = await db
        .selectFrom('article')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where((eb) => eb.and(conditions(eb, { list, createdBy })))
        .executeTakeFirstOrThrow()
      return [list, Number(row.n)] as const
    }),
  )
  return Object.fromEntries(counts) as Record<DeskList, number>
}

/**
 * What a list page shows of each story, loaded for the whole page at once: five queries
 * for twenty stories instead of five per story.
 */
export async function toArticleViews(db: Db, articles: Article[]): Promise<ArticleView[]> {
  if (articles.length === 0) return []
  const ids = articles.map((a) => a.id)
  const heroIds = articles.flatMap((a) => (a.heroMediaId === null ? [] : [a.heroMediaId]))
  const [sections, topics, authors, heroes, corrections] = await Promise.all([
    db
      .selectFrom('section')
      .select(['id', 'slug', 'name'])
      .where('id', 'in', [...new Set(articles.map((a) => a.sectionId))])
      .execute(),
    db
      .selectFrom('article_topic')
      .innerJoin('topic', 'topic.id', 'article_topic.topic_id')
      .select(['article_topic.article_id', 'topic.id', 'topic.slug', 'topic.name'])
      .where('article_topic.article_id', 'in', ids)
      .orderBy('article_topic.position')
      .execute(),
    db
      .selectFrom('article_author')
      .innerJoin('user', 'user.id', 'article_author.user_id')
      .select(['article_author.article_id', 'user.id', 'user.display_name', 'user.slug'])
      .where('article_author.article_id', 'in', ids)
      .orderBy('article_author.position')
      .execute(),
    db
      .selectFrom('media')
      .selectAll()
      .where('id', 'in', heroIds.length > 0 ? heroIds : [0])
      .execute(),
    db
      .selectFrom('article_correction')
      .select(['article_id', 'note', 'created_at'])
      .where('article_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
  ])
  return articles.map((article) => ({
    ...article,
    section: sections.find((s) => s.id === article.sectionId)!,
    topics: topics
      .filter((t) => t.article_id === article.id)
      .map((t) => ({ id: t.id, slug: t.slug, name: t.name })),
    authors: authors
      .filter((a) => a.article_id === article.id)
      .map((a) => ({ id: a.id, displayName: a.display_name, slug: a.slug })),
    hero: heroOf(heroes.find((h) => h.id === article.heroMediaId)),
    corrections: corrections
      .filter((c) => c.article_id === article.id)
      .map((c) => ({ note: c.note, createdAt: toDate(c.created_at) })),
  }))
}

function heroOf(row: Selectable<MediaTable> | undefined): HeroImage | null {
  return row ? heroFromRow(row) : null
}

/** Published stories in full, newest first, for feeds: the same filter as the lists, in a few queries. */
export async function listPublishedStories(db: Db, filter: PublishedFilter): Promise<ArticleView[]> {
  const ids = (await listPublished(db, filter)).map((s) => s.id)
  if (ids.length === 0) return []
  const rows = await db.selectFrom('article').selectAll().where('id', 'in', ids).execute()
  const views = await toArticleViews(db, rows.map(toArticle))
  return ids.flatMap((id) => views.filter((v) => v.id === id))
}
