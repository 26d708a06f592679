import { sql } from '#kysely'
import { findArticleById, isPublic, listStoryIdsWithTopic, toArticleView } from '../articles/index.js'
import { listEventsAfter, type ContentEvent } from '../events/index.js'
import { inTransaction, type Db } from '../../platform/database.js'
import { htmlToText } from '../../platform/text.js'

/** The event_cursor row of the search index. */
export const SEARCH_CONSUMER = 'search-index'

export interface SearchDeps {
  db: Db
  dialect: 'sqlite' | 'postgres'
}

/**
 * Brings the index up to the event log: every story an event names since the cursor (and
 * every story under a topic renamed or merged) is indexed again if readers can see it, and
 * dropped from the index if not. A batch and its cursor commit together, so a crash repeats
 * at most one batch, which is harmless. Returns how many stories it looked at.
 */
export async function updateSearchIndex(deps: SearchDeps, batchSize = 500): Promise<number> {
  let stories = 0
  for (;;) {
    const done = await inTransaction(deps.db, async (trx) => {
      const after = await lockCursor(trx, deps.dialect)
      const events = await listEventsAfter(trx, after, batchSize)
      if (events.length === 0) return undefined
      const ids = await storiesNamed(trx, events)
      for (const id of ids) await reindexStory(trx, deps.dialect, id)
      await trx
        .updateTable('event_cursor')
        .set({ last_event_id: events[events.length - 1]!.id })
        .where('consumer', '=', SEARCH_CONSUMER)
        .execute()
      return ids.size
    })
    if (done === undefined) return stories
    stories += done
  }
}

/**
 * The stories these events name, with those filed under a topic renamed or merged into
 * (its name is in their summary; a change of aliases alone shows nowhere in the index).
 */
async function storiesNamed(trx: Db, events: readonly ContentEvent[]): Promise<Set<number>> {
  const ids = new Set(events.flatMap((e) => (e.articleId === null ? [] : [e.articleId])))
  const renamesTopic = (e: ContentEvent) =>
    e.type === 'topic.changed' && (e.payload['renamed'] === true || e.payload['mergedTopicId'] !== undefined)
  const topicIds = new Set(
    events.flatMap((e) =>
      renamesTopic(e) && typeof e.payload['topicId'] === 'number' ? [e.payload['topicId']] : [],
    ),
  )
  for (const topicId of topicIds) for (const id of await listStoryIdsWithTopic(trx, topicId)) ids.add(id)
  return ids
}

/** The last event the index has taken in; a search compares it with the tail to catch up first. */
export async function searchIndexPosition(db: Db): Promise<number> {
  const row = await db
    .selectFrom('event_cursor')
    .select('last_event_id')
    .where('consumer', '=', SEARCH_CONSUMER)
    .executeTakeFirst()
  return Number(row?.last_event_id ?? 0)
}

async function lockCursor(trx: Db, dialect: 'sqlite' | 'postgres'): Promise<number> {
  const query = trx.selectFrom('event_cursor').select('last_event_id').where('consumer', '=', SEARCH_CONSUMER)
  // SQLite transactions here begin IMMEDIATE and so already hold the write lock.
  const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst()
  return Number(row?.last_event_id ?? 0)
}

async function reindexStory(trx: Db, dialect: 'sqlite' | 'postgres', articleId: number): Promise<void> {
  const article = await findArticleById(trx, articleId)
  if (dialect === 'postgres')
    await sql`delete from article_search where article_id = ${articleId}`.execute(trx)
  else await sql`delete from article_search where rowid = ${articleId}`.execute(trx)
  if (!article || !isPublic(article)) return
  const view = await toArticleView(trx, article)
  const summary = [...view.keyPoints, ...view.topics.map((t) => t.name), view.dateline].join(' ')
  const body = htmlToText(view.bodyHtml)
  if (dialect === 'postgres')
    await sql`insert into article_search (article_id, headline, summary, body)
      values (${articleId}, ${view.headline}, ${summary}, ${body})`.execute(trx)
  else
    await sql`insert into article_search (rowid, headline, summary, body)
      values (${articleId}, ${view.headline}, ${summary}, ${body})`.execute(trx)
}

/** The words of a reader's query: letters and digits only, so no query syntax gets through. */
export function searchWords(query: string): string[] {
  // Composed first, so an accent typed as a separate mark stays part of its letter.
  return (
    query
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu) ?? []
  ).slice(0, 12)
}

/**
 * Published stories matching every word (the last one as a prefix, for a word still
 * being typed), best first: headline matches above key points and topics, above the body.
 */
export async function searchStoryIds(
  deps: SearchDeps,
  query: string,
  page: { limit: number; offset: number },
): Promise<number[]> {
  const words = searchWords(query)
  if (words.length === 0) return []
  if (deps.dialect === 'postgres') {
    const tsquery = words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ')
    const { rows } = await sql<{ id: number }>`
      select article_id as id from article_search
      where document @@ to_tsquery('simple', ${tsquery})
      order by ts_rank(document, to_tsquery('simple', ${tsquery})) desc, article_id desc
      limit ${page.limit} offset ${page.offset}`.execute(deps.db)
    return rows.map((r) => Number(r.id))
  }
  const match = words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ')
  const { rows } = await sql<{ id: number }>`
    select rowid as id from article_search
    where article_search match ${match}
    order by bm25(article_search, 10.0, 4.0, 1.0), rowid desc
    limit ${page.limit} offset ${page.offset}`.execute(deps.db)
  return rows.map((r) => Number(r.id))
}
