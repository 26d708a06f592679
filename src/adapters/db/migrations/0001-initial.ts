import type { Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/** The first schema: newsroom accounts, taxonomy, media, articles with revisions, and the event log. */
export function initialMigration(ctx: MigrationContext) {
  const { time, id, idType } = dialectColumns(ctx)

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('user')
        .addColumn('id', idType, id)
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('disabled_at', time)
        .execute()

      await db.schema
        .createTable('session')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', idType, (c) => c.notNull().references('user.id').onDelete('cascade'))
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('api_token')
        .addColumn('id', idType, id)
        .addColumn('user_id', idType, (c) => c.notNull().references('user.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('last_used_at', time)
        .addColumn('revoked_at', time)
        .execute()

      await db.schema
        .createTable('section')
        .addColumn('id', idType, id)
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()

      await db.schema
        .createTable('topic')
        .addColumn('id', idType, id)
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('topic_alias')
        .addColumn('slug', 'text', (c) => c.primaryKey())
        .addColumn('topic_id', idType, (c) => c.notNull().references('topic.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('media')
        .addColumn('id', idType, id)
        .addColumn('src', 'text', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('srcset', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('alt', 'text', (c) => c.notNull())
        .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('credit', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', time, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('article')
        .addColumn('id', idType, id)
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('short_code', 'text', (c) => c.notNull().unique())
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('key_points', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('body_html', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('section_id', idType, (c) => c.notNull().references('section.id'))
        .addColumn('byline', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('source_credit', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('hero_media_id', idType, (c) => c.references('media.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('first_published_at', time)
        .addColumn('public_updated_at', time)
        .addColumn('scheduled_at', time)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('modified_at', time, (c) => c.notNull())
        .addColumn('created_by', idType, (c) => c.references('user.id').onDelete('set null'))
        .execute()
      // Fronts list the newest published stories, overall and per section.
      await db.schema
        .createIndex('article_status_published')
        .on('article')
        .columns(['status', 'first_published_at'])
        .execute()
      await db.schema
        .createIndex('article_section_status_published')
        .on('article')
        .columns(['section_id', 'status', 'first_published_at'])
        .execute()
      await db.schema
        .createIndex('article_status_scheduled')
        .on('article')
        .columns(['status', 'scheduled_at'])
        .execute()

      await db.schema
        .createTable('article_slug')
        .addColumn('slug', 'text', (c) => c.primaryKey())
        .addColumn('article_id', idType, (c) => c.notNull().references('article.id').onDelete('cascade'))
        .execute()

      await db.schema
        .createTable('article_topic')
        .addColumn('article_id', idType, (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('topic_id', idType, (c) => c.notNull().references('topic.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('article_topic_pk', ['article_id', 'topic_id'])
        .execute()
      await db.schema
        .createIndex('article_topic_topic')
        .on('article_topic')
        .columns(['topic_id', 'article_id'])
        .execute()

      await db.schema
        .createTable('article_author')
        .addColumn('article_id', idType, (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('user_id', idType, (c) => c.notNull().references('user.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('article_author_pk', ['article_id', 'user_id'])
        .execute()
      await db.schema
        .createIndex('article_author_user')
        .on('article_author')
        .columns(['user_id', 'article_id'])
        .execute()

      await db.schema
        .createTable('article_revision')
        .addColumn('id', idType, id)
        .addColumn('article_id', idType, (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('user_id', idType, (c) => c.references('user.id').onDelete('set null'))
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('changed_fields', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addUniqueConstraint('article_revision_version', ['article_id', 'version'])
        .execute()

      await db.schema
        .createTable('article_correction')
        .addColumn('id', idType, id)
        .addColumn('article_id', idType, (c) => c.notNull().references('article.id').onDelete('cascade'))
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('article_correction_article')
        .on('article_correction')
        .column('article_id')
        .execute()

      await db.schema
        .createTable('event')
        .addColumn('id', idType, id)
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('article_id', idType)
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute()
    },
    async down(): Promise<void> {
      // The first migration is never rolled back; restore from a backup instead.
    },
  }
}
