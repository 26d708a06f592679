import { sql } from '#kysely'
import { insertRows, toDate, type Db } from '../../platform/database.js'
import type { ContentEvent, ContentEventType, NewContentEvent } from './event.js'

/**
 * Appends events, in order, inside the caller's transaction. On PostgreSQL a
 * transaction-scoped advisory lock makes event ids commit in id order, so a tailer
 * reading "id > last seen" never skips an event whose transaction committed late; one
 * lock and one notification serve however many events a change writes.
 */
export async function appendEvents(
  trx: Db,
  events: readonly NewContentEvent[],
  now: Date,
  dialect: 'sqlite' | 'postgres',
) {
  if (events.length === 0) return
  if (dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(727274)`.execute(trx)
    await sql`select pg_notify('dateline_events', '')`.execute(trx)
  }
  const rows = events.map((event) => ({
    type: event.type,
    article_id: event.articleId ?? null,
    payload: JSON.stringify(event.payload ?? {}),
    created_at: now,
  }))
  await insertRows(trx, 'event', rows)
}

export async function listEventsAfter(db: Db, afterId: number, limit = 500): Promise<ContentEvent[]> {
  const rows = await db
    .selectFrom('event')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((row) => ({
    id: row.id,
    type: row.type as ContentEventType,
    articleId: row.article_id,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    createdAt: toDate(row.created_at),
  }))
}

export async function findLatestEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('event')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst()
  return Number(row?.max ?? 0)
}
