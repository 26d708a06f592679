import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { sql } from '#kysely'
import { migrateToLatest } from '../../../src/adapters/db/migrate.js'
import { AppError } from '../../../src/platform/app-error.js'
import { createTestDatabase, forEachDialect, type TestDatabase } from '../../support/dialects.js'

const TABLES = [
  'api_token',
  'article',
  'article_author',
  'article_correction',
  'article_revision',
  'article_slug',
  'article_topic',
  'event',
  'media',
  'section',
  'session',
  'topic',
  'topic_alias',
  'user',
]

forEachDialect('migrateToLatest', (dialect) => {
  let database: TestDatabase

  before(async () => {
    database = await createTestDatabase(dialect)
  })
  after(() => database.destroy())

  it('creates every table of the schema and records the migrations it ran', async () => {
    const tables = new Set((await database.handle.db.introspection.getTables()).map((t) => t.name))
    assert.deepEqual(
      TABLES.filter((name) => !tables.has(name)),
      [],
    )
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      database.handle.db,
    )
    assert.equal(applied.rows[0]?.name, '0001-initial')
  })

  it('applies nothing when the schema is already current', async () => {
    assert.deepEqual(await migrateToLatest(database.handle), { applied: [] })
  })

  it('refuses with DATABASE_TOO_NEW, naming the migration, when a newer release has migrated the database', async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-a-newer-release', ${new Date().toISOString()})`.execute(
      database.handle.db,
    )
    try {
      await assert.rejects(
        migrateToLatest(database.handle),
        (error: unknown) =>
          error instanceof AppError &&
          error.code === 'DATABASE_TOO_NEW' &&
          error.message.includes('9999-from-a-newer-release'),
      )
    } finally {
      await sql`delete from kysely_migration where name = '9999-from-a-newer-release'`.execute(
        database.handle.db,
      )
    }
  })
})
