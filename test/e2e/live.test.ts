import assert from 'node:assert/strict'
import { after, afterEach, before, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { KyselyPlugin } from '#kysely'
import { buildApp } from '../../src/http/build-app.js'
import { REPLAY_LIMIT } from '../../src/http/live/live-feed.js'
import { publishArticle, updateArticle, type ArticleView } from '../../src/modules/articles/index.js'
import type { Actor } from '../../src/modules/auth/index.js'
import { aSection, anArticle, anEditor } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { appDepsOf, testApp, type TestApp } from '../support/http.js'
import { openSse, type SseClient, type SseEvent } from '../support/sse.js'

interface ArticleData {
  id: number
  status: string
  headline?: string
  keyPoints?: string[]
  bodyHtml?: string
  updatedAt?: string
}

const data = <T>(event: SseEvent) => JSON.parse(event.data) as T

/**
 * The live stream over real HTTP on both databases: what an open page hears, what a
 * reconnecting browser is replayed, and how the stream behaves at its limits.
 */
forEachDialect('live updates over server-sent events', (dialect) => {
  let t: TestApp
  let origin: string
  let editor: Actor
  let story: ArticleView
  const clients: SseClient[] = []

  const open = async (query: string, lastEventId?: string) => {
    await settle()
    const client = await openSse(`${origin}/live${query}`, lastEventId === undefined ? {} : { lastEventId })
    clients.push(client)
    return client
  }
  const edit = async (fields: Parameters<typeof updateArticle>[3] extends infer F ? Partial<F> : never) => {
    story = await updateArticle(t.ctx.articles, editor, story.id, { version: story.version, ...fields })
    return story
  }
  const published = async (overrides: Parameters<typeof anArticle>[2] = {}) => {
    const draft = await anArticle(t.ctx, editor, overrides)
    return publishArticle(t.ctx.articles, editor, draft.id)
  }
  /** On SQLite the tail polls; nudge it so the test does not wait on the poll interval. */
  const nudge = () => t.ctx.tail.catchUp()
  /** Waits until this process has read the whole log, so a new stream starts after every earlier event. */
  const settle = async () => {
    const latest = await t.ctx.handle.db
      .selectFrom('event')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst()
    await nudge()
    await waitUntil(() => t.ctx.tail.lastEventId() >= Number(latest?.max ?? 0))
  }

  before(async () => {
    t = await testApp(dialect)
    editor = await anEditor(t.ctx)
    await aSection(t.ctx, 'news')
    await aSection(t.ctx, 'sport')
    story = await published({ headline: 'Bridge closed after lorry strike', topics: ['Roads'] })
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const address = t.app.server.address()
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  })
  afterEach(() => {
    for (const client of clients.splice(0)) client.close()
  })
  after(async () => {
    await t.close()
  })

  it('streams with the headers a proxy and a browser need, a retry hint and the strict CSP', async () => {
    const client = await open(`?article=${story.id}`)
    assert.equal(client.status, 200)
    assert.equal(client.headers['content-type'], 'text/event-stream; charset=utf-8')
    assert.equal(client.headers['cache-control'], 'no-store')
    assert.equal(client.headers['x-accel-buffering'], 'no')
    assert.match(String(client.headers['content-security-policy']), /connect-src 'self'/)
    assert.match(String(client.headers['content-security-policy']), /script-src 'self';/)
    await waitUntil(() => client.retry !== undefined)
    assert.equal(client.retry, 3000)
  })

  it('sends an open story page the edited headline, key points, body and Updated time, with the event id', async () => {
    const client = await open(`?article=${story.id}`)
    await edit({
      headline: 'Bridge reopens to cars after lorry strike',
      keyPoints: ['One lane is open', 'Lorries stay banned'],
      bodyHtml: '<p>Engineers passed the bridge as safe.</p><script>alert(1)</script>',
    })
    await nudge()
    const event = await client.waitFor((e) => e.event === 'article')
    const update = data<ArticleData>(event)
    assert.equal(update.headline, 'Bridge reopens to cars after lorry strike')
    assert.deepEqual(update.keyPoints, ['One lane is open', 'Lorries stay banned'])
    assert.equal(update.bodyHtml, '<p>Engineers passed the bridge as safe.</p>', 'the sanitized body only')
    assert.equal(update.updatedAt, story.publicUpdatedAt?.toISOString())
    assert.equal(Number(event.id), t.ctx.tail.lastEventId())
  })

  it('does not send one story page the updates of another', async () => {
    const other = await published({ headline: 'Ferry timetable changes' })
    const client = await open(`?article=${other.id}`)
    await edit({ headline: 'Bridge fully reopens' })
    await updateArticle(t.ctx.articles, editor, other.id, {
      version: other.version,
      headline: 'Ferry timetable changes from Monday',
    })
    await nudge()
    await client.waitFor((e) => e.event === 'article')
    assert.deepEqual(
      client.events.map((e) => data<ArticleData>(e).headline),
      ['Ferry timetable changes from Monday'],
    )
  })

  it('replays exactly the missed events to a client reconnecting with Last-Event-ID, then goes on live', async () => {
    const first = await open(`?article=${story.id}`)
    await edit({ headline: 'Bridge: first update' })
    await nudge()
    const seen = await first.waitFor((e) => e.event === 'article')
    first.close()
    await edit({ headline: 'Bridge: second update' })
    await published({ headline: 'Unrelated story in between' })
    await edit({ headline: 'Bridge: third update' })
    await nudge()
    const missedIds = (
      await t.ctx.handle.db
        .selectFrom('event')
        .select('id')
        .where('id', '>', Number(seen.id))
        .where('article_id', '=', story.id)
        .where('type', '=', 'article.updated')
        .orderBy('id')
        .execute()
    ).map((r) => String(r.id))
    const again = await open(`?article=${story.id}`, seen.id)
    await again.waitFor((e) => data<ArticleData>(e).headline === 'Bridge: third update')
    await edit({ headline: 'Bridge: fourth update, live' })
    await nudge()
    await again.waitFor((e) => data<ArticleData>(e).headline === 'Bridge: fourth update, live')
    assert.deepEqual(
      again.events.map((e) => e.id),
      [...missedIds, String(t.ctx.tail.lastEventId())],
      'each missed event once, in order, then the live one',
    )
  })

  it('tells a client that was away for too long to reload instead of replaying', async () => {
    const before = t.ctx.tail.lastEventId()
    await t.ctx.handle.db
      .insertInto('event')
      .values(
        Array.from({ length: REPLAY_LIMIT + 1 }, () => ({
          type: 'topic.changed',
          article_id: null,
          payload: '{}',
          created_at: new Date(),
        })),
      )
      .execute()
    // Written past the outbox, so the tail is told by hand that this connection wrote.
    t.ctx.tail.markLocalWrite()
    const client = await open(`?article=${story.id}`, String(before))
    await client.waitFor((e) => e.event === 'reload')
    await client.ended
  })

  it('replays past any number of draft events, which no reader sees, instead of asking for a reload', async () => {
    const before = t.ctx.tail.lastEventId()
    await t.ctx.handle.db
      .insertInto('event')
      .values(
        Array.from({ length: 3 * REPLAY_LIMIT }, () => ({
          type: 'article.created' as const,
          article_id: story.id,
          payload: '{}',
          created_at: new Date(),
        })),
      )
      .execute()
    t.ctx.tail.markLocalWrite()
    const client = await open(`?article=${story.id}`, String(before))
    await edit({ keyPoints: ['Water is falling in the lower town'] })
    const update = await client.waitFor((e) => e.event === 'article')
    assert.match(update.data, /Water is falling in the lower town/)
    assert.ok(!client.events.some((e) => e.event === 'reload'), 'no reload')
  })

  it('announces a story published into a list to that list, its section and its topics, not to others', async () => {
    const front = await open('?list=front')
    const news = await open('?list=section:news')
    const topic = await open('?list=topic:floods')
    const sport = await open('?list=section:sport')
    const fresh = await published({ headline: 'River bursts its banks', topics: ['Floods'] })
    await nudge()
    for (const client of [front, news, topic]) {
      const event = await client.waitFor((e) => e.event === 'story')
      assert.deepEqual(data(event), {
        id: fresh.id,
        headline: 'River bursts its banks',
        path: `/news/${fresh.slug}`,
      })
    }
    await edit({ headline: 'A later event, to know the sport list was passed by' })
    const sportLive = await open(`?list=section:sport&article=${story.id}`)
    await edit({ headline: 'Bridge: one more' })
    await nudge()
    await sportLive.waitFor((e) => e.event === 'article')
    assert.deepEqual(
      sport.events.filter((e) => e.event === 'story'),
      [],
    )
  })

  it('shows the breaking banner on every page and over the stream when a story is flagged, and drops it when unflagged', async () => {
    const everyone = await open('')
    assert.doesNotMatch((await t.app.inject({ url: '/sport' })).body, /Bridge: flagged/)
    await edit({ headline: 'Bridge: flagged', breaking: true })
    await nudge()
    const flagged = await everyone.waitFor((e) => e.event === 'breaking')
    assert.deepEqual(data<{ stories: unknown[] }>(flagged).stories, [
      { id: story.id, headline: 'Bridge: flagged', path: `/news/${story.slug}` },
    ])
    const page = (await t.app.inject({ url: '/sport' })).body
    assert.match(page, /<aside class="breaking-banner" aria-label="Breaking news"[^>]*>/)
    assert.match(page, new RegExp(`<a href="/news/${story.slug}">Bridge: flagged</a>`))
    await edit({ breaking: false })
    await nudge()
    const cleared = await everyone.waitFor((e) => e.event === 'breaking' && e.id !== flagged.id)
    assert.deepEqual(data<{ stories: unknown[] }>(cleared).stories, [])
    assert.match((await t.app.inject({ url: '/sport' })).body, /<aside class="breaking-banner"[^>]* hidden/)
  })

  it('tells an open story page when the story is unpublished', async () => {
    const doomed = await published({ headline: 'Story that will be withdrawn' })
    const client = await open(`?article=${doomed.id}`)
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${doomed.id}/unpublish`,
      headers: (await t.tokenFor('editor')).headers,
    })
    await nudge()
    const event = await client.waitFor((e) => e.event === 'article')
    assert.deepEqual(data(event), { id: doomed.id, status: 'unpublished' })
  })

  it('refuses a malformed query with 400 naming the parameter', async () => {
    const response = await fetch(`${origin}/live?article=abc&list=section:../x`)
    assert.equal(response.status, 400)
    const body = (await response.json()) as { code: string; problems: { field: string }[] }
    assert.equal(body.code, 'INVALID_INPUT')
    assert.deepEqual(
      body.problems.map((p) => p.field),
      ['article', 'list'],
    )
  })
})

forEachDialect('live stream limits', (dialect) => {
  let t: TestApp
  let app: FastifyInstance
  let origin: string

  before(async () => {
    t = await testApp(dialect)
    const deps = appDepsOf(t.ctx)
    app = await buildApp(
      {
        ...deps,
        config: { ...deps.config, http: { ...deps.config.http, liveMaxConnections: 2 } },
        liveHeartbeatMs: 50,
      },
      { logger: false },
    )
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  })
  after(async () => {
    await t.close()
  })

  it('keeps a quiet stream alive with heartbeats, refuses streams past the cap, frees a place when a client leaves, and closes open streams on shutdown', async () => {
    const a = await openSse(`${origin}/live`)
    const b = await openSse(`${origin}/live`)
    await waitUntil(() => a.comments >= 2)
    const refused = await openSse(`${origin}/live`)
    assert.equal(refused.status, 503)
    assert.equal(refused.headers['retry-after'], '30')
    refused.close()
    b.close()
    const c = await waitForOpen(`${origin}/live`)
    assert.equal(c.status, 200)
    const closing = app.close()
    await Promise.all([a.ended, c.ended])
    await closing
  })
})

async function waitForOpen(url: string): Promise<SseClient> {
  for (let i = 0; i < 100; i++) {
    const client = await openSse(url)
    if (client.status === 200) return client
    client.close()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('the stream stayed refused after a client left')
}

async function waitUntil(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

forEachDialect('live rendering', (dialect) => {
  let t: TestApp
  let app: FastifyInstance
  let origin: string
  let queries = 0

  before(async () => {
    t = await testApp(dialect)
    const deps = appDepsOf(t.ctx)
    // Counts every query the app makes, to see whether the work grows with the audience.
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        queries++
        return args.node
      },
      transformResult: async (args) => args.result,
    }
    app = await buildApp({ ...deps, db: deps.db.withPlugin(counting) }, { logger: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  })
  after(async () => {
    await app.close()
    await t.close()
  })

  it('reads and renders an update once for all the streams open on the story, and sends them the same bytes', async () => {
    const editor = await anEditor(t.ctx)
    await aSection(t.ctx, 'news')
    const draft = await anArticle(t.ctx, editor, { headline: 'Storm warning for the coast' })
    const story = await publishArticle(t.ctx.articles, editor, draft.id)
    await t.ctx.tail.catchUp()
    await waitUntil(() => t.ctx.tail.lastEventId() > 0)
    const streams = await Promise.all(
      Array.from({ length: 20 }, () => openSse(`${origin}/live?article=${story.id}`)),
    )
    queries = 0
    await updateArticle(t.ctx.articles, editor, story.id, {
      version: story.version,
      headline: 'Storm warning upgraded to red',
    })
    await t.ctx.tail.catchUp()
    const received = await Promise.all(streams.map((s) => s.waitFor((e) => e.event === 'article')))
    for (const stream of streams) stream.close()
    assert.equal(
      new Set(received.map((e) => `${e.id}\n${e.data}`)).size,
      1,
      'every stream got the same frame',
    )
    assert.ok(queries > 0 && queries < 20, `${queries} queries for 20 streams`)
  })
})
