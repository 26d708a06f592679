import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import { after, afterEach, before, it } from 'node:test'
import type { KyselyPlugin } from '#kysely'
import pg from 'pg'
import { createDb, type DbHandle } from '../../../src/adapters/db/create-db.js'
import { createEventTail, type EventTail } from '../../../src/adapters/pubsub/event-tail.js'
import { createContext, type AppContext } from '../../../src/main/context.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import type { ContentEvent } from '../../../src/modules/events/index.js'
import { fixedClock } from '../../../src/platform/clock.js'
import { silentLogger } from '../../../src/platform/logger.js'
import {
  aSection,
  anArticle,
  anEditor,
  createTestContext,
  TEST_PASSWORD_COST,
  TEST_START,
  testConfig,
  type TestContext,
} from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

/** Long enough that only catchUp() or NOTIFY, never the safety-net poll, can deliver in a test. */
const NO_POLL = { pollMs: 600_000 }

/** Collects what a tail delivers and lets a test wait for a number of events. */
function recorder(tail: EventTail) {
  const seen: ContentEvent[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  tail.subscribe((events) => {
    seen.push(...events)
    for (const w of waiters.filter((w) => seen.length >= w.count)) w.resolve()
  })
  return {
    seen,
    waitFor(count: number, ms = 3000): Promise<void> {
      if (seen.length >= count) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`saw ${seen.length} of ${count} events within ${ms} ms`)),
          ms,
        )
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) })
      })
    },
  }
}

/** Holds back every query result, so a test can act while the tail's read is in flight. */
function slowResults(ms: number): KyselyPlugin {
  return {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      await delay(ms)
      return args.result
    },
  }
}

forEachDialect('event tail', (dialect) => {
  let ctx: TestContext
  /** A second, independent connection to the same database: another process, as far as the tail can tell. */
  let otherHandle: DbHandle
  let other: AppContext
  let otherEditor: Actor
  let tail: EventTail | undefined

  before(async () => {
    ctx = await createTestContext(dialect)
    otherHandle = createDb(ctx.database.config)
    other = await createContext(testConfig({ db: ctx.database.config }), {
      handle: otherHandle,
      clock: fixedClock(TEST_START),
      passwordCost: TEST_PASSWORD_COST,
    })
    otherEditor = await anEditor(other)
    await aSection(other, 'news')
  })
  afterEach(async () => {
    await tail?.stop()
    tail = undefined
  })
  after(async () => {
    await other.close()
    await otherHandle.destroy()
    await ctx.destroy()
  })

  it('delivers only events appended after it started', async () => {
    await anArticle(other, otherEditor)
    tail = createEventTail(ctx.handle, silentLogger, NO_POLL)
    const events = recorder(tail)
    await tail.start()
    const article = await anArticle(other, otherEditor)
    if (dialect === 'sqlite') await tail.catchUp()
    await events.waitFor(1)
    assert.deepEqual(
      events.seen.map((e) => [e.type, e.articleId]),
      [['article.created', article.id]],
    )
    assert.equal(tail.lastEventId(), events.seen[0]?.id)
  })

  if (dialect === 'sqlite') {
    it('sees events another process wrote to the same SQLite file when asked to catch up', async () => {
      tail = createEventTail(ctx.handle, silentLogger, NO_POLL)
      const events = recorder(tail)
      await tail.start()
      const article = await anArticle(other, otherEditor)
      assert.equal(events.seen.length, 0, 'nothing should arrive before catchUp with polling off')
      await tail.catchUp()
      assert.deepEqual(
        events.seen.map((e) => [e.type, e.articleId]),
        [['article.created', article.id]],
      )
    })

    it('reads nothing on catchUp when no connection has written since the last read', async () => {
      tail = createEventTail(ctx.handle, silentLogger, NO_POLL)
      const events = recorder(tail)
      await tail.start()
      await tail.catchUp()
      await tail.catchUp()
      assert.equal(events.seen.length, 0)
    })

    it('sees each commit of another process on the first catchUp after it, after catch-ups that found nothing', async () => {
      tail = createEventTail(ctx.handle, silentLogger, NO_POLL)
      const events = recorder(tail)
      await tail.start()
      for (let i = 0; i < 3; i++) await tail.catchUp()
      const first = await anArticle(other, otherEditor)
      await tail.catchUp()
      await tail.catchUp()
      const second = await anArticle(other, otherEditor)
      await tail.catchUp()
      assert.deepEqual(
        events.seen.map((e) => [e.type, e.articleId]),
        [
          ['article.created', first.id],
          ['article.created', second.id],
        ],
      )
    })

    it('sees its own process’s writes on catchUp once they are marked as local', async () => {
      const editor = await anEditor(ctx)
      tail = createEventTail(ctx.handle, silentLogger, NO_POLL)
      const events = recorder(tail)
      await tail.start()
      const article = await anArticle(ctx, editor)
      tail.markLocalWrite()
      await tail.catchUp()
      assert.deepEqual(
        events.seen.map((e) => [e.type, e.articleId]),
        [['article.created', article.id]],
      )
    })
  }

  if (dialect === 'postgres') {
    it('is woken by NOTIFY when another process commits an event, without polling', async () => {
      tail = createEventTail(ctx.handle, silentLogger, NO_POLL)
      const events = recorder(tail)
      await tail.start()
      const article = await anArticle(other, otherEditor)
      await events.waitFor(1)
      assert.deepEqual(
        events.seen.map((e) => [e.type, e.articleId]),
        [['article.created', article.id]],
      )
    })

    it('delivers every event of a burst of commits, in id order, with none twice', async () => {
      tail = createEventTail(ctx.handle, silentLogger, NO_POLL)
      const events = recorder(tail)
      await tail.start()
      const articles = await Promise.all(Array.from({ length: 8 }, () => anArticle(other, otherEditor)))
      await events.waitFor(8)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const ids = events.seen.map((e) => e.id)
      assert.equal(ids.length, 8)
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      )
      assert.deepEqual(new Set(events.seen.map((e) => e.articleId)), new Set(articles.map((a) => a.id)))
    })

    it('listens again after the database was unreachable for a while', async () => {
      const url = ctx.database.config.dialect === 'postgres' ? ctx.database.config.url : ''
      const name = new URL(url).pathname.slice(1)
      const admin = new pg.Client({ connectionString: url.replace(`/${name}`, '/postgres') })
      await admin.connect()
      try {
        tail = createEventTail(ctx.handle, silentLogger, NO_POLL)
        const events = recorder(tail)
        await tail.start()
        // Keep new connections out for longer than one reconnect attempt, then drop the LISTEN one.
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'`,
          [name],
        )
        await delay(1500)
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
        await delay(1500)
        const article = await anArticle(other, otherEditor)
        await events.waitFor(1, 3000)
        assert.deepEqual(
          events.seen.map((e) => e.articleId),
          [article.id],
        )
      } finally {
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
        await admin.end()
      }
    })
  }

  it('does not lose an event committed while a read is already in flight', async () => {
    // Every read of the log takes 200 ms to come back. The second event commits after the
    // read that delivered the first has sent its follow-up query, and its wake-up (NOTIFY, or
    // a catchUp() on SQLite) arrives while that query's answer is still on its way.
    const slowHandle: DbHandle = { ...ctx.handle, db: ctx.handle.db.withPlugin(slowResults(200)) }
    tail = createEventTail(slowHandle, silentLogger, NO_POLL)
    const activeTail = tail
    const events = recorder(tail)
    let secondWrite: Promise<unknown> | undefined
    tail.subscribe(() => {
      secondWrite ??= delay(40).then(async () => {
        await other.handle.db
          .transaction()
          .execute((trx) => other.articles.events.append(trx, { type: 'section.changed' }))
        if (dialect === 'sqlite') await activeTail.catchUp()
      })
    })
    await tail.start()
    await anArticle(other, otherEditor)
    if (dialect === 'sqlite') await tail.catchUp()
    await events.waitFor(2, 2000)
    await secondWrite
    assert.deepEqual(
      events.seen.map((e) => e.type),
      ['article.created', 'section.changed'],
    )
  })

  it('keeps delivering to other listeners when one listener throws', async () => {
    tail = createEventTail(ctx.handle, silentLogger, NO_POLL)
    tail.subscribe(() => {
      throw new Error('listener bug')
    })
    const events = recorder(tail)
    await tail.start()
    await anArticle(other, otherEditor)
    if (dialect === 'sqlite') await tail.catchUp()
    await events.waitFor(1)
    assert.equal(events.seen.length, 1)
  })
})
