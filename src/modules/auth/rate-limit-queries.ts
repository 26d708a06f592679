import { sql } from '#kysely'
import type { Db } from '../../platform/database.js'

/** A key's window as it stands after a hit: hits so far, and when the window ends. */
export interface RateLimitWindow {
  hits: number
  resetsAtMs: number
}

/**
 * Counts one hit on a key with one upsert, atomic on both databases, so concurrent hits
 * from any process each see their own count. Windows are fixed: the first hit after a
 * window ends starts the next one.
 */
export async function countRateLimitHit(
  db: Db,
  key: string,
  windowMs: number,
  nowMs: number,
): Promise<RateLimitWindow> {
  const row = await db
    .insertInto('rate_limit')
    .values({ key, hits: 1, resets_at_ms: nowMs + windowMs })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql`case when rate_limit.resets_at_ms <= ${nowMs} then 1 else rate_limit.hits + 1 end`,
        resets_at_ms: sql`case when rate_limit.resets_at_ms <= ${nowMs} then ${nowMs + windowMs} else rate_limit.resets_at_ms end`,
      }),
    )
    .returning(['hits', 'resets_at_ms'])
    .executeTakeFirstOrThrow()
  return { hits: row.hits, resetsAtMs: Number(row.resets_at_ms) }
}

/** Takes one hit back from a key's window, if that window is still the one counted. */
export async function takeBackRateLimitHit(db: Db, key: string, window: RateLimitWindow): Promise<void> {
  await db
    .updateTable('rate_limit')
    .set({ hits: sql`hits - 1` })
    .where('key', '=', key)
    .where('resets_at_ms', '=', window.resetsAtMs)
    .where('hits', '>', 0)
    .execute()
}

export async function clearRateLimit(db: Db, key: string): Promise<void> {
  await db.deleteFrom('rate_limit').where('key', '=', key).execute()
}
