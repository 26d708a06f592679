import type { Kysely } from '#kysely'
import type { MigrationContext } from './migration-context.js'

/**
 * The breaking-news banner lists the newest breaking stories. Without an index of its
 * own it walked every published story to find the few that are breaking: 17 ms at
 * 10,000 stories, paid again after every change, since each change clears the cached
 * banner. Ordered like the other lists: the time, then the id (SQLite's rowid).
 */
export function breakingOrderMigration(ctx: MigrationContext) {
  const columns = ['breaking', 'status', 'first_published_at']
  return {
    up: (db: Kysely<unknown>) =>
      db.schema
        .createIndex('article_breaking_status_published')
        .on('article')
        .columns(ctx.dialect === 'postgres' ? [...columns, 'id'] : columns)
        .execute(),
    down: (db: Kysely<unknown>) => db.schema.dropIndex('article_breaking_status_published').execute(),
  }
}
