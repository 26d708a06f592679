import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from '#kysely'
import { buildApp } from '../../src/http/build-app.js'
import { followTarget, listFollows, requestSignInLink } from '../../src/modules/readers/index.js'
import type { TopicLinks } from '../../src/modules/taxonomy/index.js'
import { createSource } from '../../src/modules/wire/index.js'
import type { Database } from '../../src/platform/database.js'
import { aSection } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { appDepsOf, testApp, type TestApp } from '../support/http.js'
import { pushStory, topicSlugsOf } from '../support/wire.js'

interface TopicJson {
  slug: string
  name: string
  aliases: string[]
}

const TABLES = ['topic', 'topic_alias', 'article_topic', 'follow', 'wire_item', 'event'] as const

/** Every row of the tables a merge touches, so "as they were" is checked row by row. */
async function snapshot(db: Kysely<Database>): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {}
  for (const table of TABLES) rows[table] = await db.selectFrom(table).selectAll().execute()
  rows['topic_alias']!.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  return rows
}

/** The headlines of a list page, sorted: which stories it lists, whatever their order. */
function headlines(html: string): string[] {
  return [...html.matchAll(/<h2><a href="[^"]+">([^<]+)<\/a><\/h2>/g)].map((m) => m[1]!).sort()
}

forEachDialect('topics API: merging topics', (dialect) => {
  let t: TestApp
  let editor: Record<string, string>
  let pushToken: string
  const stories: Record<string, number> = {}
  let onlyOld: number
  let both: number

  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: editor, ...(payload && { payload }) })

  /** Pushes one agency story and answers its outcome and the story it landed on. */
  async function push(guid: string, subjects: string[], overrides?: Record<string, unknown>) {
    const outcome = await pushStory(t.app, pushToken, guid, subjects, overrides)
    assert.ok(outcome.article, `${guid}: ${outcome.status} ${outcome.reason ?? ''}`)
    return { status: outcome.status, id: outcome.article.id }
  }
  const topicsOf = (articleId: number) => topicSlugsOf(t.app, editor, articleId)

  async function topicId(slug: string): Promise<number> {
    const row = await t.ctx.handle.db
      .selectFrom('topic')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirst()
    assert.ok(row, `topic ${slug} exists`)
    return row.id
  }

  async function aReader(email: string): Promise<number> {
    const row = await t.ctx.handle.db
      .insertInto('reader')
      .values({
        email,
        email_frequency: 'immediately',
        unsubscribe_token: `unsubscribe-${email}-${'x'.repeat(24)}`,
        created_at: t.ctx.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'world')
    editor = (await t.tokenFor('editor')).headers
    const source = await createSource(t.ctx.wire, { name: 'example-agency', push: true, policy: 'publish' })
    pushToken = source.token!
    // The wire makes a plain topic of every new spelling: two topics for one man.
    stories['old'] = (await push('tariffs', ['Trump', 'Trade'])).id
    stories['new'] = (await push('rally', ['Donald Trump'])).id
    stories['both'] = (await push('summit', ['Trump', 'Trade', 'Donald Trump'])).id
    stories['later'] = (await push('courts', ['Trade', 'Trump', 'Donald Trump'])).id
    onlyOld = await aReader('only-old@example.org')
    both = await aReader('both@example.org')
    await followTarget(t.ctx.readers, onlyOld, { kind: 'topic', targetId: await topicId('trump') })
    await followTarget(t.ctx.readers, both, { kind: 'topic', targetId: await topicId('trump') })
    await followTarget(t.ctx.readers, both, { kind: 'topic', targetId: await topicId('donald-trump') })
  })
  after(() => t.close())

  it('refuses a merge of a topic into itself (400) or with an unknown topic (404), changing nothing', async () => {
    const before = await snapshot(t.ctx.handle.db)
    const itself = await api('POST', '/topics/trump/merge', { from: 'trump' })
    assert.equal(itself.statusCode, 400, itself.body)
    assert.deepEqual(
      itself.json<{ problems: { field: string }[] }>().problems.map((p) => p.field),
      ['from'],
    )
    const unknownFrom = await api('POST', '/topics/donald-trump/merge', { from: 'no-such-topic' })
    assert.equal(unknownFrom.statusCode, 404, unknownFrom.body)
    assert.match(unknownFrom.json<{ message: string }>().message, /no-such-topic/)
    assert.equal((await api('POST', '/topics/no-such-topic/merge', { from: 'trump' })).statusCode, 404)
    assert.equal((await api('POST', '/topics/donald-trump/merge', {})).statusCode, 400)
    assert.deepEqual(await snapshot(t.ctx.handle.db), before, 'both topics as they were')
  })

  it('leaves both topics as they were when a merge fails midway', async () => {
    const links = t.ctx.taxonomy.links
    const failing: TopicLinks = {
      ...links,
      async moveLinks(trx, fromId, intoId) {
        await links.moveLinks(trx, fromId, intoId)
        throw new Error('the disk filled up')
      },
    }
    const app: FastifyInstance = await buildApp(
      { ...appDepsOf(t.ctx), taxonomy: { ...t.ctx.taxonomy, links: failing } },
      { logger: false },
    )
    try {
      const before = await snapshot(t.ctx.handle.db)
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/topics/donald-trump/merge',
        headers: editor,
        payload: { from: 'trump' },
      })
      assert.equal(response.statusCode, 500, response.body)
      assert.deepEqual(await snapshot(t.ctx.handle.db), before, 'nothing half-merged')
    } finally {
      await app.close()
    }
  })

  it('merges a topic: its stories, followers and spellings move, and its page redirects', async () => {
    const pendingFollow = { kind: 'topic' as const, targetId: await topicId('trump') }
    await requestSignInLink(t.ctx.readers, { email: 'signing-in@example.org', follow: pendingFollow })
    const intoId = await topicId('donald-trump')
    const searchBefore = await t.app.inject({ method: 'GET', url: '/search?q=donald' })
    assert.deepEqual(headlines(searchBefore.body), ['Story courts', 'Story rally', 'Story summit'])

    const response = await api('POST', '/topics/donald-trump/merge', { from: 'trump' })
    assert.equal(response.statusCode, 200, response.body)
    assert.deepEqual(response.json<TopicJson>(), {
      slug: 'donald-trump',
      name: 'Donald Trump',
      aliases: ['Trump'],
    })

    assert.deepEqual(await topicsOf(stories['old']!), ['donald-trump', 'trade'], 'takes the place of the old')
    assert.deepEqual(await topicsOf(stories['new']!), ['donald-trump'])
    assert.deepEqual(
      await topicsOf(stories['both']!),
      ['donald-trump', 'trade'],
      'one link, the earlier place',
    )
    assert.deepEqual(await topicsOf(stories['later']!), ['trade', 'donald-trump'])

    for (const reader of [onlyOld, both]) {
      const follows = await listFollows(t.ctx.handle.db, reader)
      assert.deepEqual(
        follows.map((f) => [f.kind, f.targetId, f.path]),
        [['topic', intoId, '/topic/donald-trump']],
      )
    }
    const link = await t.ctx.handle.db.selectFrom('reader_login_token').selectAll().executeTakeFirstOrThrow()
    assert.equal(link.follow_target_id, intoId, 'a sign-in link still to follow completes the merged follow')

    const old = await t.app.inject({ method: 'GET', url: '/topic/trump' })
    assert.equal(old.statusCode, 301)
    assert.equal(old.headers.location, '/topic/donald-trump')
    const page = await t.app.inject({ method: 'GET', url: '/topic/donald-trump' })
    assert.equal(page.statusCode, 200)
    assert.deepEqual(headlines(page.body), ['Story courts', 'Story rally', 'Story summit', 'Story tariffs'])
    assert.equal((await api('GET', '/topics/trump')).json<TopicJson>().slug, 'donald-trump')

    // Search knows the stories by the topic's name now, not only by the one they were filed under.
    const search = await t.app.inject({ method: 'GET', url: '/search?q=donald' })
    assert.deepEqual(headlines(search.body), ['Story courts', 'Story rally', 'Story summit', 'Story tariffs'])
  })

  it('files wire copy naming either spelling under the surviving topic, and still applies versions', async () => {
    const fresh = await push('debate', ['Trump'])
    assert.equal(fresh.status, 'created')
    assert.deepEqual(await topicsOf(fresh.id), ['donald-trump'])

    // Filed under "Trump" before the merge, changed by nobody since: the agency's update applies.
    const update = await push('tariffs', ['Trump', 'Trade'], {
      version: '2',
      versionCreated: '2026-03-02T09:00:00Z',
      headlines: [{ role: 'main', value: 'Story tariffs, updated' }],
    })
    assert.equal(update.status, 'updated')
    assert.deepEqual(await topicsOf(stories['old']!), ['donald-trump', 'trade'])

    const topics = await t.ctx.handle.db.selectFrom('topic').select('slug').orderBy('slug').execute()
    assert.deepEqual(
      topics.map((row) => row.slug),
      ['donald-trump', 'trade'],
      'no topic for the old spelling again',
    )
  })

  it('refuses to merge a topic named by an alias, naming the topic the alias leads to', async () => {
    assert.equal((await api('POST', '/topics', { name: 'Tariffs' })).statusCode, 201)
    const response = await api('POST', '/topics/tariffs/merge', { from: 'trump' })
    assert.equal(response.statusCode, 400, response.body)
    assert.match(
      response.json<{ message: string }>().message,
      /alias of topic "Donald Trump" \(donald-trump\)/,
    )
    const same = await api('POST', '/topics/donald-trump/merge', { from: 'trump' })
    assert.equal(same.statusCode, 400, 'merging again is not a second merge')
  })
})
