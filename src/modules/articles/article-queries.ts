import { PostgresAdapter, sql, type Expression, type RawBuilder, type Selectable } from '#kysely'
import {
  statementChunks,
  toDate,
  type ArticleRevisionTable,
  type ArticleTable,
  type Db,
  type MediaTable,
} from '../../platform/database.js'
import { compiledOnce } from '../../platform/compiled-query.js'
import { canonicalPath } from './article.js'
import type { Article, ArticleAuthor, ArticleSummary, ArticleView, Correction, HeroImage } from './article.js'

type ArticleRow = Selectable<ArticleTable>

export function toArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    slug: row.slug,
    shortCode: row.short_code,
    headline: row.headline,
    keyPoints: JSON.parse(row.key_points) as string[],
    bodyHtml: row.body_html,
    sectionId: row.section_id,
    byline: row.byline,
    sourceCredit: row.source_credit,
    heroMediaId: row.hero_media_id,
    status: row.status,
    firstPublishedAt: toDate(row.first_published_at),
    publicUpdatedAt: toDate(row.public_updated_at),
    scheduledAt: toDate(row.scheduled_at),
    version: row.version,
    createdAt: toDate(row.created_at),
    modifiedAt: toDate(row.modified_at),
    createdBy: row.created_by,
    breaking: row.breaking === 1,
    dateline: row.dateline,
    language: row.language,
    embargoUntil: toDate(row.embargo_until),
    submittedAt: toDate(row.submitted_at),
    submittedBy: row.submitted_by,
    reviewNote: row.review_note,
    reviewNoteAt: toDate(row.review_note_at),
    reviewNoteBy: row.review_note_by,
  }
}

export async function findArticleById(db: Db, id: number): Promise<Article | undefined> {
  const row = await db.selectFrom('article').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toArticle(row)
}

/** The stories with these ids (as many as fit one statement), in no particular order. */
export async function findArticlesByIds(db: Db, ids: readonly number[]): Promise<Article[]> {
  if (ids.length === 0) return []
  const rows = await db.selectFrom('article').selectAll().where('id', 'in', ids).execute()
  return rows.map(toArticle)
}

/** Locks the row on PostgreSQL so two concurrent saves serialise; SQLite serialises writers anyway. */
export async function getArticleForUpdate(
  db: Db,
  id: number,
  dialect: 'sqlite' | 'postgres',
): Promise<Article | undefined> {
  let query = db.selectFrom('article').selectAll().where('id', '=', id)
  if (dialect === 'postgres') query = query.forUpdate()
  const row = await query.executeTakeFirst()
  return row && toArticle(row)
}

/**
 * A story with everything its page shows (section, topics, authors, hero, corrections), in
 * one statement: the read behind every uncached story page. toArticleView(findArticleBySlug)
 * gives the same in six statements, each with its own trip through Kysely and the driver.
 * The lists come as JSON, unordered, each row with its position, and are put in order
 * here: an ORDER BY inside the aggregate costs SQLite as much as the five saved statements.
 */
export async function findArticleViewBySlug(db: Db, slug: string): Promise<ArticleView | undefined> {
  const [row] = await articleViewBySlug(db, slug)
  if (!row) return undefined
  // The row goes to toArticle whole: copying it less the other columns (`...rest`) took
  // V8's slow path, at more than the rest of this function together.
  return {
    ...toArticle(row),
    section: { id: row.section_id, slug: row.section_slug, name: row.section_name },
    topics: inOrder<[number, string, string, number]>(row.topic_rows, 3).map(([id, slug, name]) => ({
      id,
      slug,
      name,
    })),
    authors: inOrder<[number, string, string, number]>(row.author_rows, 3).map(([id, displayName, slug]) => ({
      id,
      displayName,
      slug,
    })),
    hero: joinedHero(row),
    corrections: jsonRows<[string, string]>(row.correction_rows)
      .map(([note, at]) => ({ note, createdAt: new Date(at) }))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
  }
}

const articleViewBySlug = compiledOnce((db, slug: string) =>
  db
    .selectFrom('article')
    .innerJoin('section', 'section.id', 'article.section_id')
    .leftJoin('media', 'media.id', 'article.hero_media_id')
    .selectAll('article')
    .select((eb) => [
      'section.slug as section_slug',
      'section.name as section_name',
      ...HERO_COLUMNS,
      'media.sources',
      'media.storage_key',
      eb
        .selectFrom('article_topic')
        .innerJoin('topic', 'topic.id', 'article_topic.topic_id')
        .select((inner) =>
          jsonArrayOfRows(db, [
            inner.ref('topic.id'),
            inner.ref('topic.slug'),
            inner.ref('topic.name'),
            inner.ref('article_topic.position'),
          ]).as('rows'),
        )
        .whereRef('article_topic.article_id', '=', 'article.id')
        .as('topic_rows'),
      eb
        .selectFrom('article_author')
        .innerJoin('user', 'user.id', 'article_author.user_id')
        .select((inner) =>
          jsonArrayOfRows(db, [
            inner.ref('user.id'),
            inner.ref('user.display_name'),
            inner.ref('user.slug'),
            inner.ref('article_author.position'),
          ]).as('rows'),
        )
        .whereRef('article_author.article_id', '=', 'article.id')
        .as('author_rows'),
      eb
        .selectFrom('article_correction')
        .select((inner) =>
          jsonArrayOfRows(db, [
            inner.ref('article_correction.note'),
            inner.ref('article_correction.created_at'),
          ]).as('rows'),
        )
        .whereRef('article_correction.article_id', '=', 'article.id')
        .as('correction_rows'),
    ])
    .where('article.slug', '=', slug),
)

/**
 * A correlated subquery's rows as one JSON array of arrays, in no particular order; an
 * empty array when there are none. SQLite answers with the JSON's text, PostgreSQL with it parsed.
 */
function jsonArrayOfRows(db: Db, columns: Expression<unknown>[]): RawBuilder<unknown> {
  const values = sql.join(columns)
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql`coalesce(json_agg(json_build_array(${values})), '[]'::json)`
    : sql`json_group_array(json_array(${values}))`
}

function jsonRows<T>(value: unknown): T[] {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T[]
}

/** JSON rows sorted by the position each carries at `positionAt`. */
function inOrder<T extends unknown[]>(value: unknown, positionAt: number): T[] {
  return jsonRows<T>(value).sort((a, b) => (a[positionAt] as number) - (b[positionAt] as number))
}

export async function findArticleBySlug(db: Db, slug: string): Promise<Article | undefined> {
  const [row] = await articleBySlug(db, slug)
  return row && toArticle(row)
}

// The reads behind every story page, compiled once (see compiledOnce).
const articleBySlug = compiledOnce((db, slug: string) =>
  db.selectFrom('article').selectAll().where('slug', '=', slug),
)
const sectionOfStory = compiledOnce((db, sectionId: number) =>
  db.selectFrom('section').select(['id', 'slug', 'name']).where('id', '=', sectionId),
)
const topicsOfStory = compiledOnce((db, articleId: number) =>
  db
    .selectFrom('article_topic')
    .innerJoin('topic', 'topic.id', 'article_topic.topic_id')
    .select(['topic.id', 'topic.slug', 'topic.name'])
    .where('article_topic.article_id', '=', articleId)
    .orderBy('article_topic.position'),
)
const authorsOfStory = compiledOnce((db, articleId: number) =>
  db
    .selectFrom('article_author')
    .innerJoin('user', 'user.id', 'article_author.user_id')
    .select(['user.id', 'user.display_name', 'user.slug'])
    .where('article_author.article_id', '=', articleId)
    .orderBy('article_author.position'),
)
const mediaById = compiledOnce((db, mediaId: number) =>
  db.selectFrom('media').selectAll().where('id', '=', mediaId),
)
const correctionsOfStory = compiledOnce((db, articleId: number) =>
  db
    .selectFrom('article_correction')
    .select(['note', 'created_at'])
    .where('article_id', '=', articleId)
    .orderBy('created_at'),
)

/** An article that once had this slug, for redirects after a headline change. */
export async function findArticleByOldSlug(db: Db, slug: string): Promise<Article | undefined> {
  const row = await db
    .selectFrom('article_slug')
    .innerJoin('article', 'article.id', 'article_slug.article_id')
    .selectAll('article')
    .where('article_slug.slug', '=', slug)
    .executeTakeFirst()
  return row && toArticle(row)
}

export async function findArticleByShortCode(db: Db, code: string): Promise<Article | undefined> {
  const row = await db.selectFrom('article').selectAll().where('short_code', '=', code).executeTakeFirst()
  return row && toArticle(row)
}

/** Which of these slugs a story has now or had (article_slug), other than `exceptArticleId`'s own. */
export async function findTakenSlugs(
  db: Db,
  slugs: readonly string[],
  exceptArticleId?: number,
): Promise<Set<string>> {
  const taken = new Set<string>()
  for (const chunk of statementChunks(slugs, 2)) {
    let current = db.selectFrom('article').select('slug').where('slug', 'in', chunk)
    let old = db.selectFrom('article_slug').select('slug').where('slug', 'in', chunk)
    if (exceptArticleId !== undefined) {
      current = current.where('id', '!=', exceptArticleId)
      old = old.where('article_id', '!=', exceptArticleId)
    }
    for (const row of await current.union(old).execute()) taken.add(row.slug)
  }
  return taken
}

/** Which of these short codes a story already has. */
export async function findTakenShortCodes(db: Db, codes: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>()
  for (const chunk of statementChunks(codes, 1)) {
    const rows = await db
      .selectFrom('article')
      .select('short_code')
      .where('short_code', 'in', chunk)
      .execute()
    for (const row of rows) taken.add(row.short_code)
  }
  return taken
}

/**
 * Serialises slug choice for these base slugs until the transaction ends. Without it two
 * PostgreSQL transactions both see "x" free and one insert fails on the unique index;
 * SQLite serialises writers anyway. Taken in sorted order, so two batches cannot deadlock.
 */
export async function lockSlugBases(
  db: Db,
  bases: readonly string[],
  dialect: 'sqlite' | 'postgres',
): Promise<void> {
  if (dialect !== 'postgres' || bases.length === 0) return
  const sorted = [...new Set(bases)].sort()
  await sql`select pg_advisory_xact_lock(7272, hashtext(b)) from unnest(${sorted}::text[]) as b`.execute(db)
}

/** A new story's row: every column but its id and those a new story starts without (review, embargo). */
export type NewArticleRow = Omit<ArticleRow, 'id' | keyof typeof NEW_ARTICLE_EMPTY>

/** What the columns a new story's row leaves out start as (their defaults in the schema). */
const NEW_ARTICLE_EMPTY = {
  embargo_until: null,
  submitted_at: null,
  submitted_by: null,
  review_note: '',
  review_note_at: null,
  review_note_by: null,
} as const satisfies Partial<ArticleRow>

/**
 * Inserts new stories; returns each as stored, by slug. Only the ids are read back: the
 * rest is what was written (a wire batch inserts hundreds of bodies, which need not come
 * back). Times are copied, so no two stories share a Date.
 */
export async function insertArticleRows(
  db: Db,
  rows: readonly NewArticleRow[],
): Promise<Map<string, Article>> {
  const inserted = new Map<string, Article>()
  const columns = Object.keys(rows[0] ?? {}).length
  for (const chunk of statementChunks(rows, columns)) {
    const ids = await db.insertInto('article').values(chunk).returning(['id', 'slug']).execute()
    const idOf = new Map(ids.map((r) => [r.slug, r.id]))
    for (const row of chunk) {
      const id = idOf.get(row.slug)
      if (id !== undefined) inserted.set(row.slug, toArticle({ ...copyTimes(row), ...NEW_ARTICLE_EMPTY, id }))
    }
  }
  return inserted
}

function copyTimes(row: NewArticleRow): NewArticleRow {
  return {
    ...row,
    first_published_at: ownTime(row.first_published_at),
    public_updated_at: ownTime(row.public_updated_at),
    scheduled_at: ownTime(row.scheduled_at),
    created_at: ownTime(row.created_at),
    modified_at: ownTime(row.modified_at),
  }
}

function ownTime<T extends Date | string | null>(time: T): T {
  return (time instanceof Date ? new Date(time) : time) as T
}

function parseSources(json: string): HeroImage['sources'] {
  const value: unknown = JSON.parse(json)
  return Array.isArray(value) ? (value as HeroImage['sources']) : []
}

export async function findHero(db: Db, mediaId: number | null): Promise<HeroImage | null> {
  if (mediaId === null) return null
  const [row] = await mediaById(db, mediaId)
  return row ? heroFromRow(row) : null
}

/** The columns a left join of media adds to a story's row for its hero; joinedHero reads them. */
const HERO_COLUMNS = [
  'media.id as media_id',
  'media.src',
  'media.width',
  'media.height',
  'media.srcset',
  'media.alt',
  'media.caption',
  'media.credit',
] as const

/**
 * The hero of a story read with its media left-joined (HERO_COLUMNS, and `sources` and
 * `storage_key` where the reader shows them); null when it has none. Without them, as in
 * story lists, the hero has no modern-format sources and counts as not in the library.
 */
function joinedHero(row: {
  media_id: number | null
  src: string | null
  width: number | null
  height: number | null
  srcset: string | null
  alt: string | null
  caption: string | null
  credit: string | null
  sources?: string | null
  storage_key?: string | null
}): HeroImage | null {
  if (row.media_id === null || row.src === null) return null
  return {
    id: row.media_id,
    src: row.src,
    width: row.width ?? 0,
    height: row.height ?? 0,
    srcset: row.srcset ?? '',
    sources: row.sources ? parseSources(row.sources) : [],
    stored: row.storage_key != null,
    alt: row.alt ?? '',
    caption: row.caption ?? '',
    credit: row.credit ?? '',
  }
}

/** A media row as the hero of a story. */
export function heroFromRow(row: Selectable<MediaTable>): HeroImage {
  // Never null: a media row has its id and source.
  return joinedHero({ ...row, media_id: row.id })!
}

/** Loads everything a page or API response shows with the article. */
export async function toArticleView(db: Db, article: Article): Promise<ArticleView> {
  const [[section], topics, authors, hero, corrections] = await Promise.all([
    sectionOfStory(db, article.sectionId),
    topicsOfStory(db, article.id),
    listAuthors(db, article.id),
    findHero(db, article.heroMediaId),
    listCorrections(db, article.id),
  ])
  if (!section)
    throw new Error(`story ${article.id} is in section ${article.sectionId}, which does not exist`)
  return { ...article, section, topics, authors, hero, corrections }
}

async function listAuthors(db: Db, articleId: number): Promise<ArticleAuthor[]> {
  const rows = await authorsOfStory(db, articleId)
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, slug: r.slug }))
}

async function listCorrections(db: Db, articleId: number): Promise<Correction[]> {
  const rows = await correctionsOfStory(db, articleId)
  return rows.map((r) => ({ note: r.note, createdAt: toDate(r.created_at) }))
}

export interface PublishedFilter {
  sectionId?: number | undefined
  topicId?: number | undefined
  authorId?: number | undefined
  excludeIds?: number[] | undefined
  /** Only these stories (search results, say); an empty list finds none. */
  ids?: number[] | undefined
  /** Only stories flagged as breaking news. */
  breaking?: boolean | undefined
  limit: number
  offset: number
}

/** Published stories, newest first: the query behind every front and list. */
export async function listPublished(db: Db, filter: PublishedFilter): Promise<ArticleSummary[]> {
  if (filter.ids?.length === 0) return []
  const rows = await publishedListQuery(db, filter).execute()
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    headline: r.headline,
    keyPoints: JSON.parse(r.key_points) as string[],
    sectionSlug: r.section_slug,
    sectionName: r.section_name,
    firstPublishedAt: toDate(r.first_published_at ?? new Date(0)),
    publicUpdatedAt: toDate(r.public_updated_at ?? r.first_published_at ?? new Date(0)),
    hero: joinedHero(r),
  }))
}

/** The query behind listPublished, on its own so tests can check its plan. */
export function publishedListQuery(db: Db, filter: PublishedFilter) {
  let query = db
    .selectFrom('article')
    .innerJoin('section', 'section.id', 'article.section_id')
    .leftJoin('media', 'media.id', 'article.hero_media_id')
    .select([
      'article.id',
      'article.slug',
      'article.headline',
      'article.key_points',
      'article.first_published_at',
      'article.public_updated_at',
      'section.slug as section_slug',
      'section.name as section_name',
      ...HERO_COLUMNS,
    ])
    .where('article.status', '=', 'published')
  if (filter.sectionId !== undefined) query = query.where('article.section_id', '=', filter.sectionId)
  if (filter.topicId !== undefined) {
    const topicId = filter.topicId
    query = query.where('article.id', 'in', (eb) =>
      eb.selectFrom('article_topic').select('article_id').where('topic_id', '=', topicId),
    )
  }
  if (filter.authorId !== undefined) {
    const authorId = filter.authorId
    query = query.where('article.id', 'in', (eb) =>
      eb.selectFrom('article_author').select('article_id').where('user_id', '=', authorId),
    )
  }
  if (filter.excludeIds && filter.excludeIds.length > 0)
    query = query.where('article.id', 'not in', filter.excludeIds)
  if (filter.ids) query = query.where('article.id', 'in', filter.ids)
  if (filter.breaking) query = query.where('article.breaking', '=', 1)
  return query
    .orderBy('article.first_published_at', 'desc')
    .orderBy('article.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
}

export interface ArticleListFilter {
  status?: Article['status'] | undefined
  sectionId?: number | undefined
  createdBy?: number | undefined
  limit: number
  offset: number
}

/** The newsroom's list: every status, most recently changed first. */
export async function listArticles(db: Db, filter: ArticleListFilter): Promise<Article[]> {
  let query = db.selectFrom('article').selectAll()
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.sectionId !== undefined) query = query.where('section_id', '=', filter.sectionId)
  if (filter.createdBy !== undefined) query = query.where('created_by', '=', filter.createdBy)
  const rows = await query
    .orderBy('modified_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute()
  return rows.map(toArticle)
}

export async function listDueScheduled(db: Db, now: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('article')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('scheduled_at', '<=', now)
    .orderBy('scheduled_at')
    .limit(100)
    .execute()
  return rows.map((r) => r.id)
}

export interface RevisionRecord {
  version: number
  userId: number | null
  /** The display name of who saved it; null for the system or a deleted user. */
  userName: string | null
  createdAt: Date
  kind: string
  changedFields: string[]
  /** The version a restore brought back; null for every other revision. */
  restoredFrom: number | null
  snapshot: Record<string, unknown>
}

function revisionQuery(db: Db, articleId: number) {
  return db
    .selectFrom('article_revision')
    .leftJoin('user', 'user.id', 'article_revision.user_id')
    .selectAll('article_revision')
    .select('user.display_name')
    .where('article_revision.article_id', '=', articleId)
}

function toRevision(r: Selectable<ArticleRevisionTable> & { display_name: string | null }): RevisionRecord {
  const { restoredFrom, ...snapshot } = JSON.parse(r.snapshot) as Record<string, unknown>
  return {
    version: r.version,
    userId: r.user_id,
    userName: r.display_name,
    createdAt: toDate(r.created_at),
    kind: r.kind,
    changedFields: JSON.parse(r.changed_fields) as string[],
    restoredFrom: typeof restoredFrom === 'number' ? restoredFrom : null,
    snapshot,
  }
}

export async function listRevisions(db: Db, articleId: number): Promise<RevisionRecord[]> {
  const rows = await revisionQuery(db, articleId).orderBy('article_revision.version', 'desc').execute()
  const revisions = rows.map(toRevision)
  const byVersion = new Map(revisions.map((r) => [r.version, r]))
  for (const revision of revisions) {
    const sameAs = bodySameAs(revision)
    if (sameAs !== undefined) revision.snapshot['bodyHtml'] = byVersion.get(sameAs)?.snapshot['bodyHtml']
  }
  return revisions
}

/** One revision of a story by its version, or undefined when the story never had it. */
export async function findRevision(
  db: Db,
  articleId: number,
  version: number,
): Promise<RevisionRecord | undefined> {
  const row = await revisionQuery(db, articleId)
    .where('article_revision.version', '=', version)
    .executeTakeFirst()
  const revision = row && toRevision(row)
  const sameAs = revision && bodySameAs(revision)
  if (revision && sameAs !== undefined)
    revision.snapshot['bodyHtml'] = (await findRevision(db, articleId, sameAs))?.snapshot['bodyHtml']
  return revision
}

/**
 * The version whose body a revision shares, when its snapshot holds `{ sameAs: version }`
 * in place of the body: the "published" revision of a story created and published at once.
 */
function bodySameAs(revision: RevisionRecord): number | undefined {
  const body = revision.snapshot['bodyHtml']
  if (typeof body !== 'object' || body === null || !('sameAs' in body)) return undefined
  return typeof body.sameAs === 'number' && body.sameAs < revision.version ? body.sameAs : undefined
}

/** Where a story is and in what state: for outcomes that only name it. */
export interface ArticlePlace {
  id: number
  status: Article['status']
  path: string
}

/** Where a story is and in what state, in one read. */
export async function findArticlePlace(db: Db, articleId: number): Promise<ArticlePlace | undefined> {
  return (await findArticlePlaces(db, [articleId])).get(articleId)
}

/** findArticlePlace for many stories at once, by id; a story that is gone is absent. */
export async function findArticlePlaces(
  db: Db,
  articleIds: readonly number[],
): Promise<Map<number, ArticlePlace>> {
  const places = new Map<number, ArticlePlace>()
  for (const chunk of statementChunks([...new Set(articleIds)], 1)) {
    const rows = await db
      .selectFrom('article')
      .innerJoin('section', 'section.id', 'article.section_id')
      .select(['article.id', 'article.status', 'article.slug', 'section.slug as section_slug'])
      .where('article.id', 'in', chunk)
      .execute()
    for (const row of rows)
      places.set(row.id, { id: row.id, status: row.status, path: canonicalPath(row, row.section_slug) })
  }
  return places
}

/** The ids a story is filed under (section, topics, authors): what followers follow. */
export async function findArticleTargets(
  db: Db,
  articleId: number,
): Promise<{ topicIds: number[]; authorIds: number[] }> {
  const [topics, authors] = await Promise.all([
    db.selectFrom('article_topic').select('topic_id').where('article_id', '=', articleId).execute(),
    db.selectFrom('article_author').select('user_id').where('article_id', '=', articleId).execute(),
  ])
  return { topicIds: topics.map((t) => t.topic_id), authorIds: authors.map((a) => a.user_id) }
}

/** When the first and the latest published stories went out; undefined when none has. */
export async function publishedSpan(db: Db): Promise<{ first: Date; last: Date } | undefined> {
  const row = await db
    .selectFrom('article')
    .select((eb) => [eb.fn.min('first_published_at').as('first'), eb.fn.max('first_published_at').as('last')])
    .where('status', '=', 'published')
    .executeTakeFirst()
  if (!row?.first || !row.last) return undefined
  return { first: toDate(row.first), last: toDate(row.last) }
}

/** A published story as sitemaps name it. */
export interface PublishedEntry {
  slug: string
  sectionSlug: string
  headline: string
  language: string
  firstPublishedAt: Date
  publicUpdatedAt: Date
}

/** How many stories were first published in [from, to): how many sitemap files a month needs. */
export async function countPublishedBetween(db: Db, range: { from: Date; to: Date }): Promise<number> {
  const row = await db
    .selectFrom('article')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('status', '=', 'published')
    .where('first_published_at', '>=', range.from)
    .where('first_published_at', '<', range.to)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Stories first published in [from, to), newest first: a month's sitemap, the news sitemap. */
export async function listPublishedBetween(
  db: Db,
  range: { from: Date; to: Date; limit: number; offset?: number | undefined },
): Promise<PublishedEntry[]> {
  const rows = await db
    .selectFrom('article')
    .innerJoin('section', 'section.id', 'article.section_id')
    .select([
      'article.slug',
      'article.headline',
      'article.language',
      'article.first_published_at',
      'article.public_updated_at',
      'section.slug as section_slug',
    ])
    .where('article.status', '=', 'published')
    .where('article.first_published_at', '>=', range.from)
    .where('article.first_published_at', '<', range.to)
    .orderBy('article.first_published_at', 'desc')
    .orderBy('article.id', 'desc')
    .limit(range.limit)
    .offset(range.offset ?? 0)
    .execute()
  return rows.map((r) => ({
    slug: r.slug,
    sectionSlug: r.section_slug,
    headline: r.headline,
    language: r.language,
    firstPublishedAt: toDate(r.first_published_at!),
    publicUpdatedAt: toDate(r.public_updated_at ?? r.first_published_at!),
  }))
}
