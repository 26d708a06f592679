import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { findArticleById } from '../../src/modules/articles/index.js'
import type { User } from '../../src/modules/auth/index.js'
import { aSection } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'
import { ingest, ninjsStory } from '../support/wire.js'

interface ArticleJson {
  id: number
  version: number
  headline: string
  status: string
  embargoUntil: string | null
  submittedAt: string | null
  reviewNote: string
}
interface ListJson {
  items: ArticleJson[]
  total: number
}
interface ErrorJson {
  code: string
  message: string
  problems?: { field: string; message: string }[]
}

forEachDialect('the desk API: review, embargo, story lists, pickers', (dialect) => {
  let t: TestApp
  let editor: Record<string, string>
  let contributor: Record<string, string>
  let contributorUser: User
  let editorUser: User

  before(async () => {
    t = await testApp(dialect)
    ;({ headers: editor, user: editorUser } = await t.tokenFor('editor'))
    ;({ headers: contributor, user: contributorUser } = await t.tokenFor('contributor'))
    await aSection(t.ctx, 'news')
    await aSection(t.ctx, 'sport')
  })
  after(() => t.close())

  const call = (headers: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload && { payload }) })
  const draft = async (headers: Record<string, string>, fields: object = {}) => {
    const res = await call(headers, 'POST', '/api/v1/articles', {
      headline: 'Storm closes coastal road',
      section: 'news',
      bodyHtml: '<p>The coastal road closed on Monday.</p>',
      ...fields,
    })
    assert.equal(res.statusCode, 201, res.body)
    return res.json<ArticleJson>()
  }
  const list = async (headers: Record<string, string>, query: string) => {
    const res = await call(headers, 'GET', `/api/v1/articles?${query}`)
    assert.equal(res.statusCode, 200, res.body)
    return res.json<ListJson>()
  }

  it('takes a contributor draft through submit, send back and approve, with 403 for their publish', async () => {
    const story = await draft(contributor, { headline: 'Library to open on Sundays' })
    const submitted = await call(contributor, 'POST', `/api/v1/articles/${story.id}/submit`, {
      version: story.version,
    })
    assert.equal(submitted.statusCode, 200, submitted.body)
    assert.ok(submitted.json<ArticleJson>().submittedAt)

    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/articles/${story.id}`,
      headers: contributor,
      payload: { version: submitted.json<ArticleJson>().version, headline: 'Edited while waiting' },
    })
    assert.equal(edit.statusCode, 409)
    assert.match(edit.json<ErrorJson>().message, /withdraw it from review/)

    for (const action of ['publish', 'approve']) {
      const refused = await call(contributor, 'POST', `/api/v1/articles/${story.id}/${action}`)
      assert.equal(refused.statusCode, 403, action)
      assert.equal(refused.json<ErrorJson>().code, 'FORBIDDEN')
    }
    const noNote = await call(editor, 'POST', `/api/v1/articles/${story.id}/send-back`, {})
    assert.equal(noNote.statusCode, 400)
    assert.equal(noNote.json<ErrorJson>().problems?.[0]?.field, 'note')

    const back = await call(editor, 'POST', `/api/v1/articles/${story.id}/send-back`, {
      note: 'Say which branches open.',
    })
    assert.equal(back.statusCode, 200, back.body)
    const seen = await call(contributor, 'GET', `/api/v1/articles/${story.id}`)
    assert.equal(seen.json<ArticleJson>().reviewNote, 'Say which branches open.')
    assert.equal(seen.json<ArticleJson>().submittedAt, null)

    await call(contributor, 'POST', `/api/v1/articles/${story.id}/submit`)
    const approved = await call(editor, 'POST', `/api/v1/articles/${story.id}/approve`)
    assert.equal(approved.statusCode, 200, approved.body)
    assert.equal(approved.json<ArticleJson>().status, 'published')
    assert.equal(approved.json<ArticleJson>().submittedAt, null)
  })

  it('sets an embargo, refuses publishing before it with the time named, and lifts it', async () => {
    const story = await draft(editor)
    const until = new Date(t.ctx.clock.now().getTime() + 3 * 60 * 60 * 1000)
    const forbidden = await call(contributor, 'POST', `/api/v1/articles/${story.id}/embargo`, {
      until: until.toISOString(),
    })
    assert.equal(forbidden.statusCode, 403)
    const set = await call(editor, 'POST', `/api/v1/articles/${story.id}/embargo`, {
      until: until.toISOString(),
    })
    assert.equal(set.statusCode, 200, set.body)
    assert.equal(set.json<ArticleJson>().embargoUntil, until.toISOString())

    const early = await call(editor, 'POST', `/api/v1/articles/${story.id}/publish`)
    assert.equal(early.statusCode, 422)
    assert.match(early.json<ErrorJson>().message, /embargoed until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/)
    const tooSoon = await call(editor, 'POST', `/api/v1/articles/${story.id}/schedule`, {
      publishAt: new Date(until.getTime() - 60_000).toISOString(),
    })
    assert.equal(tooSoon.statusCode, 400)
    assert.equal(tooSoon.json<ErrorJson>().problems?.[0]?.field, 'publishAt')

    const bad = await call(editor, 'POST', `/api/v1/articles/${story.id}/embargo`, { until: 'tomorrow' })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json<ErrorJson>().problems?.[0]?.field, 'until')
    const lifted = await call(editor, 'POST', `/api/v1/articles/${story.id}/embargo`, { until: null })
    assert.equal(lifted.json<ArticleJson>().embargoUntil, null)
    assert.equal((await call(editor, 'POST', `/api/v1/articles/${story.id}/publish`)).statusCode, 200)
  })

  it('records the embargo of a wire item on its draft in the wire queue', async () => {
    const until = new Date(t.ctx.clock.now().getTime() + 6 * 60 * 60 * 1000)
    const [outcome] = await ingest(
      t.ctx,
      ninjsStory({ uri: 'urn:desk:embargoed', embargoed: until.toISOString() }),
    )
    const id = outcome?.article?.id
    assert.ok(id, JSON.stringify(outcome))
    assert.equal((await findArticleById(t.ctx.handle.db, id))?.embargoUntil?.getTime(), until.getTime())
    const queue = await list(editor, 'list=wire')
    assert.ok(queue.items.some((a) => a.id === id && a.embargoUntil === until.toISOString()))

    const [published] = await ingest(
      t.ctx,
      ninjsStory({ uri: 'urn:desk:embargoed-live', embargoed: until.toISOString() }),
      { publish: true },
    )
    const scheduled = await findArticleById(t.ctx.handle.db, published!.article!.id)
    assert.equal(scheduled?.status, 'scheduled')
    assert.equal(scheduled?.embargoUntil?.getTime(), until.getTime())
    assert.equal(scheduled?.scheduledAt?.getTime(), until.getTime())
  })

  it('lists, searches, filters and pages stories, and counts each list', async () => {
    const mine = await draft(contributor, {
      headline: 'Harbour lighthouse gets a new lamp',
      section: 'sport',
    })
    await draft(contributor, { headline: 'Cricket club wins the county cup', section: 'sport' })
    const other = await draft(editor, {
      headline: 'Council budget approved',
      bodyHtml: '<p>The lighthouse keeper spoke at the meeting.</p>',
    })
    await call(contributor, 'POST', `/api/v1/articles/${mine.id}/submit`)

    const review = await list(editor, 'list=review')
    assert.deepEqual(
      review.items.map((a) => a.id),
      [mine.id],
    )
    const searched = await list(editor, 'q=LIGHTHOUSE')
    assert.deepEqual(searched.items.map((a) => a.id).sort(), [mine.id, other.id].sort(), 'headline and text')
    const inSport = await list(editor, 'q=lighthouse&section=sport')
    assert.deepEqual(
      inSport.items.map((a) => a.id),
      [mine.id],
    )
    const byAuthor = await list(editor, `author=${editorUser.id}&status=draft`)
    assert.ok(byAuthor.items.every((a) => a.id !== mine.id) && byAuthor.items.some((a) => a.id === other.id))
    assert.equal((await list(editor, 'q=%25')).total, 0, 'a % is a character, not a wildcard')

    const today = t.ctx.clock.now().toISOString().slice(0, 10)
    assert.ok((await list(editor, `from=${today}&to=${today}`)).total >= 3)
    assert.equal((await list(editor, 'to=2020-01-01')).total, 0)

    const all = await list(editor, 'limit=2')
    const next = await list(editor, 'limit=2&offset=2')
    assert.equal(all.items.length, 2)
    assert.ok(all.total > 2)
    assert.equal(
      new Set([...all.items, ...next.items].map((a) => a.id)).size,
      all.items.length + next.items.length,
    )

    const theirs = await list(contributor, 'q=council')
    assert.equal(theirs.total, 0, 'contributors list only their own stories')

    const counts = await call(contributor, 'GET', '/api/v1/articles/counts')
    assert.equal(counts.statusCode, 200, counts.body)
    assert.equal(counts.json<{ review: number }>().review, 1)
    assert.equal(counts.json<{ wire: number }>().wire, 0)
    const editorCounts = await call(editor, 'GET', '/api/v1/articles/counts')
    assert.ok(editorCounts.json<{ wire: number }>().wire >= 1)
  })

  it('refuses bad list parameters with a 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['list=everything', 'list'],
      ['from=2026-13-45', 'from'],
      ['to=yesterday', 'to'],
      ['author=abc', 'author'],
      ['section=nowhere', 'section'],
      ['limit=0', 'limit'],
      ['q=%20%20', 'q'],
    ] as const) {
      const res = await call(editor, 'GET', `/api/v1/articles?${query}`)
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`)
      const body = res.json<ErrorJson>()
      assert.equal(body.code, 'INVALID_INPUT')
      assert.equal(body.problems?.length, 1, JSON.stringify(body.problems))
      assert.ok(
        body.problems?.some((p) => p.field === field || p.field === `querystring.${field}`),
        `${query} names ${field}: ${JSON.stringify(body.problems)}`,
      )
    }
  })

  it('finds topics by alias and lets only editors create topics with aliases', async () => {
    const created = await call(editor, 'POST', '/api/v1/topics', { name: 'Donald Trump', aliases: ['Trump'] })
    assert.equal(created.statusCode, 201, created.body)
    const refused = await call(contributor, 'POST', '/api/v1/topics', {
      name: 'Elections',
      aliases: ['Vote'],
    })
    assert.equal(refused.statusCode, 403)

    const found = await call(contributor, 'GET', '/api/v1/topics?q=trump')
    assert.deepEqual(found.json<{ items: { name: string; aliases: string[] }[] }>().items, [
      { slug: 'donald-trump', name: 'Donald Trump', aliases: ['Trump'] },
    ])
    await call(editor, 'POST', '/api/v1/topics', { name: 'Trade', aliases: ['Tariffs'] })
    const byAlias = await call(editor, 'GET', '/api/v1/topics?q=tariff')
    assert.deepEqual(
      byAlias.json<{ items: { name: string }[] }>().items.map((i) => i.name),
      ['Trade'],
    )
  })

  it('finds staff to name as authors, exposing only id, name and slug, to contributors too', async () => {
    const res = await call(contributor, 'GET', `/api/v1/authors?q=${encodeURIComponent('number')}`)
    assert.equal(res.statusCode, 200, res.body)
    const items = res.json<{ items: Record<string, unknown>[] }>().items
    assert.ok(items.some((i) => i['id'] === contributorUser.id))
    for (const item of items) assert.deepEqual(Object.keys(item).sort(), ['displayName', 'id', 'slug'])
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/authors?q=a' })
    assert.equal(anonymous.statusCode, 401)
  })
})
