import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { createArticle, publishArticle } from '../../src/modules/articles/index.js'
import type { Actor } from '../../src/modules/auth/index.js'
import { aSection, aUser } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { countTags, decode, metaProperty, tagAttributes, testApp, type TestApp } from '../support/http.js'

interface ArticleJson {
  id: number
  slug: string
  shortCode: string
  version: number
  url: string
  shortUrl: string
  firstPublishedAt: string
  publicUpdatedAt: string
}

const PUBLIC_URL = 'http://news.test'
const HOUR = 3_600_000

const floodStory = {
  headline: 'Rescue teams reach cut-off valley after floods',
  section: 'world',
  keyPoints: ['Two hundred people were stranded overnight', 'Roads into the valley remain closed'],
  bodyHtml:
    '<p>Rescue teams reached the valley on Monday morning.</p>' +
    '<h2>Roads cut off</h2><p>Both passes were closed by landslides.</p>' +
    '<h2>What happens next</h2><p>Engineers will inspect the bridges.</p>',
  topics: ['Floods'],
  hero: {
    src: 'https://images.test/valley.jpg',
    width: 1600,
    height: 900,
    alt: 'Rescue boats in a flooded street',
    caption: 'Boats in the main street on Monday',
    credit: 'Ana Ruiz/Agency',
  },
}

function assertLandmarks(res: LightMyRequestResponse) {
  assert.match(String(res.headers['content-type']), /^text\/html/)
  assertHtmlLandmarks(res.body)
}

function assertHtmlLandmarks(html: string) {
  assert.match(html, /^<!doctype html><html lang="en">/)
  assert.equal(countTags(html, 'main'), 1, 'one <main>')
  assert.ok(countTags(html, 'nav') >= 1, 'a <nav>')
  assert.equal(countTags(html, 'h1'), 1, 'exactly one <h1>')
}

function shownUpdatedTime(html: string): string | undefined {
  return html.match(/<p class="updated">Updated <time datetime="([^"]+)"/)?.[1]
}

forEachDialect('reader site', (dialect) => {
  let t: TestApp
  let editor: Record<string, string>
  let author: Actor & { user: { displayName: string; slug: string } }
  let flood: ArticleJson

  const get = (url: string) => t.app.inject({ method: 'GET', url })
  const api = async (method: 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: editor,
      ...(payload && { payload }),
    })
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`)
    return res.json<ArticleJson>()
  }
  const publishedStory = async (fields: object) => {
    const created = await api('POST', '/articles', {
      section: 'news',
      bodyHtml: '<p>Text of the story.</p>',
      ...fields,
    })
    return api('POST', `/articles/${created.id}/publish`)
  }

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'world')
    await aSection(t.ctx, 'news')
    editor = (await t.tokenFor('editor')).headers
    author = await aUser(t.ctx, 'editor', { displayName: 'Maria Lindqvist' })
    const created = await createArticle(t.ctx.articles, author, floodStory)
    await publishArticle(t.ctx.articles, author, created.id)
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/articles/${created.id}`, headers: editor })
    flood = res.json<ArticleJson>()
  })
  after(() => t.close())

  describe('pages', () => {
    it('serves the front page with landmarks and the published story', async () => {
      const res = await get('/')
      assert.equal(res.statusCode, 200)
      assertLandmarks(res)
      assert.ok(res.body.includes(floodStory.headline))
    })

    it('serves a section front with landmarks, its name as the <h1> and its stories', async () => {
      const res = await get('/world')
      assert.equal(res.statusCode, 200)
      assertLandmarks(res)
      assert.match(res.body, /<h1>World<\/h1>/)
      assert.ok(res.body.includes(`href="/world/${flood.slug}"`))
    })

    it('serves a topic page with landmarks and the tagged story', async () => {
      const res = await get('/topic/floods')
      assert.equal(res.statusCode, 200)
      assertLandmarks(res)
      assert.match(res.body, /<h1>Floods<\/h1>/)
      assert.ok(res.body.includes(floodStory.headline))
    })

    it('serves an author page with landmarks and their story', async () => {
      const res = await get(`/author/${author.user.slug}`)
      assert.equal(res.statusCode, 200)
      assertLandmarks(res)
      assert.match(res.body, /<h1>Maria Lindqvist<\/h1>/)
      assert.ok(res.body.includes(floodStory.headline))
    })

    it('answers an unknown URL, section, topic and author with the 404 HTML page', async () => {
      for (const url of [
        '/no-such-section',
        '/world/no-such-story',
        '/topic/unheard-of',
        '/author/nobody',
        '/a/b/c',
      ]) {
        const res = await get(url)
        assert.equal(res.statusCode, 404, url)
        assertLandmarks(res)
        assert.match(res.body, /<h1>Page not found<\/h1>/, url)
        assert.match(res.body, /<meta name="robots" content="noindex"/, url)
      }
    })
  })

  describe('story page', () => {
    let html: string

    before(async () => {
      const res = await get(`/world/${flood.slug}`)
      assert.equal(res.statusCode, 200)
      html = res.body
    })

    it('has landmarks, the headline as the one <h1>, key points as a list and body subheads as <h2>', () => {
      assertHtmlLandmarks(html)
      assert.ok(html.includes(`<h1>${floodStory.headline}</h1>`))
      assert.match(
        html,
        /<ul class="keypoints"[^>]*><li>Two hundred people were stranded overnight<\/li><li>Roads into/,
      )
      assert.ok(html.includes('<h2>Roads cut off</h2>'))
      assert.ok(html.includes('<h2>What happens next</h2>'))
    })

    it('shows the hero as a <figure> with alt, width and height, and a caption with the credit', () => {
      const figure = html.match(/<figure class="hero">([\s\S]*?)<\/figure>/)?.[1]
      assert.ok(figure, 'a hero <figure>')
      const img = tagAttributes(figure, /<img[^>]*>/)
      assert.equal(img?.['src'], floodStory.hero.src)
      assert.equal(img?.['alt'], floodStory.hero.alt)
      assert.equal(img?.['width'], '1600')
      assert.equal(img?.['height'], '900')
      const caption = decode(figure.match(/<figcaption>([\s\S]*?)<\/figcaption>/)?.[1] ?? '')
      assert.ok(caption.includes(floodStory.hero.caption), caption)
      assert.ok(caption.includes(floodStory.hero.credit), caption)
    })

    it('links its canonical URL and its short link', () => {
      assert.equal(
        tagAttributes(html, /<link rel="canonical"[^>]*>/)?.['href'],
        `${PUBLIC_URL}/world/${flood.slug}`,
      )
      assert.equal(
        tagAttributes(html, /<link rel="shortlink"[^>]*>/)?.['href'],
        `${PUBLIC_URL}/s/${flood.shortCode}`,
      )
    })

    it('marks its times up with <time datetime>', () => {
      assert.equal(shownUpdatedTime(html), flood.publicUpdatedAt)
      assert.ok(html.includes(`<time datetime="${flood.firstPublishedAt}"`))
    })

    it('carries Open Graph tags for the story', () => {
      assert.equal(metaProperty(html, 'og:type'), 'article')
      assert.equal(metaProperty(html, 'og:title'), floodStory.headline)
      assert.equal(metaProperty(html, 'og:url'), `${PUBLIC_URL}/world/${flood.slug}`)
      assert.equal(metaProperty(html, 'og:image'), floodStory.hero.src)
      assert.equal(metaProperty(html, 'og:image:alt'), floodStory.hero.alt)
      assert.equal(metaProperty(html, 'article:published_time'), flood.firstPublishedAt)
    })

    it('embeds a parseable NewsArticle in application/ld+json', () => {
      const json = html.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)?.[1]
      assert.ok(json, 'an ld+json block')
      const data = JSON.parse(json) as Record<string, unknown>
      assert.equal(data['@type'], 'NewsArticle')
      assert.equal(data['headline'], floodStory.headline)
      assert.deepEqual(data['image'], [floodStory.hero.src])
      assert.equal(data['datePublished'], flood.firstPublishedAt)
      assert.equal(data['dateModified'], flood.publicUpdatedAt)
      assert.deepEqual(data['author'], [
        { '@type': 'Person', name: 'Maria Lindqvist', url: `${PUBLIC_URL}/author/${author.user.slug}` },
      ])
      const publisher = data['publisher'] as Record<string, unknown>
      assert.equal(publisher['@type'], 'Organization')
      assert.equal(publisher['name'], 'Dateline Test')
      assert.equal(publisher['url'], PUBLIC_URL)
      assert.match(
        String((publisher['logo'] as Record<string, unknown> | undefined)?.['url']),
        /^http:\/\/news\.test\//,
      )
    })

    it('describes a story without key points by its opening words, the same in every description', async () => {
      const story = await publishedStory({
        headline: 'Harbour wall repairs begin',
        bodyHtml:
          '<p>Crews from Smith &amp; Sons began <em>re</em>pairs on Monday.</p>' +
          `<p>${'The work will close the north quay for three weeks. '.repeat(8)}</p>`,
      })
      const html = (await get(`/news/${story.slug}`)).body
      // Cut at the last sentence end that fits the 200 characters.
      const expected =
        'Crews from Smith & Sons began repairs on Monday. The work will close the north quay for three weeks. ' +
        'The work will close the north quay for three weeks.'
      const meta = tagAttributes(html, /<meta name="description"[^>]*>/)?.['content']
      assert.equal(decode(meta ?? ''), expected)
      assert.equal(decode(metaProperty(html, 'og:description') ?? ''), expected)
      const json = html.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)?.[1]
      assert.equal((JSON.parse(json ?? '{}') as Record<string, unknown>)['description'], expected)
    })

    it('answers a conditional request with the same ETag with 304', async () => {
      const first = await get(`/world/${flood.slug}`)
      const etag = String(first.headers['etag'])
      const again = await t.app.inject({
        method: 'GET',
        url: `/world/${flood.slug}`,
        headers: { 'if-none-match': etag },
      })
      assert.equal(again.statusCode, 304)
      assert.equal(again.body, '')
    })
  })

  describe('addresses that move', () => {
    it('redirects the short link /s/{code} with 301 to the canonical URL', async () => {
      const res = await get(`/s/${flood.shortCode}`)
      assert.equal(res.statusCode, 301)
      assert.equal(res.headers['location'], `${PUBLIC_URL}/world/${flood.slug}`)
    })

    it('answers an unknown short code with 404', async () => {
      assert.equal((await get('/s/zzzzzzz')).statusCode, 404)
      for (const url of [
        '/s/zzzzzzz',
        '/no-such-section',
        '/topic/no-such-topic',
        '/author/no-such-author',
      ]) {
        const res = await get(url)
        assert.equal(res.statusCode, 404, url)
        assertLandmarks(res)
        assert.match(res.body, /<h1>Page not found<\/h1>/, `${url}: the not-found page`)
      }
    })

    it('answers a draft with 404, on its URL and its short link', async () => {
      const draft = await api('POST', '/articles', { headline: 'Draft about the dam', section: 'news' })
      assert.equal((await get(`/news/${draft.slug}`)).statusCode, 404)
      assert.equal((await get(`/s/${draft.shortCode}`)).statusCode, 404)
      for (const url of [`/news/${draft.slug}`, `/s/${draft.shortCode}`]) {
        const res = await get(url)
        assertLandmarks(res)
        assert.ok(!res.body.includes('Draft about the dam'), `${url}: the draft's headline leaks`)
      }
    })

    it('answers an unpublished story with the 410 page, on its URL and its short link', async () => {
      const story = await publishedStory({ headline: 'Story later withdrawn by the desk' })
      assert.equal((await get(`/news/${story.slug}`)).statusCode, 200)
      assert.equal((await get(`/s/${story.shortCode}`)).statusCode, 301)
      await api('POST', `/articles/${story.id}/unpublish`)
      for (const url of [`/news/${story.slug}`, `/s/${story.shortCode}`]) {
        const res = await get(url)
        assert.equal(res.statusCode, 410, url)
        assertLandmarks(res)
        assert.ok(!res.body.includes('Story later withdrawn by the desk'), `${url}: the story text is gone`)
      }
    })

    it('redirects the old URL with 301 to the new one after a headline change', async () => {
      const story = await publishedStory({ headline: 'Minister resigns over contracts' })
      const oldUrl = `/news/${story.slug}`
      assert.equal((await get(oldUrl)).statusCode, 200)
      const changed = await api('PATCH', `/articles/${story.id}`, {
        version: story.version,
        headline: 'Minister resigns over defence contracts',
      })
      assert.notEqual(changed.slug, story.slug)
      const res = await get(oldUrl)
      assert.equal(res.statusCode, 301)
      assert.equal(res.headers['location'], `/news/${changed.slug}`)
      assert.equal((await get(`/news/${changed.slug}`)).statusCode, 200)
    })

    it('redirects a story requested under the wrong section to its canonical URL', async () => {
      const res = await get(`/news/${flood.slug}`)
      assert.equal(res.statusCode, 301)
      assert.equal(res.headers['location'], `/world/${flood.slug}`)
    })
  })

  describe('updates', () => {
    it('moves the shown Updated time on a substantive update, but not on a minor fix', async () => {
      const story = await publishedStory({ headline: 'Port strike enters second day' })
      const url = `/news/${story.slug}`
      const firstShown = shownUpdatedTime((await get(url)).body)
      assert.equal(firstShown, story.publicUpdatedAt)

      t.ctx.clock.advance(2 * HOUR)
      const substantive = await api('PATCH', `/articles/${story.id}`, {
        version: story.version,
        keyPoints: ['Talks resume on Thursday'],
      })
      const afterSubstantive = shownUpdatedTime((await get(url)).body)
      assert.equal(afterSubstantive, t.ctx.clock.now().toISOString())
      assert.notEqual(afterSubstantive, firstShown)

      t.ctx.clock.advance(HOUR)
      await api('PATCH', `/articles/${story.id}`, {
        version: substantive.version,
        keyPoints: ['Talks resume on Thursday morning'],
        updateKind: 'minor',
      })
      const page = (await get(url)).body
      assert.ok(page.includes('Talks resume on Thursday morning'), 'the minor fix is shown')
      assert.equal(shownUpdatedTime(page), afterSubstantive, 'but the Updated time stays')
    })

    it('shows a correction note with its date', async () => {
      const story = await publishedStory({ headline: 'Bridge reopens to traffic' })
      await api('PATCH', `/articles/${story.id}`, {
        version: story.version,
        bodyHtml: '<p>The bridge reopened on Tuesday.</p>',
        correction: 'An earlier version said the bridge reopened on Monday.',
      })
      const html = (await get(`/news/${story.slug}`)).body
      const note = html.match(/<aside class="correction"[^>]*>([\s\S]*?)<\/aside>/)?.[1]
      assert.ok(note, 'a correction note')
      assert.ok(note.includes('An earlier version said the bridge reopened on Monday.'))
      assert.match(note, /<time datetime="[^"]+"/)
    })
  })

  describe('breaking, dateline and language', () => {
    it('labels a breaking story, shows its dateline and declares its language', async () => {
      const story = await publishedStory({
        headline: 'Dam gives way above river town',
        breaking: true,
        dateline: 'Porto Alegre, Brazil',
        language: 'pt-BR',
      })
      const html = (await get(`/news/${story.slug}`)).body
      assert.match(html, /^<!doctype html><html lang="pt-BR">/)
      assert.match(html, /<p class="kicker"><strong class="breaking-label">Breaking<\/strong>/)
      assert.match(html, /<p class="dateline">Porto Alegre, Brazil<\/p><div class="body">/)
      const jsonLd = html.match(/<script type="application\/ld\+json">([^<]*)<\/script>/)?.[1]
      assert.equal((JSON.parse(jsonLd ?? '{}') as { inLanguage?: string }).inLanguage, 'pt-BR')

      const calmer = await api('PATCH', `/articles/${story.id}`, { version: story.version, breaking: false })
      assert.equal((calmer as unknown as { breaking: boolean }).breaking, false)
      const after = (await get(`/news/${story.slug}`)).body
      assert.ok(!after.includes('class="breaking-label"'), 'the label goes when the flag does')
    })

    it('refuses a language that is not a tag and a dateline too long, naming both', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/articles',
        headers: editor,
        payload: {
          headline: 'Storm warning',
          section: 'news',
          language: 'English',
          dateline: 'x'.repeat(101),
        },
      })
      assert.equal(res.statusCode, 400)
      const fields = res.json<{ problems: { field: string }[] }>().problems.map((p) => p.field)
      assert.ok(fields.includes('language'), res.body)
      assert.ok(fields.includes('dateline'), res.body)
    })
  })

  describe('pagination and reading on', () => {
    /** The stories' paths, oldest first. */
    const roundUps: string[] = []
    before(async () => {
      // 21 stories in "business" on top of the rest: two pages there and on /latest.
      await aSection(t.ctx, 'business')
      for (let i = 1; i <= 21; i++) {
        const created = await createArticle(t.ctx.articles, author, {
          headline: `Quarterly results round-up number ${i}`,
          section: 'business',
          bodyHtml: '<p>Results.</p>',
        })
        await publishArticle(t.ctx.articles, author, created.id)
        roundUps.push(`/business/${created.slug}`)
      }
    })

    /** The story's own page links, the "More from" cards and the "Latest news" rail. */
    const readingOn = (html: string) => {
      const next = html.match(/<section class="next"[\s\S]*?<\/section>/)?.[0] ?? ''
      const rail = html.match(/<aside class="rail"[\s\S]*?<\/aside>/)?.[0] ?? ''
      const links = (part: string) => [...part.matchAll(/<a href="(\/business\/[^"]+)"/g)].map((m) => m[1])
      return { next, rail, nextLinks: links(next), railLinks: links(rail) }
    }

    it("shows the section's next stories and the newest beside a story, never the story itself", async () => {
      const newest = readingOn((await get(roundUps[20]!)).body)
      assert.deepEqual(newest.nextLinks, roundUps.slice(16, 20).reverse())
      assert.deepEqual(newest.railLinks, roundUps.slice(12, 20).reverse())
      assert.match(newest.next, /More from Business/)
      assert.match(newest.rail, /Latest news/)

      const second = readingOn((await get(roundUps[19]!)).body)
      assert.deepEqual(second.nextLinks, [roundUps[20], ...roundUps.slice(16, 19).reverse()])
      assert.ok(!second.railLinks.includes(roundUps[19]), 'not in its own rail')
    })

    it('shows every older story the same next stories and newest', async () => {
      const oldest = readingOn((await get(roundUps[0]!)).body)
      const older = readingOn((await get(roundUps[1]!)).body)
      assert.deepEqual(oldest.nextLinks, roundUps.slice(17, 21).reverse())
      assert.deepEqual(oldest.railLinks, roundUps.slice(13, 21).reverse())
      assert.equal(older.next, oldest.next)
      assert.equal(older.rail, oldest.rail)
    })

    it('has a page 2 once a list holds more than 20 stories, linked from page 1', async () => {
      const first = await get('/business')
      assert.ok(first.body.includes('href="/business?page=2"'), 'page 1 links to page 2')
      const second = await get('/business?page=2')
      assert.equal(second.statusCode, 200)
      assertLandmarks(second)
      assert.equal((second.body.match(/Quarterly results round-up number/g) ?? []).length, 1)
      assert.equal((await get('/latest?page=2')).statusCode, 200)
    })

    it('answers a page beyond the last with 404', async () => {
      assert.equal((await get('/business?page=3')).statusCode, 404)
      assert.equal((await get('/latest?page=40')).statusCode, 404)
    })

    it('answers a page number that is not a number, zero or negative with 404', async () => {
      for (const page of ['abc', '0', '-1', '1.5', '']) {
        assert.equal((await get(`/latest?page=${page}`)).statusCode, 404, `page=${page}`)
        assert.equal((await get(`/business?page=${page}`)).statusCode, 404, `section page=${page}`)
      }
    })
  })
})
