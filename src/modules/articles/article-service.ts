import type { Updateable } from '#kysely'
import { AppError, assertNoProblems, type FieldProblem } from '../../platform/app-error.js'
import type { Clock } from '../../platform/clock.js'
import {
  inTransaction,
  statementChunks,
  type ArticleTable,
  type Db,
  type RevisionKind,
} from '../../platform/database.js'
import { isValidSlug, slugify } from '../../platform/slug.js'
import { cleanText } from '../../platform/text.js'
import type { EventOutbox, NewContentEvent } from '../events/index.js'
import { findSectionBySlug, resolveTopics } from '../taxonomy/index.js'
import { userIdOf, type Article, type ArticleView, type ArticleWriter, type UpdateKind } from './article.js'
import {
  findArticleById,
  findHero,
  getArticleForUpdate,
  listDueScheduled,
  toArticle,
  toArticleView,
} from './article-queries.js'
import {
  assertCanEdit,
  assertCanPublish,
  assertEmbargoPassed,
  assertPublishable,
  assertScheduleAfterEmbargo,
  assertVersion,
  changedFields,
  checkArticleFields,
  publishProblems,
} from './article-rules.js'
import { sanitizeBody } from '../story-text/index.js'
import { uniqueSlugs } from './unique-slugs.js'

export interface ArticleDeps {
  db: Db
  clock: Clock
  events: EventOutbox
  dialect: 'sqlite' | 'postgres'
}

export interface HeroInput {
  src: string
  width: number
  height: number
  srcset?: string | undefined
  alt: string
  caption?: string | undefined
  credit?: string | undefined
}

/** Editable fields; absent means "leave as is" on update. */
export interface ArticleFieldsInput {
  headline?: string | undefined
  slug?: string | undefined
  keyPoints?: string[] | undefined
  bodyHtml?: string | undefined
  section?: string | undefined
  topics?: string[] | undefined
  authorIds?: number[] | undefined
  byline?: string | undefined
  sourceCredit?: string | undefined
  hero?: HeroInput | null | undefined
  breaking?: boolean | undefined
  dateline?: string | undefined
  language?: string | undefined
}

export interface CreateArticleInput extends ArticleFieldsInput {
  headline: string
  section: string
}

export interface UpdateArticleInput extends ArticleFieldsInput {
  /** The version the editor started from; a different current version is a conflict. */
  version: number
  updateKind?: UpdateKind | undefined
  correction?: string | undefined
}

export interface CleanFields {
  headline?: string
  slug?: string
  keyPoints?: string[]
  bodyHtml?: string
  byline?: string
  sourceCredit?: string
  correction?: string
  dateline?: string
  language?: string
}

export function cleanFields(input: ArticleFieldsInput & { correction?: string | undefined }): CleanFields {
  return {
    ...(input.headline !== undefined && { headline: cleanText(input.headline) }),
    ...(input.slug !== undefined && { slug: input.slug.trim() }),
    ...(input.keyPoints !== undefined && { keyPoints: input.keyPoints.map(cleanText) }),
    ...(input.bodyHtml !== undefined && { bodyHtml: sanitizeBody(input.bodyHtml) }),
    ...(input.byline !== undefined && { byline: cleanText(input.byline) }),
    ...(input.sourceCredit !== undefined && { sourceCredit: cleanText(input.sourceCredit) }),
    ...(input.correction !== undefined && { correction: cleanText(input.correction) }),
    ...(input.dateline !== undefined && { dateline: cleanText(input.dateline) }),
    ...(input.language !== undefined && { language: input.language.trim() }),
  }
}

export function checkHero(hero: HeroInput | null | undefined): FieldProblem[] {
  if (!hero) return []
  const problems: FieldProblem[] = []
  if (!/^(https?:\/\/[^\s"'<>]+|\/(media|assets)\/[\w./-]+)$/.test(hero.src) || hero.src.includes('..')) {
    problems.push({ field: 'hero/src', message: 'must be an http(s) URL or a /media/ path' })
  }
  if (hero.srcset !== undefined && hero.srcset !== '' && !isValidSrcset(hero.srcset)) {
    problems.push({
      field: 'hero/srcset',
      message: 'must be "URL 480w, URL 800w" with http(s) or /media/ URLs',
    })
  }
  if (cleanText(hero.alt) === '')
    problems.push({ field: 'hero/alt', message: 'is required: describe the photo' })
  if (!Number.isInteger(hero.width) || hero.width < 1 || hero.width > 20000)
    problems.push({ field: 'hero/width', message: 'must be 1-20000' })
  if (!Number.isInteger(hero.height) || hero.height < 1 || hero.height > 20000)
    problems.push({ field: 'hero/height', message: 'must be 1-20000' })
  return problems
}

const SRCSET_ENTRY = /^(https?:\/\/[^\s,"'<>]+|\/media\/[\w./-]+) [1-9]\d{0,4}w$/

function isValidSrcset(srcset: string): boolean {
  return srcset.split(',').every((entry) => SRCSET_ENTRY.test(entry.trim()) && !entry.includes('..'))
}

/**
 * Saves an edit. The caller names the version it edited; if someone saved in between,
 * the save is refused (CONFLICT) rather than overwriting their work.
 */
export async function updateArticle(
  deps: ArticleDeps,
  actor: ArticleWriter,
  articleId: number,
  input: UpdateArticleInput,
): Promise<ArticleView> {
  const checked = await checkUpdate(deps, input)
  return inTransaction(deps.db, async (trx) => {
    const before = await loadEditable(deps, trx, actor, articleId, input.version)
    return writeUpdate(deps, trx, actor, before, input, checked, { kind: undefined })
  })
}

/**
 * The columns every edit of a story writes: its text fields as given or as they were, the
 * next version, and the public "Updated" time when a live story changes substantively.
 */
export function editedColumns(
  before: Article,
  input: Pick<UpdateArticleInput, 'breaking' | 'updateKind'>,
  fields: CleanFields,
  now: Date,
): Updateable<ArticleTable> {
  const substantive = (input.updateKind ?? 'substantive') === 'substantive'
  return {
    key_points: JSON.stringify(fields.keyPoints ?? before.keyPoints),
    body_html: fields.bodyHtml ?? before.bodyHtml,
    byline: fields.byline ?? before.byline,
    source_credit: fields.sourceCredit ?? before.sourceCredit,
    breaking: Number(input.breaking ?? before.breaking),
    dateline: fields.dateline ?? before.dateline,
    language: fields.language ?? before.language,
    version: before.version + 1,
    modified_at: now,
    ...(before.status === 'published' && substantive && { public_updated_at: now }),
  }
}

export interface CheckedUpdate {
  fields: CleanFields
  section: { id: number } | undefined
  /** The authors the edit names, looked up; undefined when it leaves them as they are. */
  authors: ArticleView['authors'] | undefined
}

/** Cleans and checks an edit before any write; every bad field is named at once. */
export async function checkUpdate(deps: ArticleDeps, input: UpdateArticleInput): Promise<CheckedUpdate> {
  const fields = cleanFields(input)
  const problems = [...checkArticleFields(fields), ...checkHero(input.hero)]
  if (fields.slug !== undefined && !isValidSlug(fields.slug))
    problems.push({ field: 'slug', message: 'must be lower-case letters, digits and dashes' })
  if (fields.correction !== undefined && fields.correction.length > 1000)
    problems.push({ field: 'correction', message: 'must be at most 1000 characters' })
  const section = input.section === undefined ? undefined : await findSectionBySlug(deps.db, input.section)
  if (input.section !== undefined && !section)
    problems.push({ field: 'section', message: `unknown section "${input.section}"` })
  const authors = input.authorIds === undefined ? undefined : await lookUpAuthors(deps.db, [input.authorIds])
  problems.push(...[...(authors?.missing ?? [])].map(authorProblem))
  assertNoProblems(problems)
  return { fields, section, authors: authors?.lists[0] }
}

/**
 * What a story's fields name that does not exist: a section no one made, authors who are
 * no users. Values of the wrong type are skipped (a request's schema names those), so an
 * API request refused for its types is told of these in the same answer.
 */
export async function unknownReferences(
  db: Db,
  input: { section?: unknown; authorIds?: unknown },
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = []
  if (typeof input.section === 'string' && !(await findSectionBySlug(db, input.section)))
    problems.push({ field: 'section', message: `unknown section "${input.section}"` })
  if (Array.isArray(input.authorIds)) {
    const ids = input.authorIds.filter((id): id is number => Number.isSafeInteger(id))
    problems.push(...[...(await lookUpAuthors(db, [ids])).missing].map(authorProblem))
  }
  return problems
}

export const authorProblem = (id: number): FieldProblem => ({ field: 'authorIds', message: `no user ${id}` })

/** The story as it is now, locked, once the actor may edit it and it is still at the version they had. */
export async function loadEditable(
  deps: ArticleDeps,
  trx: Db,
  actor: ArticleWriter,
  articleId: number,
  expectedVersion: number,
): Promise<Article> {
  const before = await loadForWrite(deps, trx, articleId)
  assertCanEdit(actor, before)
  assertVersion(before, expectedVersion)
  if (before.status !== 'draft' && before.status !== 'scheduled') assertCanPublish(actor)
  return before
}

/** Writes a checked edit to a loaded story: row, topics, authors, correction, revision and event. */
export async function writeUpdate(
  deps: ArticleDeps,
  trx: Db,
  actor: ArticleWriter,
  before: Article,
  input: UpdateArticleInput,
  { fields, section, authors }: CheckedUpdate,
  record: { kind: 'restored'; restoredFrom: number } | { kind: undefined },
): Promise<ArticleView> {
  const beforeView = await toArticleView(trx, before)
  const now = deps.clock.now()

  const headline = fields.headline ?? before.headline
  let slug = before.slug
  if (fields.slug !== undefined && fields.slug !== before.slug) slug = fields.slug
  else if (fields.headline !== undefined && fields.headline !== before.headline)
    slug = slugify(headline) || before.slug
  if (slug !== before.slug) {
    slug = await uniqueSlug(deps, trx, slug, before.id)
    if (before.status !== 'draft') {
      // Links already shared keep working: the old slug redirects to the new canonical URL.
      await trx
        .insertInto('article_slug')
        .values({ slug: before.slug, article_id: before.id })
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
    await trx.deleteFrom('article_slug').where('slug', '=', slug).execute()
  }
  let heroId = before.heroMediaId
  if (input.hero === null) heroId = null
  else if (input.hero !== undefined) heroId = await saveHero(trx, heroId, input.hero, now)

  await trx
    .updateTable('article')
    .set({
      ...editedColumns(before, input, fields, now),
      headline,
      slug,
      section_id: section?.id ?? before.sectionId,
      hero_media_id: heroId,
    })
    .where('id', '=', before.id)
    .execute()
  if (input.topics !== undefined) await setTopics(deps, trx, before.id, input.topics)
  if (authors !== undefined) await setAuthors(trx, before.id, authors)
  if (fields.correction) {
    await trx
      .insertInto('article_correction')
      .values({ article_id: before.id, note: fields.correction, created_at: now })
      .execute()
  }
  const after = await reloadView(trx, before.id)
  const changed = changedFields(snapshotOf(beforeView), snapshotOf(after))
  if (fields.correction) changed.push('correction')
  const substantive = (input.updateKind ?? 'substantive') === 'substantive'
  const isLive = before.status === 'published'
  const restoredFrom = record.kind === 'restored' ? record.restoredFrom : undefined
  const kind = record.kind ?? (substantive ? 'substantive' : 'minor')
  await writeRevision(trx, after, actor, kind, changed, now, restoredFrom)
  await deps.events.append(trx, {
    type: 'article.updated',
    articleId: before.id,
    payload: {
      substantive,
      changed,
      previousSlug: before.slug,
      // live: whether readers can see the story, so caches of public pages can tell an
      // edit they must show from one to a draft they never show.
      live: isLive,
      ...(restoredFrom !== undefined && { restoredFrom }),
    },
  })
  return after
}

export async function publishArticle(
  deps: ArticleDeps,
  actor: ArticleWriter,
  articleId: number,
  expectedVersion?: number,
): Promise<ArticleView> {
  assertCanPublish(actor)
  return inTransaction(deps.db, async (trx) => {
    const before = await loadForWrite(deps, trx, articleId)
    if (expectedVersion !== undefined) assertVersion(before, expectedVersion)
    return publishLoaded(deps, trx, actor, before)
  })
}

/**
 * Publishes a story from its view, read or written in the caller's transaction (`deps.db`):
 * the wire publishes what it has just filed without reading it back. A story saved by
 * someone else since the view was taken is a CONFLICT, not overwritten.
 */
export async function publishView(deps: ArticleDeps, actor: ArticleWriter, view: ArticleView) {
  assertCanPublish(actor)
  return publishLoaded(deps, deps.db, actor, view)
}

/** Publishes a loaded story; a review request it carried is answered by going live. */
export async function publishLoaded(
  deps: ArticleDeps,
  trx: Db,
  actor: ArticleWriter | null,
  before: Article,
  kind: 'published' | 'approved' = 'published',
) {
  assertPublishable(before)
  if (before.status === 'published') return toArticleView(trx, before)
  const now = deps.clock.now()
  assertEmbargoPassed(before, now)
  return changeStatus(deps, trx, before, {
    set: {
      status: 'published',
      first_published_at: before.firstPublishedAt ?? now,
      public_updated_at: now,
      scheduled_at: null,
      submitted_at: null,
      submitted_by: null,
    },
    actor,
    kind,
    changed: before.submittedAt === null ? ['status'] : ['status', 'submittedAt'],
    event: { type: 'article.published', payload: { republished: before.firstPublishedAt !== null } },
  })
}

export async function unpublishArticle(
  deps: ArticleDeps,
  actor: ArticleWriter,
  articleId: number,
  expectedVersion?: number,
) {
  assertCanPublish(actor)
  return inTransaction(deps.db, async (trx) => {
    const before = await loadForWrite(deps, trx, articleId)
    if (expectedVersion !== undefined) assertVersion(before, expectedVersion)
    if (before.status !== 'published' && before.status !== 'scheduled') {
      throw new AppError('CONFLICT', `The story is ${before.status}, not published or scheduled`)
    }
    return changeStatus(deps, trx, before, {
      set: { status: before.status === 'published' ? 'unpublished' : 'draft', scheduled_at: null },
      actor,
      kind: 'unpublished',
      changed: ['status'],
      event: { type: 'article.unpublished' },
    })
  })
}

export async function scheduleArticle(
  deps: ArticleDeps,
  actor: ArticleWriter,
  articleId: number,
  at: Date,
  expectedVersion?: number,
) {
  assertCanPublish(actor)
  const now = deps.clock.now()
  if (Number.isNaN(at.getTime()))
    throw new AppError('INVALID_INPUT', 'publishAt: not a date', {
      details: { problems: [{ field: 'publishAt', message: 'is not a date' }] },
    })
  if (at.getTime() <= now.getTime()) {
    throw new AppError('INVALID_INPUT', 'publishAt: must be in the future', {
      details: { problems: [{ field: 'publishAt', message: 'must be in the future' }] },
    })
  }
  return inTransaction(deps.db, async (trx) => {
    const before = await loadForWrite(deps, trx, articleId)
    if (expectedVersion !== undefined) assertVersion(before, expectedVersion)
    if (before.status === 'published') throw new AppError('CONFLICT', 'The story is already published')
    assertPublishable(before)
    assertScheduleAfterEmbargo(before, at)
    return changeStatus(deps, trx, before, {
      set: { status: 'scheduled', scheduled_at: at },
      actor,
      kind: 'scheduled',
      changed: ['status', 'scheduledAt'],
      event: { type: 'article.scheduled', payload: { at: at.toISOString() } },
    })
  })
}

/** Publishes every scheduled story whose time has come; run by the scheduler loop. */
export async function publishDueArticles(deps: ArticleDeps): Promise<number[]> {
  const due = await listDueScheduled(deps.db, deps.clock.now())
  const published: number[] = []
  for (const id of due) {
    await inTransaction(deps.db, async (trx) => {
      const article = await loadForWrite(deps, trx, id)
      // Another node may have published it first; only a still-scheduled story is ours to do.
      if (article.status !== 'scheduled') return
      // A story emptied after it was scheduled waits for an editor; it must not hold up the rest.
      if (publishProblems(article).length > 0) return
      // An embargo set after scheduling waits for an editor to move the time.
      if (article.embargoUntil !== null && article.embargoUntil > deps.clock.now()) return
      await publishLoaded(deps, trx, null, article)
      published.push(id)
    })
  }
  return published
}

export interface StatusChange {
  set: Partial<
    Pick<
      Updateable<ArticleTable>,
      | 'status'
      | 'first_published_at'
      | 'public_updated_at'
      | 'scheduled_at'
      | 'embargo_until'
      | 'submitted_at'
      | 'submitted_by'
      | 'review_note'
      | 'review_note_at'
      | 'review_note_by'
    >
  >
  actor: ArticleWriter | null
  kind: RevisionKind
  changed: string[]
  event: Omit<NewContentEvent, 'articleId'>
}

/**
 * Writes a status change the one way every status change is written: row, revision and
 * event together. Given the story's view (loaded in this transaction), the new view is
 * made from it, since a status change leaves topics, authors and hero as they are.
 */
export async function changeStatus(
  deps: ArticleDeps,
  trx: Db,
  before: Article | ArticleView,
  change: StatusChange,
): Promise<ArticleView> {
  const now = deps.clock.now()
  const row = await trx
    .updateTable('article')
    .set({ ...change.set, version: before.version + 1, modified_at: now })
    .where('id', '=', before.id)
    // The version guard: a story saved by someone else since `before` was read is not overwritten.
    .where('version', '=', before.version)
    .returningAll()
    .executeTakeFirst()
  if (!row) throw new AppError('CONFLICT', `The story changed since version ${before.version}`)
  const article = toArticle(row)
  const after: ArticleView = isView(before)
    ? { ...article, ...relationsOf(before) }
    : await toArticleView(trx, article)
  await writeRevision(trx, after, change.actor, change.kind, change.changed, now)
  await deps.events.append(trx, { ...change.event, articleId: before.id })
  return after
}

function isView(article: Article | ArticleView): article is ArticleView {
  return 'section' in article
}

function relationsOf(view: ArticleView): Omit<ArticleView, keyof Article> {
  const { section, topics, authors, hero, corrections } = view
  return { section, topics, authors, hero, corrections }
}

async function reloadView(trx: Db, articleId: number): Promise<ArticleView> {
  const article = await findArticleById(trx, articleId)
  if (!article) throw new AppError('NOT_FOUND', `No article ${articleId}`)
  return toArticleView(trx, article)
}

export async function loadForWrite(deps: ArticleDeps, trx: Db, articleId: number): Promise<Article> {
  const article = await getArticleForUpdate(trx, articleId, deps.dialect)
  if (!article) throw new AppError('NOT_FOUND', `No article ${articleId}`)
  return article
}

/** The keys of snapshotOf, in its order: a story's first revision records them all as changed. */
export const SNAPSHOT_FIELDS = [
  'headline',
  'slug',
  'keyPoints',
  'bodyHtml',
  'section',
  'byline',
  'sourceCredit',
  'hero',
  'topics',
  'authorIds',
  'breaking',
  'dateline',
  'language',
  'status',
  'scheduledAt',
  'embargoUntil',
]

export function snapshotOf(view: ArticleView): Record<string, unknown> {
  return {
    headline: view.headline,
    slug: view.slug,
    keyPoints: view.keyPoints,
    bodyHtml: view.bodyHtml,
    section: view.section.slug,
    byline: view.byline,
    sourceCredit: view.sourceCredit,
    hero: view.hero && {
      src: view.hero.src,
      width: view.hero.width,
      height: view.hero.height,
      srcset: view.hero.srcset,
      alt: view.hero.alt,
      caption: view.hero.caption,
      credit: view.hero.credit,
    },
    topics: view.topics.map((t) => t.slug),
    authorIds: view.authors.map((a) => a.id),
    breaking: view.breaking,
    dateline: view.dateline,
    language: view.language,
    status: view.status,
    scheduledAt: view.scheduledAt?.toISOString() ?? null,
    embargoUntil: view.embargoUntil?.toISOString() ?? null,
  }
}

async function writeRevision(trx: Db, ...row: Parameters<typeof revisionRow>) {
  await trx
    .insertInto('article_revision')
    .values(revisionRow(...row))
    .execute()
}

/**
 * The article_revision row that records a story as `view` now is. `bodySameAs` names a
 * revision of the same story, written in the same transaction, whose body this one's is:
 * the body is then stored as that reference, which reads resolve (see CONTEXT.md).
 */
export function revisionRow(
  view: ArticleView,
  actor: ArticleWriter | null,
  kind: RevisionKind,
  changed: string[],
  now: Date,
  restoredFrom?: number,
  bodySameAs?: number,
) {
  return {
    article_id: view.id,
    version: view.version,
    user_id: userIdOf(actor),
    created_at: now,
    kind,
    changed_fields: JSON.stringify(changed),
    // A restore names the version it brought back beside the snapshot (see CONTEXT.md).
    snapshot: JSON.stringify({
      ...snapshotOf(view),
      ...(bodySameAs !== undefined && { bodyHtml: { sameAs: bodySameAs } }),
      ...(restoredFrom !== undefined && { restoredFrom }),
    }),
  }
}

/** Replaces a story's topics; returns them in their order. */
async function setTopics(
  deps: ArticleDeps,
  trx: Db,
  articleId: number,
  names: string[],
): Promise<ArticleView['topics']> {
  const topics = await resolveTopics({ db: trx, events: deps.events }, names)
  await trx.deleteFrom('article_topic').where('article_id', '=', articleId).execute()
  if (topics.length === 0) return []
  await trx
    .insertInto('article_topic')
    .values(topics.map((t, position) => ({ article_id: articleId, topic_id: t.id, position })))
    .execute()
  return topics
}

/** Replaces a story's authors with these, looked up before (lookUpAuthors). */
async function setAuthors(trx: Db, articleId: number, authors: ArticleView['authors']): Promise<void> {
  await trx.deleteFrom('article_author').where('article_id', '=', articleId).execute()
  if (authors.length === 0) return
  await trx
    .insertInto('article_author')
    .values(authors.map((a, position) => ({ article_id: articleId, user_id: a.id, position })))
    .execute()
}

/**
 * The users named in each list, in order and without repeats, with one read for all the
 * lists, and the ids that are no user (left out of the lists). Looked up before a save's
 * transaction, as its section is: users are never deleted, only made inactive.
 */
export async function lookUpAuthors(
  db: Db,
  lists: readonly (readonly number[])[],
): Promise<{ lists: ArticleView['authors'][]; missing: Set<number> }> {
  const missing = new Set(lists.flat())
  const found = new Map<number, ArticleView['authors'][number]>()
  for (const chunk of statementChunks([...missing], 1)) {
    const rows = await db
      .selectFrom('user')
      .select(['id', 'display_name', 'slug'])
      .where('id', 'in', chunk)
      .execute()
    for (const r of rows) {
      found.set(r.id, { id: r.id, displayName: r.display_name, slug: r.slug })
      missing.delete(r.id)
    }
  }
  return { lists: lists.map((ids) => [...new Set(ids)].flatMap((id) => found.get(id) ?? [])), missing }
}

/**
 * A photo from the media library (its /media/ address is stored there) is linked, not
 * copied, so its renditions reach the story when they are made; the texts the editor
 * gave become the photo's texts. Any other address gets a media row of its own.
 */
export async function insertHero(trx: Db, hero: HeroInput, now: Date): Promise<number> {
  const stored = await trx
    .selectFrom('media')
    .select('id')
    .where('src', '=', hero.src)
    .where('storage_key', 'is not', null)
    .orderBy('id', 'desc')
    .executeTakeFirst()
  if (stored) {
    await trx
      .updateTable('media')
      .set({
        alt: cleanText(hero.alt),
        ...(hero.caption !== undefined && { caption: cleanText(hero.caption) }),
        ...(hero.credit !== undefined && { credit: cleanText(hero.credit) }),
      })
      .where('id', '=', stored.id)
      .execute()
    return stored.id
  }
  const row = await trx
    .insertInto('media')
    .values({
      src: hero.src,
      width: hero.width,
      height: hero.height,
      srcset: hero.srcset ?? '',
      alt: cleanText(hero.alt),
      caption: cleanText(hero.caption ?? ''),
      credit: cleanText(hero.credit ?? ''),
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function saveHero(trx: Db, currentId: number | null, hero: HeroInput, now: Date): Promise<number> {
  const current = await findHero(trx, currentId)
  if (current && current.src === hero.src) {
    await trx
      .updateTable('media')
      .set({
        // A stored photo's size and renditions are its own, whatever a client sends back.
        ...(!current.stored && { width: hero.width, height: hero.height, srcset: hero.srcset ?? '' }),
        alt: cleanText(hero.alt),
        ...((hero.caption !== undefined || !current.stored) && { caption: cleanText(hero.caption ?? '') }),
        ...((hero.credit !== undefined || !current.stored) && { credit: cleanText(hero.credit ?? '') }),
      })
      .where('id', '=', current.id)
      .execute()
    return current.id
  }
  return insertHero(trx, hero, now)
}

async function uniqueSlug(deps: ArticleDeps, trx: Db, base: string, articleId?: number): Promise<string> {
  const [slug = base] = await uniqueSlugs(deps, trx, [base], articleId)
  return slug
}
