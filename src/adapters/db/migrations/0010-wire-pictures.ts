import type { Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * Wire pictures: each applied version records the picture it offered for the hero, what
 * became of it (queued, stored, refused, skipped, and why) and a fingerprint of the hero
 * as the wire left the story, so an editor's own hero is never replaced. Rows from before
 * keep an empty fingerprint, which matches a story without a hero. One ALTER per column:
 * SQLite takes no more.
 */
export function wirePicturesMigration(ctx: MigrationContext) {
  const { idType } = dialectColumns(ctx)
  const texts = [
    ['picture_href', ''],
    ['picture_status', 'none'],
    ['picture_reason', ''],
    ['hero_hash', ''],
  ] as const

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const [name, initial] of texts) {
        await db.schema
          .alterTable('wire_item')
          .addColumn(name, 'text', (c) => c.notNull().defaultTo(initial))
          .execute()
      }
      await db.schema
        .alterTable('wire_item')
        .addColumn('picture_media_id', idType, (c) => c.references('media.id').onDelete('set null'))
        .execute()
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const name of [...texts.map(([name]) => name), 'picture_media_id'])
        await db.schema.alterTable('wire_item').dropColumn(name).execute()
    },
  }
}
