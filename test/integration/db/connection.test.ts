import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { sql } from '#kysely'
import pg from 'pg'
import { createDb, type DbHandle } from '../../../src/adapters/db/create-db.js'
import { createTestDatabase, forEachDialect, type TestDatabase } from '../../support/dialects.js'

forEachDialect('database connection', (dialect) => {
  let database: TestDatabase

  before(async () => {
    database = await createTestDatabase(dialect)
  })
  after(() => database.destroy())

  it('reads back the same instant it stored, to the millisecond, with numeric ids', async () => {
    const at = new Date('2026-03-02T09:15:30.250Z')
    await database.handle.db
      .insertInto('media')
      .values({
        src: '/media/a.jpg',
        width: 10,
        height: 10,
        alt: 'A',
        caption: '',
        credit: '',
        created_at: at,
      })
      .execute()
    const media = await database.handle.db.selectFrom('media').selectAll().executeTakeFirstOrThrow()
    assert.equal(new Date(media.created_at).toISOString(), at.toISOString())
    assert.equal(typeof media.id, 'number')
  })

  if (dialect === 'sqlite') {
    it('lets a second connection to the same file see committed writes', async () => {
      const second: DbHandle = createDb(database.config)
      try {
        await database.handle.db
          .insertInto('topic')
          .values({ slug: 'shared-file', name: 'Shared file' })
          .execute()
        const row = await second.db
          .selectFrom('topic')
          .select('name')
          .where('slug', '=', 'shared-file')
          .executeTakeFirst()
        assert.equal(row?.name, 'Shared file')
      } finally {
        await second.destroy()
      }
    })
  }

  if (dialect === 'postgres') {
    it('keeps working, without crashing the process, when the server drops an idle connection', async () => {
      const handle = createDb(database.config)
      try {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db)
        const admin = new pg.Client({
          connectionString: database.config.dialect === 'postgres' ? database.config.url : '',
        })
        await admin.connect()
        await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid])
        await admin.end()
        await new Promise((resolve) => setTimeout(resolve, 200))
        const again = await sql<{ one: number }>`select 1 as one`.execute(handle.db)
        assert.equal(again.rows[0]?.one, 1)
      } finally {
        await handle.destroy()
      }
    })
  }
})
