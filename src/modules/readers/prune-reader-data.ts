import { sql } from '#kysely'
import type { Db } from '../../platform/database.js'

export interface ReaderPruneCounts {
  signInLinks: number
  readerSessions: number
  readNotifications: number
  digests: number
}

/**
 * Deletes what readers can no longer use or no longer need: sign-in links and sessions
 * past their expiry, notifications read before `readBefore`, and digest records older
 * than `readBefore` (each reader's latest is kept: the next digest starts after it).
 */
export async function pruneReaderData(db: Db, now: Date, readBefore: Date): Promise<ReaderPruneCounts> {
  const links = await db.deleteFrom('reader_login_token').where('expires_at', '<', now).executeTakeFirst()
  const sessions = await db.deleteFrom('reader_session').where('expires_at', '<', now).executeTakeFirst()
  const notifications = await db
    .deleteFrom('notification')
    .where('read_at', 'is not', null)
    .where('read_at', '<', readBefore)
    .executeTakeFirst()
  const cutoffDay = readBefore.toISOString().slice(0, 10)
  const digests = await db
    .deleteFrom('reader_digest as d')
    .where('d.day', '<', cutoffDay)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('reader_digest as newer')
          .select(sql.lit(1).as('one'))
          .whereRef('newer.reader_id', '=', 'd.reader_id')
          .whereRef('newer.day', '>', 'd.day'),
      ),
    )
    .executeTakeFirst()
  return {
    signInLinks: Number(links.numDeletedRows),
    readerSessions: Number(sessions.numDeletedRows),
    readNotifications: Number(notifications.numDeletedRows),
    digests: Number(digests.numDeletedRows),
  }
}
