import type { Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * The desk: the note an editor sends back with a story, and the indexes behind the
 * newsroom's story lists (my drafts, submitted for review, the wire queue, any status
 * by section), each ordered by the time the list sorts on.
 */
export function deskMigration(ctx: MigrationContext) {
  const { time, idType } = dialectColumns(ctx)

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('article')
        .addColumn('review_note', 'text', (c) => c.notNull().defaultTo(''))
        .execute()
      await db.schema.alterTable('article').addColumn('review_note_at', time).execute()
      await db.schema
        .alterTable('article')
        .addColumn('review_note_by', idType, (c) => c.references('user.id').onDelete('set null'))
        .execute()
      // Drafts and every-status lists, newest change first; with created_by first for
      // "my drafts" and the wire queue (created_by is null).
      await db.schema
        .createIndex('article_status_modified')
        .on('article')
        .columns(['status', 'modified_at'])
        .execute()
      await db.schema
        .createIndex('article_creator_status_modified')
        .on('article')
        .columns(['created_by', 'status', 'modified_at'])
        .execute()
      await db.schema
        .createIndex('article_section_status_modified')
        .on('article')
        .columns(['section_id', 'status', 'modified_at'])
        .execute()
      await db.schema.createIndex('article_submitted').on('article').column('submitted_at').execute()
      // "All stories", any status, newest change first.
      await db.schema.createIndex('article_modified').on('article').column('modified_at').execute()
    },
  }
}
