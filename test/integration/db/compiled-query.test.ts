import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { KyselyPlugin } from '#kysely'
import { compiledOnce } from '../../../src/platform/compiled-query.js'
import { createTestDatabase, forEachDialect, type TestDatabase } from '../../support/dialects.js'

const topicsNamed = compiledOnce((db, prefix: string, limit: number) =>
  db
    .selectFrom('topic')
    .select(['name', 'slug'])
    .where('name', 'like', prefix)
    .where('slug', '<>', 'fog')
    .orderBy('name')
    .limit(limit),
)

forEachDialect('queries compiled once', (dialect) => {
  let database: TestDatabase

  before(async () => {
    database = await createTestDatabase(dialect)
    await database.handle.db
      .insertInto('topic')
      .values(
        ['Floods', 'Flights', 'Fires', 'Fog', 'Elections'].map((name) => ({
          name,
          slug: name.toLowerCase(),
        })),
      )
      .execute()
  })
  after(() => database.destroy())

  it('answers each call with its own parameters, keeping the constants written into the query', async () => {
    const { db } = database.handle
    assert.deepEqual(
      (await topicsNamed(db, 'Fl%', 10)).map((t) => t.name),
      ['Flights', 'Floods'],
    )
    assert.deepEqual(
      (await topicsNamed(db, 'F%', 2)).map((t) => t.name),
      ['Fires', 'Flights'],
      'the second call’s prefix and limit, and still no Fog (the query leaves its slug out)',
    )
    assert.deepEqual(await topicsNamed(db, 'Nothing%', 5), [])
  })

  it('runs inside a transaction, seeing what the transaction wrote', async () => {
    await database.handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('topic').values({ name: 'Ferries', slug: 'ferries' }).execute()
      assert.deepEqual(
        (await topicsNamed(trx, 'Fe%', 10)).map((t) => t.name),
        ['Ferries'],
      )
    })
  })

  it('compiles every call for a database with plugins, which see each query as Kysely gives it them', async () => {
    let seen = 0
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        seen += 1
        return args.node
      },
      transformResult: async (args) => args.result,
    }
    const counted = database.handle.db.withPlugin(counting)
    assert.deepEqual(
      (await topicsNamed(counted, 'Fl%', 10)).map((t) => t.name),
      ['Flights', 'Floods'],
    )
    assert.deepEqual(
      (await topicsNamed(counted, 'Fi%', 10)).map((t) => t.name),
      ['Fires'],
    )
    assert.equal(seen, 2)
    await assert.rejects(topicsNamed(database.handle.db.withSchema('elsewhere'), 'F%', 1))
  })

  it('refuses, at its first call, a query that does not take a parameter as a value', async () => {
    const broken = compiledOnce((db, slug: string) =>
      db
        .selectFrom('topic')
        .select('name')
        .where('slug', '=', `${String(slug)}`),
    )
    await assert.rejects(broken(database.handle.db, 'floods'), /parameter 1 of 1 does not reach the query/)
  })
})
