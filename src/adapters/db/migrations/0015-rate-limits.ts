import type { Kysely } from '#kysely'
import type { MigrationContext } from './migration-context.js'

/**
 * Rate-limit windows (sign-in attempts per address and route) kept in the database, so
 * every HTTP worker and every node counts the same attempts: a limit held in each
 * process's memory would let N processes take N times the attempts.
 */
export function rateLimitsMigration(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('rate_limit')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('hits', 'integer', (c) => c.notNull())
        // Milliseconds since the epoch: compared and returned as a number on both databases.
        .addColumn('resets_at_ms', ctx.dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('rate_limit_resets').on('rate_limit').column('resets_at_ms').execute()
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('rate_limit').execute()
    },
  }
}
