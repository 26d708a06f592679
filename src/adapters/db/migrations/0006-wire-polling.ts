import type { Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * Ways in for wire sources: a feed URL polled on an interval (with its conditional-GET
 * validators, next poll time and failure state), the private-network allowance for
 * fetching, and a watch folder. One ALTER per column: SQLite takes no more.
 */
export function wirePollingMigration(ctx: MigrationContext) {
  const { time } = dialectColumns(ctx)
  const columns = [
    ['feed_url', 'text'],
    ['watch_folder', 'text'],
    ['poll_etag', 'text'],
    ['poll_last_modified', 'text'],
    ['poll_content_hash', 'text'],
    ['poll_last_error', 'text'],
  ] as const

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const [name, type] of columns) {
        await db.schema.alterTable('wire_source').addColumn(name, type).execute()
      }
      await db.schema
        .alterTable('wire_source')
        .addColumn('poll_interval_seconds', 'integer', (c) => c.notNull().defaultTo(300))
        .execute()
      await db.schema
        .alterTable('wire_source')
        .addColumn('allow_private_network', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await db.schema
        .alterTable('wire_source')
        .addColumn('poll_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await db.schema.alterTable('wire_source').addColumn('next_poll_at', time).execute()
      await db.schema.alterTable('wire_source').addColumn('last_polled_at', time).execute()
      await db.schema.createIndex('wire_source_next_poll').on('wire_source').column('next_poll_at').execute()
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('wire_source_next_poll').execute()
      const all = [
        ...columns.map(([name]) => name),
        'poll_interval_seconds',
        'allow_private_network',
        'poll_failures',
        'next_poll_at',
        'last_polled_at',
      ]
      for (const name of all) await db.schema.alterTable('wire_source').dropColumn(name).execute()
    },
  }
}
