import type { Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * The media library: a stored photo keeps the key of its stripped original, its type,
 * size and origin, who uploaded it, and the renditions its job made (with their srcsets).
 * Photos named only by address (sample content, older stories) keep a null storage key.
 */
export function mediaMigration(ctx: MigrationContext) {
  const { idType } = dialectColumns(ctx)

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // SQLite adds one column per ALTER TABLE, so every dialect does it that way.
      const media = () => db.schema.alterTable('media')
      await media().addColumn('storage_key', 'text').execute()
      await media()
        .addColumn('content_type', 'text', (c) => c.notNull().defaultTo(''))
        .execute()
      await media()
        .addColumn('byte_size', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await media()
        .addColumn('origin', 'text', (c) => c.notNull().defaultTo(''))
        .execute()
      await media()
        .addColumn('uploaded_by', idType, (c) => c.references('user.id').onDelete('set null'))
        .execute()
      await media()
        .addColumn('sources', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute()
      await media()
        .addColumn('renditions', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute()
      await media()
        .addColumn('rendition_status', 'text', (c) => c.notNull().defaultTo('none'))
        .execute()
      // One library item per stored file: the same photo uploaded twice is found, not copied.
      await db.schema.createIndex('media_storage_key').unique().on('media').column('storage_key').execute()
      await db.schema.createIndex('article_hero_media').on('article').column('hero_media_id').execute()
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('article_hero_media').execute()
      await db.schema.dropIndex('media_storage_key').execute()
      for (const column of [
        'rendition_status',
        'renditions',
        'sources',
        'uploaded_by',
        'origin',
        'byte_size',
        'content_type',
        'storage_key',
      ]) {
        await db.schema.alterTable('media').dropColumn(column).execute()
      }
    },
  }
}
