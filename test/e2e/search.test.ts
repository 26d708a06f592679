import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  createArticle,
  publishArticle,
  unpublishArticle,
  updateArticle,
  type ArticleView,
} from '../../src/modules/articles/index.js'
import type { Actor } from '../../src/modules/auth/index.js'
import { searchWords } from '../../src/modules/search/index.js'
import { aSection, aUser } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'

/** The headlines of a result page, in order. */
function headlines(html: string): string[] {
  return [...html.matchAll(/<h2><a href="[^"]+">([^<]+)<\/a><\/h2>/g)].map((m) => m[1]!)
}

forEachDialect('reader search', (dialect) => {
  let t: TestApp
  let editor: Actor
  let bridge: ArticleView
  let ferry: ArticleView

  const search = async (query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/search?${query}` })
    assert.equal(res.statusCode, 200, res.body.slice(0, 300))
    return res.body
  }

  async function published(fields: Parameters<typeof createArticle>[2]): Promise<ArticleView> {
    const created = await createArticle(t.ctx.articles, editor, fields)
    return publishArticle(t.ctx.articles, editor, created.id)
  }

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'world')
    editor = await aUser(t.ctx, 'editor')
    bridge = await published({
      headline: 'Suspension bridge reopens after repairs',
      section: 'world',
      keyPoints: ['Traffic flows again across the estuary'],
      bodyHtml: '<p>Engineers replaced the main cables over eighteen months.</p>',
      topics: ['Infrastructure'],
    })
    ferry = await published({
      headline: 'Ferry crossings cut for the winter',
      section: 'world',
      bodyHtml: '<p>With the bridge open again, fewer passengers take the ferry.</p>',
    })
    await createArticle(t.ctx.articles, editor, {
      headline: 'Draft about the bridge budget',
      section: 'world',
      bodyHtml: '<p>Not yet published.</p>',
    })
  })
  after(() => t.close())

  it('finds published stories by headline, key point, topic and body, headline matches first', async () => {
    assert.deepEqual(headlines(await search('q=bridge')), [bridge.headline, ferry.headline])
    assert.deepEqual(headlines(await search('q=estuary')), [bridge.headline])
    assert.deepEqual(headlines(await search('q=infrastructure')), [bridge.headline])
    assert.deepEqual(headlines(await search('q=passengers+ferry')), [ferry.headline])
    assert.deepEqual(headlines(await search('q=CABLES')), [bridge.headline], 'any case')
  })

  it('takes the last word as the start of a word still being typed', async () => {
    assert.deepEqual(headlines(await search('q=suspen')), [bridge.headline])
    assert.deepEqual(headlines(await search('q=ferry+cross')), [ferry.headline])
  })

  it('follows publishing, edits and unpublishing on the very next search', async () => {
    const storm = await published({
      headline: 'Storm closes mountain passes',
      section: 'world',
      bodyHtml: '<p>Snow fell overnight.</p>',
    })
    assert.deepEqual(headlines(await search('q=storm')), [storm.headline])
    const renamed = await updateArticle(t.ctx.articles, editor, storm.id, {
      version: storm.version,
      headline: 'Blizzard closes mountain passes',
    })
    assert.deepEqual(headlines(await search('q=blizzard')), [renamed.headline])
    assert.deepEqual(headlines(await search('q=storm')), [])
    await unpublishArticle(t.ctx.articles, editor, storm.id)
    assert.deepEqual(headlines(await search('q=blizzard')), [])
    assert.match(await search('q=blizzard'), /No published story matches “blizzard”/)
  })

  it('never shows drafts', async () => {
    assert.deepEqual(headlines(await search('q=budget')), [])
  })

  it('treats query syntax and injection attempts as plain words, and escapes what it shows', async () => {
    for (const hostile of [
      `"`,
      `bridge" OR "1"="1`,
      `') OR 1=1--`,
      'NEAR(bridge ferry)',
      'bridge AND NOT ferry',
      '*',
      'headline:bridge',
      '%',
      '\\',
      'x'.repeat(500),
    ]) {
      await search(`q=${encodeURIComponent(hostile)}`)
    }
    assert.deepEqual(
      headlines(await search(`q=${encodeURIComponent('"bridge*"')}`)).sort(),
      [ferry.headline, bridge.headline].sort(),
    )
    const shown = await search(`q=${encodeURIComponent('<script>alert(1)</script>')}`)
    assert.doesNotMatch(shown, /<script>alert/)
    assert.match(
      shown,
      /value="&lt;script>alert\(1\)&lt;\/script>"|value="&lt;script&gt;alert\(1\)&lt;\/script&gt;"/,
    )
    assert.equal((await t.app.inject({ method: 'GET', url: '/search?q=a&q=b' })).statusCode, 200)
    assert.equal((await t.app.inject({ method: 'GET', url: '/search?q=bridge&page=0' })).statusCode, 404)
    assert.equal((await t.app.inject({ method: 'GET', url: '/search?q=bridge&page=x' })).statusCode, 404)
  })

  it('pages through many results, keeping the query on the links', async () => {
    for (let i = 1; i <= 22; i++)
      await published({
        headline: `Lighthouse report number ${i}`,
        section: 'world',
        bodyHtml: '<p>Lamp.</p>',
      })
    const first = await search('q=lighthouse')
    assert.equal(headlines(first).length, 20)
    assert.match(first, /<a href="\/search\?q=lighthouse&amp;page=2" rel="next">/)
    const second = await search('q=lighthouse&page=2')
    assert.equal(headlines(second).length, 2)
    assert.match(second, /<a href="\/search\?q=lighthouse" rel="prev">/)
  })

  it('shows an empty box for no query, and keeps search result pages away from search engines', async () => {
    const empty = await search('')
    assert.equal(headlines(empty).length, 0)
    assert.doesNotMatch(empty, /noindex/)
    assert.match(await search('q=bridge'), /<meta name="robots" content="noindex"/)
  })
})

it('keeps letters and digits of a query and drops everything else', () => {
  assert.deepEqual(searchWords(`Bridge "OR" 1=1 -- NEAR(x*) Café 2026`), [
    'bridge',
    'or',
    '1',
    '1',
    'near',
    'x',
    'café',
    '2026',
  ])
  assert.deepEqual(
    searchWords('cafe\u0301 crème'),
    ['café', 'crème'],
    'a separate accent mark joins its letter',
  )
  assert.deepEqual(searchWords('***'), [])
  assert.equal(searchWords('a '.repeat(50)).length, 12)
})
