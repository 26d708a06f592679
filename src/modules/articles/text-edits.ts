import { AppError } from '../../platform/app-error.js'
import { insertRows, statementChunks, type Db } from '../../platform/database.js'
import { slugify } from '../../platform/slug.js'
import type { NewContentEvent } from '../events/index.js'
import { resolveTopicLists } from '../taxonomy/index.js'
import type { ArticleView, ArticleWriter } from './article.js'
import { findArticlesByIds, toArticle } from './article-queries.js'
import {
  assertCanEdit,
  assertCanPublish,
  assertVersion,
  changedFields,
  checkArticleFields,
} from './article-rules.js'
import {
  cleanFields,
  editedColumns,
  revisionRow,
  snapshotOf,
  type ArticleDeps,
  type CleanFields,
  type UpdateArticleInput,
} from './article-service.js'
import { toArticleViews } from './desk-lists.js'

/** An edit of a story's words and topics only: what a newer agency version changes. */
export type TextEditInput = Pick<
  UpdateArticleInput,
  | 'headline'
  | 'keyPoints'
  | 'bodyHtml'
  | 'byline'
  | 'sourceCredit'
  | 'topics'
  | 'breaking'
  | 'dateline'
  | 'language'
  | 'version'
  | 'updateKind'
>

/** A text edit checked against the story it changes (checkTextEdit), ready for saveTextEdits. */
export interface CheckedTextEdit {
  readonly view: ArticleView
  readonly input: TextEditInput
  readonly fields: CleanFields
}

/** Stories by id, each with its section, topics, authors, hero and corrections: a few queries for all. */
export async function findArticleViews(db: Db, ids: readonly number[]): Promise<Map<number, ArticleView>> {
  const views = new Map<number, ArticleView>()
  for (const chunk of statementChunks([...new Set(ids)], 1)) {
    for (const view of await toArticleViews(db, await findArticlesByIds(db, chunk))) views.set(view.id, view)
  }
  return views
}

/**
 * The edit cleaned, when saveTextEdits can save it as updateArticle would: its fields pass
 * the checks and the story keeps its slug (a new headline that moves the slug, with the
 * redirect it leaves, is updateArticle's). Undefined otherwise.
 */
export function checkTextEdit(view: ArticleView, input: TextEditInput): CheckedTextEdit | undefined {
  const fields = cleanFields(input)
  if (checkArticleFields(fields).length > 0) return undefined
  if (slugAfter(view, fields) !== view.slug) return undefined
  return { view, input, fields }
}

function slugAfter(view: ArticleView, fields: CleanFields): string {
  const headline = fields.headline ?? view.headline
  return headline !== view.headline ? slugify(headline) || view.slug : view.slug
}

/**
 * Saves many text edits together, each exactly as updateArticle would save it (row, topics,
 * revision and `article.updated` event, the public Updated time moved by a substantive edit
 * of a live story), with a handful of multi-row statements and one UPDATE per story. Each
 * view must have been read in the caller's transaction (`deps.db`); a story saved by anyone
 * else since is a CONFLICT, thrown once some rows are written: run it inside a savepoint (the
 * wire does) or a transaction that the error rolls back.
 */
export async function saveTextEdits(
  deps: ArticleDeps,
  actor: ArticleWriter,
  edits: readonly CheckedTextEdit[],
): Promise<ArticleView[]> {
  for (const { view, input } of edits) {
    assertCanEdit(actor, view)
    assertVersion(view, input.version)
    if (view.status !== 'draft' && view.status !== 'scheduled') assertCanPublish(actor)
  }
  const trx = deps.db
  const now = deps.clock.now()
  const topics = await resolveTopicLists(
    { db: trx, events: deps.events },
    edits.map(({ input }) => input.topics ?? []),
  )
  const after: ArticleView[] = []
  for (const edit of edits) after.push(await writeTextEdit(trx, edit, now))
  await replaceTopics(
    trx,
    edits.flatMap(({ view, input }, i) =>
      input.topics === undefined ? [] : [{ id: view.id, topics: topics[i]! }],
    ),
  )
  const saved = after.map((view, i) =>
    edits[i]!.input.topics === undefined ? view : { ...view, topics: topics[i]! },
  )
  await recordTextEdits(deps, trx, actor, edits, saved, now)
  return saved
}

/** One story's row, guarded by its version; the view after it, its relations as they were. */
async function writeTextEdit(
  trx: Db,
  { view, input, fields }: CheckedTextEdit,
  now: Date,
): Promise<ArticleView> {
  const row = await trx
    .updateTable('article')
    .set({ ...editedColumns(view, input, fields, now), headline: fields.headline ?? view.headline })
    .where('id', '=', view.id)
    .where('version', '=', view.version)
    .returningAll()
    .executeTakeFirst()
  if (!row) throw new AppError('CONFLICT', `The story changed since version ${view.version}`)
  const { section, topics, authors, hero, corrections } = view
  return { ...toArticle(row), section, topics, authors, hero, corrections }
}

/** Each story's topics replaced by its new list, in their order. */
async function replaceTopics(
  trx: Db,
  stories: { id: number; topics: ArticleView['topics'] }[],
): Promise<void> {
  for (const chunk of statementChunks(
    stories.map((s) => s.id),
    1,
  ))
    await trx.deleteFrom('article_topic').where('article_id', 'in', chunk).execute()
  const rows = stories.flatMap(({ id, topics }) =>
    topics.map((t, position) => ({ article_id: id, topic_id: t.id, position })),
  )
  await insertRows(trx, 'article_topic', rows)
}

/** The revision and `article.updated` event of each edit, as updateArticle writes them. */
async function recordTextEdits(
  deps: ArticleDeps,
  trx: Db,
  actor: ArticleWriter,
  edits: readonly CheckedTextEdit[],
  saved: readonly ArticleView[],
  now: Date,
): Promise<void> {
  const revisions: ReturnType<typeof revisionRow>[] = []
  const events: NewContentEvent[] = []
  for (const [i, after] of saved.entries()) {
    const { view, input } = edits[i]!
    const substantive = (input.updateKind ?? 'substantive') === 'substantive'
    const changed = changedFields(snapshotOf(view), snapshotOf(after))
    revisions.push(revisionRow(after, actor, substantive ? 'substantive' : 'minor', changed, now))
    events.push({
      type: 'article.updated',
      articleId: view.id,
      payload: { substantive, changed, previousSlug: view.slug, live: view.status === 'published' },
    })
  }
  await insertRows(trx, 'article_revision', revisions)
  await deps.events.appendMany(trx, events)
}
