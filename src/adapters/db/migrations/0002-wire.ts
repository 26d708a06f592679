import { sql, type Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * Wire ingest: the sources agency copy comes from, one row per accepted version of a
 * wire item (the dedupe and idempotency key), and the quarantine for refused input.
 */
export function wireMigration(ctx: MigrationContext) {
  const { dialect } = ctx
  const { time, id, idType } = dialectColumns(ctx)
  const bytes = dialect === 'postgres' ? sql`bytea` : sql`blob`

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('wire_source')
        .addColumn('id', idType, id)
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('credit', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('default_section_id', idType, (c) => c.references('section.id').onDelete('set null'))
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.unique())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('wire_item')
        .addColumn('id', idType, id)
        .addColumn('source_id', idType, (c) => c.references('wire_source.id').onDelete('set null'))
        .addColumn('agency_key', 'text', (c) => c.notNull())
        .addColumn('guid', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('article_id', idType, (c) => c.references('article.id').onDelete('set null'))
        .addColumn('article_hash', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('breaking', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('version_created', time)
        .addColumn('received_at', time, (c) => c.notNull())
        .addColumn('item', 'text', (c) => c.notNull())
        .addColumn('raw', bytes, (c) => c.notNull())
        .addUniqueConstraint('wire_item_version', ['agency_key', 'guid', 'version'])
        .execute()
      await db.schema.createIndex('wire_item_article').on('wire_item').column('article_id').execute()
      await db.schema.createIndex('wire_item_received').on('wire_item').column('received_at').execute()

      await db.schema
        .createTable('wire_quarantine')
        .addColumn('id', idType, id)
        .addColumn('source_id', idType, (c) => c.references('wire_source.id').onDelete('set null'))
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('bytes', bytes, (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('received_at', time, (c) => c.notNull())
        .addColumn('resolved_at', time)
        .execute()
      await db.schema
        .createIndex('wire_quarantine_open')
        .on('wire_quarantine')
        .columns(['resolved_at', 'received_at'])
        .execute()
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('wire_quarantine').execute()
      await db.schema.dropTable('wire_item').execute()
      await db.schema.dropTable('wire_source').execute()
    },
  }
}
