import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import type { Kysely } from '#kysely'
import type { Database } from '../../src/platform/database.js'
import { aSection } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'

interface ArticleJson {
  id: number
  version: number
  headline: string
  status: string
  url: string
  slug: string
  section: { slug: string }
  keyPoints: string[]
}
interface ErrorJson {
  code: string
  message: string
  problems?: { field: string; message: string }[]
}

const TABLES = [
  'article',
  'article_revision',
  'article_slug',
  'article_topic',
  'article_author',
  'article_correction',
  'media',
  'topic',
  'event',
] as const

/** Row counts of every table a story write touches; equal before and after means nothing was half-written. */
async function rowCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    counts[table] = Number(row.n)
  }
  return counts
}

const validHero = {
  src: 'https://images.test/harbour.jpg',
  width: 1200,
  height: 800,
  alt: 'The harbour wall',
}

forEachDialect('articles API', (dialect) => {
  let t: TestApp
  let editor: Record<string, string>

  const post = (url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: editor, ...(payload && { payload }) })
  const createDraft = async (fields: object = {}) => {
    const res = await post('/api/v1/articles', {
      headline: 'Storm closes coastal road',
      section: 'news',
      keyPoints: ['The road is shut both ways'],
      bodyHtml: '<p>The coastal road closed on Monday.</p>',
      ...fields,
    })
    assert.equal(res.statusCode, 201, res.body)
    return res.json<ArticleJson>()
  }
  /** Sends a request that must be refused, and checks it left every table as it was. */
  const refused = async (send: () => Promise<LightMyRequestResponse>, status: number) => {
    const before = await rowCounts(t.ctx.handle.db)
    const res = await send()
    assert.equal(res.statusCode, status, res.body)
    assert.deepEqual(await rowCounts(t.ctx.handle.db), before, 'nothing half-written')
    return res.json<ErrorJson>()
  }

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'news')
    editor = (await t.tokenFor('editor')).headers
  })
  after(() => t.close())

  it('creates a draft, publishes it, and the front page and the story page then show it', async () => {
    const front = await t.app.inject({ method: 'GET', url: '/' })
    assert.equal(front.statusCode, 200)
    assert.ok(!front.body.includes('Ferry service restored'))

    const created = await createDraft({ headline: 'Ferry service restored after repairs' })
    assert.equal(created.status, 'draft')
    assert.equal(created.version, 1)
    const draftPage = await t.app.inject({ method: 'GET', url: `/news/${created.slug}` })
    assert.equal(draftPage.statusCode, 404)

    const published = await post(`/api/v1/articles/${created.id}/publish`)
    assert.equal(published.statusCode, 200, published.body)
    assert.equal(published.json<ArticleJson>().status, 'published')

    const frontAfter = await t.app.inject({ method: 'GET', url: '/' })
    assert.ok(frontAfter.body.includes('Ferry service restored after repairs'), 'front page shows the story')
    const page = await t.app.inject({ method: 'GET', url: `/news/${created.slug}` })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<h1>Ferry service restored after repairs<\/h1>/)
  })

  it("shows every edit saved through the API on this process's very next page view", async () => {
    const created = await createDraft({ headline: 'Live: count under way' })
    let story = (await post(`/api/v1/articles/${created.id}/publish`)).json<ArticleJson>()
    const url = `/news/${story.slug}`
    for (let i = 1; i <= 10; i++) {
      assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 200)
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/articles/${story.id}`,
        headers: editor,
        payload: { version: story.version, keyPoints: [`Ballot boxes counted: ${i * 10}`] },
      })
      story = res.json<ArticleJson>()
      const page = await t.app.inject({ method: 'GET', url })
      assert.ok(page.body.includes(`Ballot boxes counted: ${i * 10}<`), `edit ${i} shown at once`)
    }
  })

  it('publishes with the version named in the body, and refuses a stale one with 409', async () => {
    const created = await createDraft()
    const stale = await refused(() => post(`/api/v1/articles/${created.id}/publish`, { version: 7 }), 409)
    assert.equal(stale.code, 'CONFLICT')
    const ok = await post(`/api/v1/articles/${created.id}/publish`, { version: 1 })
    assert.equal(ok.statusCode, 200, ok.body)
  })

  it('answers a PATCH naming a stale version with 409 CONFLICT and leaves the stored story unchanged', async () => {
    const created = await createDraft({ headline: 'Original headline stays' })
    const first = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/articles/${created.id}`,
      headers: editor,
      payload: { version: 1, headline: 'First editor wins' },
    })
    assert.equal(first.statusCode, 200, first.body)
    assert.equal(first.json<ArticleJson>().version, 2)

    const error = await refused(
      () =>
        t.app.inject({
          method: 'PATCH',
          url: `/api/v1/articles/${created.id}`,
          headers: editor,
          payload: { version: 1, headline: 'Second editor overwrites', keyPoints: ['Lost work'] },
        }),
      409,
    )
    assert.equal(error.code, 'CONFLICT')
    const stored = await t.app.inject({
      method: 'GET',
      url: `/api/v1/articles/${created.id}`,
      headers: editor,
    })
    const story = stored.json<ArticleJson>()
    assert.equal(story.headline, 'First editor wins')
    assert.equal(story.version, 2)
    assert.deepEqual(story.keyPoints, ['The road is shut both ways'])
  })

  it('answers malformed JSON with 400 INVALID_INPUT naming the body as the problem', async () => {
    const error = await refused(
      () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/articles',
          headers: { ...editor, 'content-type': 'application/json' },
          payload: '{"headline": "Unfinished',
        }),
      400,
    )
    assert.equal(error.code, 'INVALID_INPUT')
    assert.match(error.message, /JSON/)
    assert.deepEqual(
      error.problems?.map((p) => p.field),
      ['body'],
    )
    assert.equal(error.problems?.[0]?.message, 'is not valid JSON')
  })

  it('answers a body over 1 MiB with 413 and a JSON error', async () => {
    const error = await refused(
      () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/articles',
          headers: { ...editor, 'content-type': 'application/json' },
          payload: JSON.stringify({
            headline: 'Huge',
            section: 'news',
            bodyHtml: `<p>${'x'.repeat(1024 * 1024)}</p>`,
          }),
        }),
      413,
    )
    assert.equal(error.code, 'INVALID_INPUT')
    assert.deepEqual(error.problems, [{ field: 'body', message: 'the request body is too large' }])
  })

  it('names every bad field at once: headline missing, too many key points, hero alt missing, a width of the wrong type', async () => {
    const error = await refused(
      () =>
        post('/api/v1/articles', {
          section: 'news',
          keyPoints: ['1', '2', '3', '4', '5', '6', '7'],
          hero: { src: 'https://images.test/a.jpg', width: 'wide', height: 600 },
        }),
      400,
    )
    assert.equal(error.code, 'INVALID_INPUT')
    const fields = (error.problems ?? []).map((p) => p.field).sort()
    assert.deepEqual(fields, ['headline', 'hero/alt', 'hero/width', 'keyPoints'])
  })

  it('names an unknown section and authors who are no users in the same answer as wrong types, or alone', async () => {
    const withTypes = await refused(
      () => post('/api/v1/articles', { headline: 5, section: 'no-such-desk', authorIds: [987654] }),
      400,
    )
    assert.deepEqual((withTypes.problems ?? []).map((p) => p.field).sort(), [
      'authorIds',
      'headline',
      'section',
    ])
    assert.ok(withTypes.problems?.some((p) => p.message === 'unknown section "no-such-desk"'))
    assert.ok(withTypes.problems?.some((p) => p.message === 'no user 987654'))
    const typesRight = await refused(
      () => post('/api/v1/articles', { headline: 'Fine', section: 'no-such-desk', authorIds: [987654] }),
      400,
    )
    assert.deepEqual((typesRight.problems ?? []).map((p) => p.field).sort(), ['authorIds', 'section'])
    const created = await createDraft()
    const edit = await refused(
      () =>
        t.app.inject({
          method: 'PATCH',
          url: `/api/v1/articles/${created.id}`,
          headers: editor,
          payload: { version: 'one', section: 'no-such-desk', authorIds: [987654] },
        }),
      400,
    )
    assert.deepEqual((edit.problems ?? []).map((p) => p.field).sort(), ['authorIds', 'section', 'version'])
  })

  it('names every bad field of an edit too: version missing, empty headline, hero without alt', async () => {
    const created = await createDraft()
    const error = await refused(
      () =>
        t.app.inject({
          method: 'PATCH',
          url: `/api/v1/articles/${created.id}`,
          headers: editor,
          payload: { headline: '', hero: { src: 'https://images.test/a.jpg', width: 10, height: 10 } },
        }),
      400,
    )
    const fields = new Set((error.problems ?? []).map((p) => p.field))
    for (const field of ['version', 'headline', 'hero/alt']) assert.ok(fields.has(field), `names ${field}`)
  })

  it('refuses fields the API does not know, naming them', async () => {
    const error = await refused(
      () => post('/api/v1/articles', { headline: 'Extra', section: 'news', status: 'published' }),
      400,
    )
    assert.deepEqual(
      error.problems?.map((p) => p.field),
      ['status'],
    )
  })

  it('refuses values of the wrong JSON type instead of converting them', async () => {
    const error = await refused(
      () => post('/api/v1/articles', { headline: 42, section: 'news', keyPoints: 'One point' }),
      400,
    )
    const fields = (error.problems ?? []).map((p) => p.field).sort()
    assert.deepEqual(fields, ['headline', 'keyPoints'])
  })

  it('answers an unknown section with 400 naming section', async () => {
    const error = await refused(
      () => post('/api/v1/articles', { headline: 'Nowhere desk', section: 'no-such-desk', hero: validHero }),
      400,
    )
    assert.equal(error.code, 'INVALID_INPUT')
    assert.deepEqual(
      error.problems?.map((p) => p.field),
      ['section'],
    )
  })

  it('answers an invalid schedule date with 400 naming publishAt', async () => {
    const created = await createDraft()
    for (const publishAt of ['next tuesday', '2026-13-45T99:00:00Z', '']) {
      const error = await refused(
        () => post(`/api/v1/articles/${created.id}/schedule`, { publishAt, version: 1 }),
        400,
      )
      assert.equal(error.code, 'INVALID_INPUT')
      assert.ok(
        error.problems?.some((p) => p.field === 'publishAt'),
        `${publishAt}: ${JSON.stringify(error)}`,
      )
    }
  })

  it('answers a schedule time in the past with 400 naming publishAt', async () => {
    const created = await createDraft()
    const past = new Date(t.ctx.clock.now().getTime() - 60_000).toISOString()
    const error = await refused(
      () => post(`/api/v1/articles/${created.id}/schedule`, { publishAt: past }),
      400,
    )
    assert.equal(error.code, 'INVALID_INPUT')
    assert.deepEqual(
      error.problems?.map((p) => p.field),
      ['publishAt'],
    )
  })

  it('schedules a story for a future time, and it stays off the site until then', async () => {
    const created = await createDraft({ headline: 'Embargoed budget details' })
    const at = new Date(t.ctx.clock.now().getTime() + 3_600_000).toISOString()
    const res = await post(`/api/v1/articles/${created.id}/schedule`, { publishAt: at })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json<ArticleJson & { scheduledAt: string }>().scheduledAt, at)
    const page = await t.app.inject({ method: 'GET', url: `/news/${created.slug}` })
    assert.equal(page.statusCode, 404)
  })

  it('answers 404 NOT_FOUND in JSON for a story that does not exist and for an unknown API path', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/articles/999999', headers: editor })
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json<ErrorJson>().code, 'NOT_FOUND')
    const route = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: editor })
    assert.equal(route.statusCode, 404)
    assert.match(String(route.headers['content-type']), /application\/json/)
    assert.equal(route.json<ErrorJson>().code, 'NOT_FOUND')
  })

  it('lists every revision of a story, newest first', async () => {
    const created = await createDraft()
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/articles/${created.id}`,
      headers: editor,
      payload: { version: 1, headline: 'Storm closes coastal road for a second day' },
    })
    await post(`/api/v1/articles/${created.id}/publish`)
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/articles/${created.id}/revisions`,
      headers: editor,
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(
      res.json<{ items: { version: number; kind: string }[] }>().items.map((r) => [r.version, r.kind]),
      [
        [3, 'published'],
        [2, 'substantive'],
        [1, 'created'],
      ],
    )
  })

  it('serves an OpenAPI 3.1 document listing the article paths with their request schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /application\/json/)
    const doc = JSON.parse(res.body) as {
      openapi: string
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >
    }
    assert.match(doc.openapi, /^3\.1\.\d+$/)
    for (const path of [
      '/articles',
      '/articles/{id}',
      '/articles/{id}/publish',
      '/articles/{id}/unpublish',
      '/articles/{id}/schedule',
      '/articles/{id}/revisions',
    ]) {
      assert.ok(doc.paths[path], `lists ${path}`)
    }
    const schemaOf = (path: string, method: string) =>
      doc.paths[path]?.[method]?.requestBody?.content['application/json']?.schema as
        { properties?: Record<string, unknown>; required?: string[] } | undefined
    const create = schemaOf('/articles', 'post')
    assert.ok(create?.properties?.['headline'], 'POST /articles documents headline')
    assert.deepEqual(create?.required?.slice().sort(), ['headline', 'section'])
    assert.ok(schemaOf('/articles/{id}', 'patch')?.properties?.['version'], 'PATCH documents version')
    assert.ok(schemaOf('/articles/{id}/schedule', 'post')?.properties?.['publishAt'], 'schedule: publishAt')
    assert.ok(!('/openapi.json' in doc.paths), 'the document does not list itself')
  })
})
