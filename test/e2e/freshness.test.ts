import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { sql } from '#kysely'
import { createContext, type AppContext } from '../../src/main/context.js'
import { createArticle, publishArticle, updateArticle } from '../../src/modules/articles/index.js'
import type { Actor } from '../../src/modules/auth/index.js'
import { aSection, anEditor, TEST_PASSWORD_COST, testConfig } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { eventually, testApp, type TestApp } from '../support/http.js'

/**
 * A change made by another process (the CLI, another node) must show on this process's
 * next page view. The "other process" is a second context with its own connection to
 * the same database, as `dateline` run from a shell would have.
 */
forEachDialect('page freshness across processes', (dialect) => {
  let t: TestApp
  let other: AppContext
  let editor: Actor
  let story: { id: number; slug: string; version: number }

  /** SQLite: the tail checks PRAGMA data_version before serving, so no wait. PostgreSQL: NOTIFY is asynchronous. */
  const viewUntil = async (url: string, check: (html: string) => boolean) => {
    const get = async () => (await t.app.inject({ method: 'GET', url })).body
    return dialect === 'sqlite' ? get() : eventually(get, check)
  }

  before(async () => {
    t = await testApp(dialect)
    editor = await anEditor(t.ctx)
    await aSection(t.ctx, 'news')
    const created = await createArticle(t.ctx.articles, editor, {
      headline: 'Water main bursts in the old town',
      section: 'news',
      bodyHtml: '<p>Streets flooded.</p>',
    })
    story = await publishArticle(t.ctx.articles, editor, created.id)
    other = await createContext(testConfig({ db: t.ctx.database.config }), {
      clock: t.ctx.clock,
      passwordCost: TEST_PASSWORD_COST,
    })
  })
  after(async () => {
    await other.close()
    await t.close()
  })

  it('serves the cached page until the event log says something changed', async () => {
    const url = `/news/${story.slug}`
    assert.ok((await t.app.inject({ method: 'GET', url })).body.includes('Streets flooded.'))
    // Written behind the content core's back: no event, so nothing tells the cache.
    await sql`update article set body_html = '<p>Changed without an event.</p>' where id = ${story.id}`.execute(
      other.handle.db,
    )
    const html = (await t.app.inject({ method: 'GET', url })).body
    assert.ok(html.includes('Streets flooded.'), 'still the cached page')
    await sql`update article set body_html = '<p>Streets flooded.</p>' where id = ${story.id}`.execute(
      other.handle.db,
    )
  })

  it('shows an edit made through a second connection on the very next view of a cached story page', async () => {
    const url = `/news/${story.slug}`
    assert.ok((await t.app.inject({ method: 'GET', url })).body.includes('Streets flooded.'))
    const updated = await updateArticle(other.articles, editor, story.id, {
      version: story.version,
      bodyHtml: '<p>Repairs are under way and the water is back on.</p>',
    })
    story = updated
    const html = await viewUntil(url, (body) => body.includes('the water is back on'))
    assert.ok(html.includes('the water is back on'), 'the next view shows the edit')
  })

  it('shows a story published through a second connection on the very next view of the cached front page', async () => {
    assert.ok(!(await t.app.inject({ method: 'GET', url: '/' })).body.includes('Tram line reopens'))
    const created = await createArticle(other.articles, editor, {
      headline: 'Tram line reopens after a year of works',
      section: 'news',
      bodyHtml: '<p>Trams run again.</p>',
    })
    await publishArticle(other.articles, editor, created.id)
    const html = await viewUntil('/', (body) => body.includes('Tram line reopens'))
    assert.ok(html.includes('Tram line reopens after a year of works'), 'the next view shows the story')
  })

  it('keeps cached pages through draft work, which readers never see, and drops them for a public change', async () => {
    const url = `/news/${story.slug}`
    assert.ok((await t.app.inject({ method: 'GET', url })).body.includes('the water is back on'))
    // A marker written behind the core's back shows whether the page was rendered again.
    await sql`update article set body_html = '<p>Rendered again.</p>' where id = ${story.id}`.execute(
      other.handle.db,
    )
    const draft = await createArticle(other.articles, editor, {
      headline: 'Council draft on parking fees',
      section: 'news',
      bodyHtml: '<p>Not yet.</p>',
    })
    await updateArticle(other.articles, editor, draft.id, {
      version: draft.version,
      bodyHtml: '<p>Still not.</p>',
    })
    await t.ctx.tail.catchUp()
    const during = (await t.app.inject({ method: 'GET', url })).body
    assert.ok(during.includes('the water is back on'), 'draft events leave the cached page in place')

    await publishArticle(other.articles, editor, draft.id)
    const html = await viewUntil(url, (body) => body.includes('Rendered again.'))
    assert.ok(html.includes('Rendered again.'), 'a publication renders pages again')
  })
  it('sends every reader the whole page they asked for while changes keep emptying the cache', async () => {
    // Cached pages share reused memory: each change frees it all, and the next views
    // render into it again, in whatever order they come.
    const stories: Awaited<ReturnType<typeof publishArticle>>[] = []
    for (let i = 0; i < 6; i += 1) {
      const created = await createArticle(t.ctx.articles, editor, {
        headline: `Ferry timetable changes on crossing ${i}`,
        section: 'news',
        bodyHtml: `<p>${`Crossing ${i} runs hourly. `.repeat(40 * ((i % 3) + 1))}</p>`,
      })
      stories.push(await publishArticle(t.ctx.articles, editor, created.id))
    }
    for (let round = 0; round < 6; round += 1) {
      const views = await Promise.all(
        [...stories, ...stories.slice().reverse()].map(async (s) => ({
          story: s,
          response: await t.app.inject({ method: 'GET', url: `/news/${s.slug}` }),
        })),
      )
      const tags = new Map<number, string>()
      for (const { story: s, response } of views) {
        assert.equal(response.statusCode, 200)
        assert.ok(
          response.body.includes(`>${s.headline}</h1>`),
          `round ${round}: the page of "${s.headline}"`,
        )
        assert.ok(response.body.trimEnd().endsWith('</html>'), `round ${round}: the whole page`)
        assert.equal(Number(response.headers['content-length']), response.rawPayload.length)
        const etag = String(response.headers.etag)
        assert.equal(tags.get(s.id) ?? etag, etag, 'one version of a page, one entity tag')
        tags.set(s.id, etag)
      }
      const changed = stories[round % stories.length]!
      const updated = await updateArticle(t.ctx.articles, editor, changed.id, {
        version: changed.version,
        bodyHtml: `<p>Timetable revised in round ${round}.</p>`,
      })
      stories[round % stories.length] = updated
      await t.ctx.tail.catchUp()
      const view = await viewUntil(`/news/${updated.slug}`, (body) => body.includes(`round ${round}.`))
      assert.ok(view.includes(`Timetable revised in round ${round}.`), 'the change shows')
    }
  })
})
