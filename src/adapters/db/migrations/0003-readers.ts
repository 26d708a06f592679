import { sql, type Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * Readers: their accounts (separate from newsroom users), sign-in links, sessions,
 * follows and in-app notifications; the persisted job queue outgoing email goes
 * through; and the cursor that lets the notification fan-out resume after a restart.
 */
export function readersMigration(ctx: MigrationContext) {
  const { time, id, idType } = dialectColumns(ctx)

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('reader')
        .addColumn('id', idType, id)
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('email_frequency', 'text', (c) => c.notNull().defaultTo('immediately'))
        .addColumn('unsubscribe_token', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('reader_session')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('reader_id', idType, (c) => c.notNull().references('reader.id').onDelete('cascade'))
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('reader_session_reader').on('reader_session').column('reader_id').execute()

      await db.schema
        .createTable('reader_login_token')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('return_to', 'text')
        .addColumn('follow_kind', 'text')
        .addColumn('follow_target_id', idType)
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('used_at', time)
        .execute()
      await db.schema
        .createIndex('reader_login_token_email')
        .on('reader_login_token')
        .columns(['email', 'created_at'])
        .execute()

      await db.schema
        .createTable('follow')
        .addColumn('id', idType, id)
        .addColumn('reader_id', idType, (c) => c.notNull().references('reader.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('target_id', idType, (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addUniqueConstraint('follow_reader_target', ['reader_id', 'kind', 'target_id'])
        .execute()
      // The fan-out reads followers by target; with reader_id in the index it never visits the table.
      await db.schema
        .createIndex('follow_target')
        .on('follow')
        .columns(['kind', 'target_id', 'reader_id'])
        .execute()

      await db.schema
        .createTable('notification')
        .addColumn('id', idType, id)
        .addColumn('reader_id', idType, (c) => c.notNull().references('reader.id').onDelete('cascade'))
        .addColumn('article_id', idType, (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('read_at', time)
        .addUniqueConstraint('notification_reader_article', ['reader_id', 'article_id'])
        .execute()
      await db.schema
        .createIndex('notification_reader_created')
        .on('notification')
        .columns(['reader_id', 'created_at'])
        .execute()
      await db.schema.createIndex('notification_article').on('notification').column('article_id').execute()

      await db.schema
        .createTable('job')
        .addColumn('id', idType, id)
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.unique())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('run_at', time, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('done_at', time)
        .addColumn('failed_at', time)
        .execute()
      // Only open jobs are ever claimed; finished ones stay out of the index.
      await db.schema
        .createIndex('job_due')
        .on('job')
        .columns(['run_at', 'id'])
        .where(sql.ref('done_at'), 'is', null)
        .where(sql.ref('failed_at'), 'is', null)
        .execute()

      await db.schema
        .createTable('event_cursor')
        .addColumn('consumer', 'text', (c) => c.primaryKey())
        .addColumn('last_event_id', idType, (c) => c.notNull())
        .execute()
      // Notifications start from now: stories published before readers existed notify no one.
      await sql`insert into event_cursor (consumer, last_event_id)
        select 'reader-notifications', coalesce(max(id), 0) from event`.execute(db)
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'event_cursor',
        'job',
        'notification',
        'follow',
        'reader_login_token',
        'reader_session',
        'reader',
      ]) {
        await db.schema.dropTable(table).execute()
      }
    },
  }
}
