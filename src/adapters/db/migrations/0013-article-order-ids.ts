import type { Kysely } from '#kysely'
import type { MigrationContext } from './migration-context.js'

/** The story indexes lists read in order, by the columns they sort on before the id. */
const ORDERED_INDEXES: [name: string, columns: string[]][] = [
  ['article_status_published', ['status', 'first_published_at']],
  ['article_section_status_published', ['section_id', 'status', 'first_published_at']],
  ['article_status_scheduled', ['status', 'scheduled_at']],
  ['article_status_modified', ['status', 'modified_at']],
  ['article_creator_status_modified', ['created_by', 'status', 'modified_at']],
  ['article_section_status_modified', ['section_id', 'status', 'modified_at']],
  ['article_submitted', ['submitted_at']],
  ['article_modified', ['modified_at']],
]

/**
 * Every list sorts by a time and then by id, so stories saved in the same instant keep
 * one order. SQLite's indexes end in the rowid, which is the id, so they give that order
 * already; PostgreSQL's get the id as their last column, so its lists need no sort step
 * for ties either.
 */
export function articleOrderIdsMigration(ctx: MigrationContext) {
  const rebuild = async (db: Kysely<unknown>, withId: boolean) => {
    if (ctx.dialect !== 'postgres') return
    for (const [name, columns] of ORDERED_INDEXES) {
      await db.schema.dropIndex(name).execute()
      await db.schema
        .createIndex(name)
        .on('article')
        .columns(withId ? [...columns, 'id'] : columns)
        .execute()
    }
  }
  return {
    up: (db: Kysely<unknown>) => rebuild(db, true),
    down: (db: Kysely<unknown>) => rebuild(db, false),
  }
}
