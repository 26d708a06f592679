import type { Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * Story mailings: a fan-out queues one email job per block of readers instead of one
 * per reader. A mailing (one story edition's email) gets an id, each notification names
 * the mailing that owes its reader the email and the edition it was for, and a job keeps
 * a checkpoint of what it finished, so a retried block sends each reader once.
 */
export function storyMailingsMigration(ctx: MigrationContext) {
  const { time, id, idType } = dialectColumns(ctx)

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('story_mailing')
        .addColumn('id', idType, id)
        .addColumn('article_id', idType, (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('edition', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('story_mailing_created').on('story_mailing').column('created_at').execute()
      // No foreign key on mailing_id: a check per notification row is what a fan-out to
      // 100,000 readers cannot afford, and a mailing outlives its block jobs anyway.
      await db.schema.alterTable('notification').addColumn('email_edition', 'text').execute()
      await db.schema.alterTable('notification').addColumn('mailing_id', idType).execute()
      // A block job reads its readers by story and reader id range; the story's rows alone
      // (deleting a story, the fan-out's own reads) use the same index.
      await db.schema.dropIndex('notification_article').execute()
      await db.schema
        .createIndex('notification_article_reader')
        .on('notification')
        .columns(['article_id', 'reader_id'])
        .execute()
      await db.schema.alterTable('job').addColumn('progress', 'text').execute()
    },
  }
}
