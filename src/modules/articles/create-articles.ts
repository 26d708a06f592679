import { assertNoProblems, type FieldProblem } from '../../platform/app-error.js'
import { inTransaction, insertRows, type Db } from '../../platform/database.js'
import { isValidSlug, slugify } from '../../platform/slug.js'
import type { NewContentEvent } from '../events/index.js'
import { findSectionsBySlug, resolveTopicLists, type Section } from '../taxonomy/index.js'
import { userIdOf, type ArticleView, type ArticleWriter } from './article.js'
import { findHero, insertArticleRows } from './article-queries.js'
import { assertCanPublish, assertPublishable, checkArticleFields, publishProblems } from './article-rules.js'
import {
  authorProblem,
  checkHero,
  cleanFields,
  insertHero,
  lookUpAuthors,
  revisionRow,
  SNAPSHOT_FIELDS,
  type ArticleDeps,
  type CleanFields,
  type CreateArticleInput,
} from './article-service.js'
import { uniqueShortCodes, uniqueSlugs } from './unique-slugs.js'

export interface CreateOptions {
  /**
   * Publish it as it is created: one row written, with the "created" and "published"
   * revisions and events a create then publish would write. Refused whole
   * (ARTICLE_NOT_PUBLISHABLE, FORBIDDEN) before anything is written.
   */
  publish?: boolean | undefined
}

export async function createArticle(
  deps: ArticleDeps,
  actor: ArticleWriter,
  input: CreateArticleInput,
  options: CreateOptions = {},
): Promise<ArticleView> {
  const [view] = await createArticles(deps, actor, [input], options)
  return view!
}

/**
 * Creates many stories in one go, each exactly as createArticle would, with multi-row
 * statements: a wire batch files hundreds at once. All or nothing: a problem with any
 * input refuses the lot before anything is written (fields named "2/headline" when there
 * are several inputs), and a failed write rolls back the caller's transaction.
 */
export async function createArticles(
  deps: ArticleDeps,
  actor: ArticleWriter,
  inputs: readonly CreateArticleInput[],
  options: CreateOptions = {},
): Promise<ArticleView[]> {
  return createCheckedArticles(deps, actor, inputs.map(checkNewArticle), options)
}

/** createArticles for inputs already cleaned and checked (checkNewArticle), which are not checked again. */
export async function createCheckedArticles(
  deps: ArticleDeps,
  actor: ArticleWriter,
  checked: readonly CheckedNewArticle[],
  options: CreateOptions = {},
): Promise<ArticleView[]> {
  const publish = options.publish === true
  if (publish) assertCanPublish(actor)
  const sections = await findSectionsBySlug(
    deps.db,
    checked.map(({ input }) => input.section),
  )
  // A story names its authors, or is its writer's (a person's; the wire's stories have none).
  const writerId = userIdOf(actor)
  const authors = await lookUpAuthors(
    deps.db,
    checked.map(({ input }) => input.authorIds ?? (writerId === null ? [] : [writerId])),
  )
  const problems = checked.flatMap(({ input, problems }, i) => {
    const all = [
      ...problems,
      ...(sections.has(input.section)
        ? []
        : [{ field: 'section', message: `unknown section "${input.section}"` }]),
      ...[...new Set(input.authorIds ?? [])].filter((id) => authors.missing.has(id)).map(authorProblem),
    ]
    return checked.length === 1 ? all : all.map((p) => ({ ...p, field: `${i}/${p.field}` }))
  })
  assertNoProblems(problems)
  if (publish) for (const { fields } of checked) assertPublishable(publishable(fields))
  if (checked.length === 0) return []
  const batch = checked.map(({ input, fields }, i) => ({
    input,
    fields,
    section: sections.get(input.section)!,
    authors: authors.lists[i]!,
  }))
  return inTransaction(deps.db, (trx) => writeArticles(deps, trx, actor, batch, publish))
}

/**
 * What stops this story being created (and, with `publish`, published at once): the checks
 * createArticles makes before it writes, except that its section exists. Empty when none.
 */
export function newArticleProblems(article: CheckedNewArticle, options: CreateOptions = {}): FieldProblem[] {
  const { fields, problems } = article
  return options.publish === true ? [...problems, ...publishProblems(publishable(fields))] : [...problems]
}

/** A story to create, cleaned once: its fields as they would be stored, and what is wrong with them. */
export interface CheckedNewArticle {
  readonly input: CreateArticleInput
  readonly fields: CleanFields
  /** The field problems createArticles refuses with (INVALID_INPUT), its section aside. */
  readonly problems: readonly FieldProblem[]
}

// Cleaning an input the wire already checked costs little: its body is one sanitizeBody
// returned lately, which it hands back unchanged.
export function checkNewArticle(input: CreateArticleInput): CheckedNewArticle {
  const fields = cleanFields(input)
  const problems = [...checkArticleFields(fields), ...checkHero(input.hero)]
  if (fields.slug !== undefined && !isValidSlug(fields.slug))
    problems.push({ field: 'slug', message: 'must be lower-case letters, digits and dashes' })
  return { input, fields, problems }
}

function publishable(fields: CleanFields) {
  return { headline: fields.headline ?? '', bodyHtml: fields.bodyHtml ?? '' }
}

interface NewStory {
  input: CreateArticleInput
  fields: CleanFields
  section: Section
  authors: ArticleView['authors']
}

async function writeArticles(
  deps: ArticleDeps,
  trx: Db,
  actor: ArticleWriter,
  batch: NewStory[],
  publish: boolean,
): Promise<ArticleView[]> {
  const now = deps.clock.now()
  const writerId = userIdOf(actor)
  const slugs = await uniqueSlugs(
    deps,
    trx,
    batch.map(({ fields }) => fields.slug ?? (slugify(fields.headline ?? '') || 'story')),
  )
  const codes = await uniqueShortCodes(trx, batch.length)
  const heroIds: (number | null)[] = []
  for (const { input } of batch) heroIds.push(input.hero ? await insertHero(trx, input.hero, now) : null)
  const rows = await insertArticleRows(
    trx,
    batch.map(({ input, fields, section }, i) => ({
      slug: slugs[i]!,
      short_code: codes[i]!,
      headline: fields.headline ?? '',
      key_points: JSON.stringify(fields.keyPoints ?? []),
      body_html: fields.bodyHtml ?? '',
      section_id: section.id,
      byline: fields.byline ?? '',
      source_credit: fields.sourceCredit ?? '',
      hero_media_id: heroIds[i]!,
      status: publish ? 'published' : 'draft',
      first_published_at: publish ? now : null,
      public_updated_at: publish ? now : null,
      scheduled_at: null,
      version: publish ? 2 : 1,
      created_at: now,
      modified_at: now,
      created_by: writerId,
      breaking: input.breaking ? 1 : 0,
      dateline: fields.dateline ?? '',
      language: fields.language ?? 'en',
    })),
  )
  const topics = await resolveTopicLists(
    { db: trx, events: deps.events },
    batch.map(({ input }) => input.topics ?? []),
  )
  // Built from what was just written, not read back: a wire batch creates thousands.
  const views: ArticleView[] = []
  for (const [i, { section, authors }] of batch.entries()) {
    const article = rows.get(slugs[i]!)
    if (!article) throw new Error(`the new story "${slugs[i]}" was not returned by its insert`)
    views.push({
      ...article,
      section: { id: section.id, slug: section.slug, name: section.name },
      topics: topics[i]!,
      authors,
      hero: await findHero(trx, heroIds[i]!),
      corrections: [],
    })
  }
  await insertLinks(trx, views)
  await recordCreation(deps, trx, actor, views, publish, now)
  return views
}

async function insertLinks(trx: Db, views: ArticleView[]): Promise<void> {
  const topics = views.flatMap((v) =>
    v.topics.map((t, position) => ({ article_id: v.id, topic_id: t.id, position })),
  )
  await insertRows(trx, 'article_topic', topics)
  const authors = views.flatMap((v) =>
    v.authors.map((a, position) => ({ article_id: v.id, user_id: a.id, position })),
  )
  await insertRows(trx, 'article_author', authors)
}

/** The "created" revision and event of each story, then, when published, its "published" ones. */
async function recordCreation(
  deps: ArticleDeps,
  trx: Db,
  actor: ArticleWriter,
  views: ArticleView[],
  publish: boolean,
  now: Date,
): Promise<void> {
  const revisions = views.flatMap((view) => {
    const draft = publish
      ? ({ ...view, status: 'draft', version: 1, firstPublishedAt: null, publicUpdatedAt: null } as const)
      : view
    const created = revisionRow(draft, actor, 'created', SNAPSHOT_FIELDS, now)
    if (!publish) return [created]
    // Publishing changed only the status: its revision shares the body just written, not a second copy.
    return [created, revisionRow(view, actor, 'published', ['status'], now, undefined, draft.version)]
  })
  await insertRows(trx, 'article_revision', revisions)
  const events = views.flatMap((view): NewContentEvent[] => [
    { type: 'article.created', articleId: view.id },
    ...(publish
      ? [{ type: 'article.published' as const, articleId: view.id, payload: { republished: false } }]
      : []),
  ])
  await deps.events.appendMany(trx, events)
}
