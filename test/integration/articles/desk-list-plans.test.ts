import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { CompiledQuery, sql } from 'kysely'
import { deskListQuery, type DeskFilter } from '../../../src/modules/articles/index.js'
import { createTestDatabase, forEachDialect, type TestDatabase } from '../../support/dialects.js'

/** Every preset list, alone and with the filters the newsroom adds. */
const LISTS: [string, DeskFilter][] = [
  ['my drafts', { list: 'mine', createdBy: 1 }],
  ['submitted for review', { list: 'review' }],
  ['scheduled', { list: 'scheduled' }],
  ['published', { list: 'published' }],
  ['published in a section', { list: 'published', sectionId: 1 }],
  ['the wire queue', { list: 'wire' }],
  ['drafts in a section', { status: 'draft', sectionId: 1 }],
  ['every story', {}],
  [
    'published, searched, in a date range',
    { list: 'published', q: 'harbour', from: new Date(0), to: new Date() },
  ],
]

forEachDialect('story list query plans', (dialect) => {
  let database: TestDatabase
  before(async () => {
    database = await createTestDatabase(dialect)
  })
  after(() => database.destroy())

  async function plan(filter: DeskFilter): Promise<string> {
    const compiled = deskListQuery(database.handle.db, filter).limit(50).compile()
    if (dialect === 'sqlite') {
      const result = await database.handle.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
      )
      return result.rows.map((r) => r.detail).join('\n')
    }
    // The tables are empty here, where a sequential scan is cheapest; forbid it to see the index plan.
    return database.handle.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx)
      const result = await trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
      )
      return result.rows.map((r) => r['QUERY PLAN']).join('\n')
    })
  }

  for (const [name, filter] of LISTS) {
    it(`reads ${name} through an index, already in order`, async () => {
      const text = await plan(filter)
      if (dialect === 'sqlite') {
        assert.doesNotMatch(text, /^SCAN article$/m, text)
        assert.doesNotMatch(text, /TEMP B-TREE FOR ORDER BY/, text)
      } else {
        assert.doesNotMatch(text, /Seq Scan on article\b/, text)
        assert.match(text, /Index/, text)
        assert.doesNotMatch(text, /(^|->)\s*(Incremental )?Sort\b/m, text)
      }
    })
  }
})
