import { sql, type Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * Web Push and the daily digest: the site's VAPID key pair (one row, made once), each
 * reader's push subscriptions, and one row per reader per day a digest went out, which
 * is what keeps a restart or a second node from sending the same day's digest twice.
 * Plus the indexes pruning needs to find expired rows without reading whole tables.
 */
export function webPushMigration(ctx: MigrationContext) {
  const { time, id, idType } = dialectColumns(ctx)

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('vapid_key')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('private_key', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('push_subscription')
        .addColumn('id', idType, id)
        .addColumn('reader_id', idType, (c) => c.notNull().references('reader.id').onDelete('cascade'))
        .addColumn('endpoint', 'text', (c) => c.notNull().unique())
        .addColumn('p256dh', 'text', (c) => c.notNull())
        .addColumn('auth', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('push_subscription_reader')
        .on('push_subscription')
        .column('reader_id')
        .execute()

      await db.schema
        .createTable('reader_digest')
        .addColumn('reader_id', idType, (c) => c.notNull().references('reader.id').onDelete('cascade'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('through_notification_id', idType, (c) => c.notNull())
        .addColumn('stories', 'integer', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('sent_at', time)
        .addPrimaryKeyConstraint('reader_digest_pk', ['reader_id', 'day'])
        .execute()

      // Daily readers are found by frequency when the digest hour comes.
      await db.schema.createIndex('reader_frequency').on('reader').column('email_frequency').execute()
      await db.schema
        .createIndex('reader_session_expires')
        .on('reader_session')
        .column('expires_at')
        .execute()
      await db.schema.createIndex('session_expires').on('session').column('expires_at').execute()
      await db.schema
        .createIndex('reader_login_token_expires')
        .on('reader_login_token')
        .column('expires_at')
        .execute()
      await db.schema
        .createIndex('job_done')
        .on('job')
        .column('done_at')
        .where(sql.ref('done_at'), 'is not', null)
        .execute()
      await db.schema
        .createIndex('job_failed')
        .on('job')
        .column('failed_at')
        .where(sql.ref('failed_at'), 'is not', null)
        .execute()
      await db.schema
        .createIndex('notification_read')
        .on('notification')
        .column('read_at')
        .where(sql.ref('read_at'), 'is not', null)
        .execute()
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const index of [
        'notification_read',
        'job_failed',
        'job_done',
        'reader_login_token_expires',
        'session_expires',
        'reader_session_expires',
        'reader_frequency',
      ]) {
        await db.schema.dropIndex(index).execute()
      }
      for (const table of ['reader_digest', 'push_subscription', 'vapid_key']) {
        await db.schema.dropTable(table).execute()
      }
    },
  }
}
