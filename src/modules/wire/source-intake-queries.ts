import type { Selectable, Updateable } from '#kysely'
import { toDate, type Db, type WireSourceTable } from '../../platform/database.js'
import type { WireSource } from './wire-source.js'

/** The feed, folder and polling fields of a source row, in domain words. */
export function sourceIntake(
  row: Selectable<WireSourceTable>,
): Pick<WireSource, 'feedUrl' | 'pollIntervalSeconds' | 'allowPrivateNetwork' | 'watchFolder' | 'poll'> {
  return {
    feedUrl: row.feed_url,
    pollIntervalSeconds: Number(row.poll_interval_seconds),
    allowPrivateNetwork: Number(row.allow_private_network) === 1,
    watchFolder: row.watch_folder,
    poll: {
      nextAt: toDate(row.next_poll_at),
      lastAt: toDate(row.last_polled_at),
      failures: Number(row.poll_failures),
      lastError: row.poll_last_error,
    },
  }
}

export async function updateSourceRow(
  db: Db,
  id: number,
  values: Updateable<WireSourceTable>,
): Promise<void> {
  if (Object.keys(values).length === 0) return
  await db.updateTable('wire_source').set(values).where('id', '=', id).execute()
}

/** Sources with a feed whose poll is due, soonest first. */
export async function listDueSourceIds(db: Db, now: Date, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('wire_source')
    .select('id')
    .where('feed_url', 'is not', null)
    .where('next_poll_at', '<=', now)
    .orderBy('next_poll_at')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/**
 * Claims a due source for one poll by moving its next poll time to the end of a lease.
 * Only one claimant's UPDATE matches `next_poll_at <= now` (PostgreSQL re-checks the row
 * after the other's commit; SQLite has one writer), so two nodes never poll one source at
 * once, and a poller that dies leaves the source due again when the lease ends.
 */
export async function claimDueSource(
  db: Db,
  id: number,
  now: Date,
  leaseUntil: Date,
): Promise<PollTarget | undefined> {
  const row = await db
    .updateTable('wire_source')
    .set({ next_poll_at: leaseUntil })
    .where('id', '=', id)
    .where('feed_url', 'is not', null)
    .where('next_poll_at', '<=', now)
    .returningAll()
    .executeTakeFirst()
  return row && toPollTarget(row)
}

/** What one poll needs: the source row's feed, validators and failure count. */
export interface PollTarget {
  id: number
  name: string
  feedUrl: string
  allowPrivateNetwork: boolean
  intervalSeconds: number
  etag: string | null
  lastModified: string | null
  contentHash: string | null
  failures: number
}

function toPollTarget(row: Selectable<WireSourceTable>): PollTarget {
  return {
    id: row.id,
    name: row.name,
    feedUrl: row.feed_url ?? '',
    allowPrivateNetwork: Number(row.allow_private_network) === 1,
    intervalSeconds: Number(row.poll_interval_seconds),
    etag: row.poll_etag,
    lastModified: row.poll_last_modified,
    contentHash: row.poll_content_hash,
    failures: Number(row.poll_failures),
  }
}

/** Sources with a watch folder, for the folder scanner. */
export async function listWatchedSourceIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('wire_source').select('id').where('watch_folder', 'is not', null).execute()
  return rows.map((r) => r.id)
}
