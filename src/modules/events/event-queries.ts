import { sql } from 'kysely'
import { toDate, type Db } from '../../platform/database.js'
import type { ContentEvent, ContentEventType, NewContentEvent } from './event.js'

/**
 * Appends an event inside the caller's transaction. On PostgreSQL a transaction-scoped
 * advisory lock makes event ids commit in id order, so a tailer reading "id > last seen"
 * never skips an event whose transaction committed late.
 */
export async function appendEvent(
  trx: Db,
  event: NewContentEvent,
  now: Date,
  dialect: 'sqlite' | 'postgres',
) {
  if (dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(727274)`.execute(trx)
    await sql`select pg_notify('dateline_events', '')`.execute(trx)
  }
  await trx
    .insertInto('event')
    .values({
      type: event.type,
      article_id: event.articleId ?? null,
      payload: JSON.stringify(event.payload ?? {}),
      created_at: now,
    })
    .execute()
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
