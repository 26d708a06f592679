import type { Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * What a breaking-news desk marks on a story beyond its text: the breaking flag, the
 * dateline place and the language; and the editorial gates before publication: an
 * embargo time and a contributor's request for review.
 */
export function articleFlagsMigration(ctx: MigrationContext) {
  const { time, idType } = dialectColumns(ctx)

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('article')
        .addColumn('breaking', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await db.schema
        .alterTable('article')
        .addColumn('dateline', 'text', (c) => c.notNull().defaultTo(''))
        .execute()
      await db.schema
        .alterTable('article')
        .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
        .execute()
      await db.schema.alterTable('article').addColumn('embargo_until', time).execute()
      await db.schema.alterTable('article').addColumn('submitted_at', time).execute()
      await db.schema
        .alterTable('article')
        .addColumn('submitted_by', idType, (c) => c.references('user.id').onDelete('set null'))
        .execute()
      // The banner asks for the live breaking stories on every page view.
      await db.schema.createIndex('article_breaking').on('article').columns(['breaking', 'status']).execute()
    },
  }
}
