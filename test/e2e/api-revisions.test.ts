import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { Kysely } from '#kysely'
import type { Database } from '../../src/platform/database.js'
import { aSection } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp, type TestSession } from '../support/http.js'

interface ArticleJson {
  id: number
  version: number
  headline: string
  slug: string
  status: string
  bodyHtml: string
  keyPoints: string[]
  topics: { slug: string }[]
  hero: { src: string; alt: string; caption: string } | null
}
interface RevisionJson {
  version: number
  userId: number | null
  userName: string | null
  kind: string
  changedFields: string[]
  restoredFrom: number | null
  snapshot: Record<string, unknown>
}

async function rowCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of ['article', 'article_revision', 'media', 'event', 'article_slug'] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    counts[table] = Number(row.n)
  }
  return counts
}

forEachDialect('revisions API: fetch and restore', (dialect) => {
  let t: TestApp
  let editor: Record<string, string>
  let editorName: string

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'news')
    await aSection(t.ctx, 'world')
    const made = await t.tokenFor('editor')
    editor = made.headers
    editorName = made.user.displayName
  })
  after(() => t.close())

  const send = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => t.app.inject({ method, url, headers, ...(payload && { payload }) })

  /** A story at version 2: version 1 as first written, version 2 with every field changed. */
  async function storyWithTwoVersions(headers = editor) {
    const created = await send('POST', '/api/v1/articles', headers, {
      headline: 'Harbour wall repaired before winter',
      section: 'news',
      keyPoints: ['Work finished a week early'],
      bodyHtml: '<p>Crews finished the harbour wall on Monday.</p>',
      topics: ['Harbour'],
      byline: 'Staff reporter',
      sourceCredit: 'Dateline',
      dateline: 'Porthleven',
      hero: {
        src: 'https://images.test/wall.jpg',
        width: 1200,
        height: 800,
        alt: 'The repaired wall',
        caption: 'The wall on Monday.',
      },
    })
    assert.equal(created.statusCode, 201, created.body)
    const v1 = created.json<ArticleJson>()
    const edited = await send('PATCH', `/api/v1/articles/${v1.id}`, headers, {
      version: 1,
      headline: 'Harbour wall fails its first storm',
      section: 'world',
      keyPoints: ['A section collapsed', 'Nobody was hurt'],
      bodyHtml: '<p>A section of the new wall collapsed overnight.</p>',
      topics: ['Storms'],
      byline: 'Night desk',
      sourceCredit: 'Agency',
      dateline: 'Penzance',
      breaking: true,
      hero: {
        src: 'https://images.test/collapse.jpg',
        width: 1000,
        height: 600,
        alt: 'Rubble on the quay',
      },
    })
    assert.equal(edited.statusCode, 200, edited.body)
    return edited.json<ArticleJson>()
  }

  it('answers one revision with its full snapshot, and 404 for a version the story never had', async () => {
    const story = await storyWithTwoVersions()
    const res = await send('GET', `/api/v1/articles/${story.id}/revisions/1`, editor)
    assert.equal(res.statusCode, 200, res.body)
    const revision = res.json<RevisionJson>()
    assert.equal(revision.version, 1)
    assert.equal(revision.kind, 'created')
    assert.equal(revision.userName, editorName)
    assert.equal(revision.snapshot['headline'], 'Harbour wall repaired before winter')
    assert.equal(revision.snapshot['bodyHtml'], '<p>Crews finished the harbour wall on Monday.</p>')
    assert.deepEqual(revision.snapshot['topics'], ['harbour'])

    const missing = await send('GET', `/api/v1/articles/${story.id}/revisions/9`, editor)
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json<{ code: string }>().code, 'NOT_FOUND')
    assert.equal((await send('GET', '/api/v1/articles/999999/revisions/1', editor)).statusCode, 404)
    assert.equal((await send('GET', `/api/v1/articles/${story.id}/revisions/0`, editor)).statusCode, 400)
  })

  it('restores an old revision as a new one: content equal to the old snapshot, status unchanged', async () => {
    const story = await storyWithTwoVersions()
    const res = await send('POST', `/api/v1/articles/${story.id}/revisions/1/restore`, editor, { version: 2 })
    assert.equal(res.statusCode, 200, res.body)
    const restored = res.json<ArticleJson>()
    assert.equal(restored.version, 3)
    assert.equal(restored.status, 'draft')
    assert.equal(restored.headline, 'Harbour wall repaired before winter')
    assert.equal(restored.bodyHtml, '<p>Crews finished the harbour wall on Monday.</p>')
    assert.deepEqual(restored.keyPoints, ['Work finished a week early'])
    assert.deepEqual(
      restored.topics.map((topic) => topic.slug),
      ['harbour'],
    )
    assert.equal(restored.hero?.src, 'https://images.test/wall.jpg')
    assert.equal(restored.hero?.caption, 'The wall on Monday.')

    const list = await send('GET', `/api/v1/articles/${story.id}/revisions`, editor)
    const items = list.json<{ items: RevisionJson[] }>().items
    assert.deepEqual(
      items.map((r) => [r.version, r.kind, r.restoredFrom]),
      [
        [3, 'restored', 1],
        [2, 'substantive', null],
        [1, 'created', null],
      ],
    )
    const first = items[2]!.snapshot
    const newest = items[0]!.snapshot
    assert.deepEqual(newest, first, 'the new revision holds exactly the old content')
    assert.ok(items[0]!.changedFields.includes('headline') && items[0]!.changedFields.includes('hero'))
  })

  it('keeps a published story published and shows the restored headline on the reader site', async () => {
    const created = await send('POST', '/api/v1/articles', editor, {
      headline: 'Rail strike called off',
      section: 'news',
      bodyHtml: '<p>The union called off the strike.</p>',
    })
    const id = created.json<ArticleJson>().id
    await send('POST', `/api/v1/articles/${id}/publish`, editor, { version: 1 })
    const edited = await send('PATCH', `/api/v1/articles/${id}`, editor, {
      version: 2,
      headline: 'Rail strike goes ahead after all',
    })
    const oldUrl = `/news/${edited.json<ArticleJson>().slug}`
    const res = await send('POST', `/api/v1/articles/${id}/revisions/1/restore`, editor, { version: 3 })
    assert.equal(res.statusCode, 200, res.body)
    const restored = res.json<ArticleJson>()
    assert.equal(restored.status, 'published')
    assert.equal(restored.slug, 'rail-strike-called-off')
    const page = await t.app.inject({ method: 'GET', url: '/news/rail-strike-called-off' })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<h1>Rail strike called off<\/h1>/)
    const moved = await t.app.inject({ method: 'GET', url: oldUrl })
    assert.equal(moved.statusCode, 301, 'the slug of the replaced headline redirects')
  })

  it('refuses a restore from a stale version with 409 and writes nothing', async () => {
    const story = await storyWithTwoVersions()
    const before = await rowCounts(t.ctx.handle.db)
    const res = await send('POST', `/api/v1/articles/${story.id}/revisions/1/restore`, editor, { version: 1 })
    assert.equal(res.statusCode, 409, res.body)
    assert.equal(res.json<{ code: string }>().code, 'CONFLICT')
    assert.deepEqual(await rowCounts(t.ctx.handle.db), before)
    const current = await send('GET', `/api/v1/articles/${story.id}`, editor)
    assert.equal(current.json<ArticleJson>().headline, 'Harbour wall fails its first storm')
  })

  it('refuses a restore without a version, and of a version the story never had', async () => {
    const story = await storyWithTwoVersions()
    const noVersion = await send('POST', `/api/v1/articles/${story.id}/revisions/1/restore`, editor, {})
    assert.equal(noVersion.statusCode, 400)
    const missing = await send('POST', `/api/v1/articles/${story.id}/revisions/8/restore`, editor, {
      version: 2,
    })
    assert.equal(missing.statusCode, 404)
  })

  it('lets a contributor restore their own draft, but not a published story nor anyone else’s', async () => {
    const contributor: TestSession = await t.login('contributor')
    const own = await storyWithTwoVersions(contributor.headers)
    const restored = await send(
      'POST',
      `/api/v1/articles/${own.id}/revisions/1/restore`,
      contributor.headers,
      {
        version: 2,
      },
    )
    assert.equal(restored.statusCode, 200, restored.body)
    assert.equal(restored.json<ArticleJson>().headline, 'Harbour wall repaired before winter')

    const editorsDraft = await storyWithTwoVersions()
    const hidden = await send(
      'POST',
      `/api/v1/articles/${editorsDraft.id}/revisions/1/restore`,
      contributor.headers,
      { version: 2 },
    )
    assert.equal(hidden.statusCode, 404, 'someone else’s draft is not even visible')
    const peek = await send('GET', `/api/v1/articles/${editorsDraft.id}/revisions/1`, contributor.headers)
    assert.equal(peek.statusCode, 404)

    await send('POST', `/api/v1/articles/${own.id}/publish`, editor, { version: 3 })
    const before = await rowCounts(t.ctx.handle.db)
    const live = await send('POST', `/api/v1/articles/${own.id}/revisions/2/restore`, contributor.headers, {
      version: 4,
    })
    assert.equal(live.statusCode, 403, live.body)
    assert.equal(live.json<{ code: string }>().code, 'FORBIDDEN')
    assert.deepEqual(await rowCounts(t.ctx.handle.db), before)
  })

  it('needs the CSRF token for a cookie-authenticated restore', async () => {
    const session = await t.login('editor')
    const story = await storyWithTwoVersions(session.headers)
    const res = await send(
      'POST',
      `/api/v1/articles/${story.id}/revisions/1/restore`,
      { cookie: session.cookie },
      {
        version: 2,
      },
    )
    assert.equal(res.statusCode, 403)
    const current = await send('GET', `/api/v1/articles/${story.id}`, editor)
    assert.equal(current.json<ArticleJson>().version, 2)
  })
})
