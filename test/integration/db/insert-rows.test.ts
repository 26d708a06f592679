import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { insertRows } from '../../../src/platform/database.js'
import { createTestDatabase, forEachDialect, type TestDatabase } from '../../support/dialects.js'

forEachDialect('multi-row inserts', (dialect) => {
  let database: TestDatabase

  before(async () => {
    database = await createTestDatabase(dialect)
  })
  after(() => database.destroy())

  const at = new Date('2026-03-02T09:15:30.250Z')
  const event = (n: number, articleId: number | null = null) => ({
    type: `test.${n}`,
    article_id: articleId,
    payload: JSON.stringify({ n }),
    created_at: at,
  })
  const stored = async () =>
    (
      await database.handle.db
        .selectFrom('event')
        .select(['type', 'article_id', 'payload', 'created_at'])
        .orderBy('id')
        .execute()
    ).map((row) => [row.type, row.article_id, row.payload, new Date(row.created_at).toISOString()])

  it('stores every row as given, however often a statement of the same shape runs, and rows of other shapes too', async () => {
    const first = Array.from({ length: 37 }, (_, n) => event(n))
    const second = Array.from({ length: 37 }, (_, n) => event(100 + n, n))
    // Rows without a column of the first, or with one left undefined, take Kysely's own way.
    const mixed = [event(200), { type: 'test.201', payload: '{}', created_at: at }, event(202)]
    await insertRows(database.handle.db, 'event', first)
    await insertRows(database.handle.db, 'event', second)
    await insertRows(database.handle.db, 'event', [{ ...event(300), article_id: undefined }])
    await insertRows(database.handle.db, 'event', mixed)
    await insertRows(database.handle.db, 'event', [])
    const iso = at.toISOString()
    assert.deepEqual(await stored(), [
      ...first.map((e) => [e.type, null, e.payload, iso]),
      ...second.map((e) => [e.type, e.article_id, e.payload, iso]),
      ['test.300', null, '{"n":300}', iso],
      ['test.200', null, '{"n":200}', iso],
      ['test.201', null, '{}', iso],
      ['test.202', null, '{"n":202}', iso],
    ])
  })
})
