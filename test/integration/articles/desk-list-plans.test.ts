import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { CompiledQuery, sql } from '#kysely'
import {
  deskListQuery,
  publishedListQuery,
  type DeskFilter,
  type PublishedFilter,
} from '../../../src/modules/articles/index.js'
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

/** The reader site's lists that every page shows, read again after each change. */
const READER_LISTS: [string, Omit<PublishedFilter, 'limit' | 'offset'>, index: string][] = [
  ['the newest stories', {}, 'article_status_published'],
  ["a section's newest stories", { sectionId: 1 }, 'article_section_status_published'],
  // Through an index that starts with the flag, not a walk over every published story.
  ['the breaking-news banner', { breaking: true }, 'article_breaking_status_published'],
]

forEachDialect('story list query plans', (dialect) => {
  let database: TestDatabase
  before(async () => {
    database = await createTestDatabase(dialect)
  })
  after(() => database.destroy())

  async function plan(query: { compile(): CompiledQuery }): Promise<string> {
    const compiled = query.compile()
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

  function assertIndexedInOrder(text: string): void {
    if (dialect === 'sqlite') {
      assert.doesNotMatch(text, /^SCAN article$/m, text)
      assert.doesNotMatch(text, /TEMP B-TREE FOR ORDER BY/, text)
    } else {
      assert.doesNotMatch(text, /Seq Scan on article\b/, text)
      assert.match(text, /Index/, text)
      assert.doesNotMatch(text, /(^|->)\s*(Incremental )?Sort\b/m, text)
    }
  }

  for (const [name, filter] of LISTS) {
    it(`reads ${name} through an index, already in order`, async () => {
      assertIndexedInOrder(await plan(deskListQuery(database.handle.db, filter).limit(50)))
    })
  }

  for (const [name, filter, index] of READER_LISTS) {
    it(`reads ${name} for readers through ${index}, already in order`, async () => {
      const text = await plan(publishedListQuery(database.handle.db, { ...filter, limit: 12, offset: 0 }))
      assertIndexedInOrder(text)
      assert.match(text, new RegExp(`\\b${index}\\b`), text)
    })
  }
})
