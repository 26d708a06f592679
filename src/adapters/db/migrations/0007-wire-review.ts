import type { Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * Review of what wire ingest set aside: quarantined documents are re-run, resolved or
 * discarded with a note and who did it; held agency versions (and held kill notices)
 * are accepted or dismissed by an editor.
 */
export function wireReviewMigration(ctx: MigrationContext) {
  const { time, idType } = dialectColumns(ctx)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('wire_quarantine').addColumn('resolution', 'text').execute()
      await db.schema
        .alterTable('wire_quarantine')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .execute()
      await db.schema
        .alterTable('wire_quarantine')
        .addColumn('resolved_by', idType, (c) => c.references('user.id').onDelete('set null'))
        .execute()
      await db.schema.alterTable('wire_item').addColumn('reviewed_at', time).execute()
      await db.schema.alterTable('wire_item').addColumn('review', 'text').execute()
      await db.schema
        .alterTable('wire_item')
        .addColumn('reviewed_by', idType, (c) => c.references('user.id').onDelete('set null'))
        .execute()
      await db.schema
        .alterTable('wire_item')
        .addColumn('review_note', 'text', (c) => c.notNull().defaultTo(''))
        .execute()
      await db.schema
        .createIndex('wire_item_status')
        .on('wire_item')
        .columns(['status', 'reviewed_at'])
        .execute()
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('wire_item_status').execute()
      for (const column of ['reviewed_at', 'review', 'reviewed_by', 'review_note'])
        await db.schema.alterTable('wire_item').dropColumn(column).execute()
      for (const column of ['resolution', 'note', 'resolved_by'])
        await db.schema.alterTable('wire_quarantine').dropColumn(column).execute()
    },
  }
}
