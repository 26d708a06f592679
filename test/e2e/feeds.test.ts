import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ErrorLevel, parseSitemap, parseSitemapIndex, validateSMIOptions } from 'sitemap'
import { Readable } from 'node:stream'
import {
  createArticle,
  publishArticle,
  unpublishArticle,
  updateArticle,
  type ArticleView,
} from '../../src/modules/articles/index.js'
import { createTopic } from '../../src/modules/taxonomy/index.js'
import type { Actor } from '../../src/modules/auth/index.js'
import { aSection, aUser } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'
import { feedparser, hasFeedparser, hasXmllint } from '../support/tools.js'

const PUBLIC_URL = 'http://news.test'
const DAY = 24 * 3_600_000
const HAS_FEEDPARSER = hasFeedparser()
const HAS_XMLLINT = hasXmllint()

forEachDialect('feeds and sitemaps', (dialect) => {
  let t: TestApp
  let editor: Actor & { user: { displayName: string } }
  let harbour: ArticleView
  let quake: ArticleView
  let old: ArticleView

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers })

  async function published(fields: Parameters<typeof createArticle>[2]): Promise<ArticleView> {
    const created = await createArticle(t.ctx.articles, editor, fields)
    const view = await publishArticle(t.ctx.articles, editor, created.id)
    await t.ctx.tail.catchUp()
    return view
  }

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'world')
    await aSection(t.ctx, 'business')
    await createTopic(t.ctx.taxonomy, { name: 'Earthquakes', aliases: ['Quakes'] })
    editor = await aUser(t.ctx, 'editor', { displayName: 'Ana Ruiz' })
    old = await published({
      headline: 'Ferry timetable changes for the winter',
      section: 'business',
      bodyHtml: '<p>The winter timetable starts next month.</p>',
    })
    t.ctx.clock.advance(3 * DAY)
    harbour = await published({
      headline: 'Harbour & port fees rise by <5% after "long" talks',
      section: 'business',
      keyPoints: ['Fees rise in April', 'Fishing boats are exempt'],
      bodyHtml:
        '<p>Fees rise <a href="/business">in April</a>.</p>' +
        '<figure><img src="/media/ab/abcdef0123.jpg" alt="The harbour" width="800" height="600">' +
        '<figcaption>The harbour at dawn. <small>Ana Ruiz</small></figcaption></figure>',
      hero: {
        src: 'https://images.test/harbour.jpg',
        width: 1600,
        height: 900,
        alt: 'Boats in the harbour',
        caption: 'Boats in the harbour',
        credit: 'Ana Ruiz',
      },
    })
    quake = await published({
      headline: 'Earthquake shakes the coast; no damage reported',
      section: 'world',
      topics: ['Earthquakes'],
      bodyHtml: '<p>A magnitude 4.1 earthquake was felt along the coast.</p>',
    })
  })
  after(() => t.close())

  describe('RSS, Atom and JSON Feed', { skip: !HAS_FEEDPARSER && 'feedparser not available' }, () => {
    it('gives the site RSS that feedparser reads cleanly, newest first, with full text', async () => {
      const res = await get('/feed.xml')
      assert.equal(res.statusCode, 200)
      assert.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8')
      assert.equal(feedparser('<rss><channel><title>a & b</title></channel></rss>').bozo, true, 'it can fail')
      const feed = feedparser(res.body)
      assert.equal(feed.version, 'rss20')
      assert.equal(feed.bozo, false, feed.bozoReason)
      assert.deepEqual(
        feed.entries.map((e) => e.title),
        [quake.headline, harbour.headline, old.headline],
      )
      const entry = feed.entries[1]!
      assert.equal(entry.title, 'Harbour & port fees rise by <5% after "long" talks')
      assert.equal(entry.link, `${PUBLIC_URL}/business/${harbour.slug}`)
      assert.equal(entry.id, `${PUBLIC_URL}/s/${harbour.shortCode}`, 'the id survives headline changes')
      assert.match(entry.content, /<a href="http:\/\/news\.test\/business"[^>]*>in April<\/a>/)
      assert.match(entry.content, /<img [^>]*src="http:\/\/news\.test\/media\/ab\/abcdef0123\.jpg"/)
      assert.match(entry.summary, /Fees rise in April/)
      assert.match(res.body, /<media:content url="https:\/\/images\.test\/harbour\.jpg" type="image\/jpeg"/)
    })

    it('gives each section and topic its own feed, and 404 for unknown ones or an alias', async () => {
      const world = feedparser((await get('/world/feed.atom')).body)
      assert.equal(world.version, 'atom10')
      assert.equal(world.bozo, false, world.bozoReason)
      assert.deepEqual(
        world.entries.map((e) => e.title),
        [quake.headline],
      )
      assert.ok(world.entries[0]!.tags.includes('Earthquakes'))
      const topic = JSON.parse((await get('/topic/earthquakes/feed.json')).body) as {
        version: string
        items: { id: string; title: string; content_html: string; authors?: { name: string }[] }[]
      }
      assert.equal(topic.version, 'https://jsonfeed.org/version/1.1')
      assert.deepEqual(
        topic.items.map((i) => i.title),
        [quake.headline],
      )
      assert.deepEqual(topic.items[0]!.authors, [{ name: 'Ana Ruiz' }])
      assert.equal((await get('/nowhere/feed.xml')).statusCode, 404)
      assert.equal((await get('/topic/quakes/feed.xml')).statusCode, 404)
      assert.equal((await get('/topic/unknown/feed.json')).statusCode, 404)
    })

    it('follows edits and unpublishing at once, and answers 304 while nothing changed', async () => {
      const first = await get('/feed.xml')
      const etag = String(first.headers['etag'])
      assert.equal((await get('/feed.xml', { 'if-none-match': etag })).statusCode, 304)

      const edited = await updateArticle(t.ctx.articles, editor, quake.id, {
        version: quake.version,
        headline: 'Earthquake shakes the coast; two buildings damaged',
      })
      await t.ctx.tail.catchUp()
      const after = await get('/feed.xml', { 'if-none-match': etag })
      assert.equal(after.statusCode, 200)
      assert.equal(feedparser(after.body).entries[0]!.title, edited.headline)

      await unpublishArticle(t.ctx.articles, editor, old.id)
      await t.ctx.tail.catchUp()
      const titles = feedparser((await get('/business/feed.xml')).body).entries.map((e) => e.title)
      assert.deepEqual(titles, [harbour.headline])
      quake = edited
    })

    it('links the feeds from the pages they follow', async () => {
      const front = (await get('/')).body
      assert.match(
        front,
        /<link rel="alternate" type="application\/rss\+xml" title="[^"]+ \(RSS\)" href="\/feed\.xml"/,
      )
      const section = (await get('/world')).body
      assert.match(
        section,
        /<link rel="alternate" type="application\/atom\+xml" title="World[^"]*" href="\/world\/feed\.atom"/,
      )
      const topic = (await get('/topic/earthquakes')).body
      assert.match(topic, /href="\/topic\/earthquakes\/feed\.json"/)
    })
  })

  describe('sitemaps', () => {
    it('names every month of stories in the index, and each month lists its stories', async () => {
      const index = await parseSitemapIndex(Readable.from((await get('/sitemap.xml')).body))
      const months = index.map((entry) => entry.url)
      assert.ok(months.includes(`${PUBLIC_URL}/sitemaps/pages.xml`))
      const month = months.find((url) => /\/sitemaps\/\d{4}-\d{2}\.xml$/.test(url))
      assert.ok(month, months.join(' '))
      const res = await get(month.slice(PUBLIC_URL.length))
      assert.equal(res.statusCode, 200)
      assert.match(res.body, new RegExp(`<loc>${PUBLIC_URL}/business/${harbour.slug}</loc><lastmod>`))
      assert.doesNotMatch(res.body, new RegExp(old.slug), 'an unpublished story is not listed')
      assert.equal((await get('/sitemaps/2026-13.xml')).statusCode, 404)
      assert.equal((await get('/sitemaps/1999-01.xml')).body.match(/<url>/g), null)
    })

    it('passes the sitemaps.org schema', { skip: !HAS_XMLLINT && 'xmllint not available' }, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'dateline-sitemaps-'))
      try {
        const files = [
          '/sitemaps/pages.xml',
          (await parseSitemapIndex(Readable.from((await get('/sitemap.xml')).body)))
            .at(-1)!
            .url.slice(PUBLIC_URL.length),
        ]
        const paths = await Promise.all(
          files.map(async (url, i) => {
            const file = path.join(dir, `${i}.xml`)
            writeFileSync(file, (await get(url)).body)
            return file
          }),
        )
        const lint = spawnSync(
          'xmllint',
          ['--nonet', '--noout', '--schema', 'node_modules/sitemap/schema/sitemap.xsd', ...paths],
          { encoding: 'utf8' },
        )
        assert.equal(lint.status, 0, lint.stderr)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('lists the last two days in the news sitemap, each with its publication, date and title', async () => {
      const res = await get('/news-sitemap.xml')
      const entries = await parseSitemap(Readable.from(res.body))
      for (const entry of entries) validateSMIOptions(entry, ErrorLevel.THROW)
      assert.deepEqual(
        entries.map((e) => e.url),
        [`${PUBLIC_URL}/world/${quake.slug}`, `${PUBLIC_URL}/business/${harbour.slug}`],
      )
      const news = entries[1]!.news!
      assert.equal(news.title, harbour.headline)
      assert.deepEqual(news.publication, { name: t.ctx.config.site.name, language: 'en' })
      assert.equal(news.publication_date, harbour.firstPublishedAt!.toISOString())

      t.ctx.clock.advance(3 * DAY)
      await published({ headline: 'Later story', section: 'world', bodyHtml: '<p>Text.</p>' })
      const later = await parseSitemap(Readable.from((await get('/news-sitemap.xml')).body))
      assert.deepEqual(
        later.map((e) => e.news?.title),
        ['Later story'],
      )
    })

    it('points crawlers at the sitemaps and away from the newsroom and the API', async () => {
      const robots = await get('/robots.txt')
      assert.equal(robots.headers['content-type'], 'text/plain; charset=utf-8')
      assert.match(robots.body, /^Disallow: \/newsroom\/$/m)
      assert.match(robots.body, /^Disallow: \/api\/$/m)
      assert.match(robots.body, /^Disallow: \/search$/m)
      assert.match(robots.body, new RegExp(`^Sitemap: ${PUBLIC_URL}/sitemap\\.xml$`, 'm'))
      assert.match(robots.body, new RegExp(`^Sitemap: ${PUBLIC_URL}/news-sitemap\\.xml$`, 'm'))
    })
  })
})
