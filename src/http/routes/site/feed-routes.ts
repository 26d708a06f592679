import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  canonicalPath,
  countPublishedBetween,
  listPublishedBetween,
  listPublishedStories,
  publishedSpan,
  type ArticleView,
  type PublishedFilter,
} from '../../../modules/articles/index.js'
import { contentTypeOfKey } from '../../../modules/media/index.js'
import { findSectionBySlug, findTopicBySlug, listSections } from '../../../modules/taxonomy/index.js'
import { storedText, truncate, utf8 } from '../../../platform/text.js'
import {
  absoluteAddresses,
  absoluteUrl,
  FEED_FILES,
  writeFeed,
  type FeedFormat,
  type FeedItem,
} from '../../../views/feeds/feed-formats.js'
import {
  monthFiles,
  monthRange,
  monthsBetween,
  NEWS_URL_LIMIT,
  NEWS_WINDOW_MS,
  newsSitemap,
  SITEMAP_URL_LIMIT,
  sitemapFile,
  sitemapIndex,
  urlSet,
} from '../../../views/feeds/sitemaps.js'
import type { AppDeps } from '../../app-deps.js'
import { sendCached, type PageCache } from '../../plugins/page-cache.js'

/** Stories in each feed: enough for a reader who checks a few times a day. */
export const FEED_ITEMS = 30

interface Built {
  status: 200 | 404
  body: string
  contentType: string
}

/**
 * Syndication and discovery: RSS, Atom and JSON Feed for the site, each section and each
 * topic; sitemaps by month, the Google News sitemap and robots.txt. Served from the page
 * cache, which every content event clears, with an ETag so pollers get 304s.
 */
export function registerFeedRoutes(app: FastifyInstance, deps: AppDeps, cache: PageCache): void {
  const site = deps.config.site

  async function serve(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    build: () => Promise<Built>,
  ) {
    await deps.tail.catchUp()
    const entry = await cache.getOrBuild(key, reply, async () => {
      const built = await build()
      return { status: built.status, body: utf8(built.body), contentType: built.contentType }
    })
    return sendCached(request, reply, entry)
  }

  const notFound = (): Built => ({
    status: 404,
    body: 'There is no feed at this address.\n',
    contentType: 'text/plain; charset=utf-8',
  })

  async function feed(
    format: FeedFormat,
    basePath: string,
    title: string,
    filter: Omit<PublishedFilter, 'limit' | 'offset'>,
  ): Promise<Built> {
    const stories = await listPublishedStories(deps.db, { ...filter, limit: FEED_ITEMS, offset: 0 })
    const items = stories.map(feedItem)
    const body = writeFeed(format, {
      title,
      description: `The latest stories from ${title}.`,
      homeUrl: `${site.publicUrl}${basePath || '/'}`,
      feedUrl: `${site.publicUrl}${basePath}/${FEED_FILES[format].file}`,
      language: stories[0]?.language ?? 'en',
      siteName: site.name,
      updated: items.reduce(
        (max, i) => (i.updated > max ? i.updated : max),
        items[0]?.updated ?? deps.clock.now(),
      ),
      items,
    })
    return { status: 200, body, contentType: FEED_FILES[format].contentType }
  }

  function feedItem(story: ArticleView): FeedItem {
    const url = `${site.publicUrl}${canonicalPath(story, story.section.slug)}`
    const published = story.firstPublishedAt ?? story.createdAt
    const hero = story.hero
    return {
      id: `${site.shortUrlBase}/s/${story.shortCode}`,
      url,
      title: story.headline,
      summary:
        story.keyPoints.length > 0
          ? story.keyPoints.join(' ')
          : truncate(storedText(story.bodyHtml, 300), 300),
      contentHtml: absoluteAddresses(story.bodyHtml, site.publicUrl),
      published,
      updated: story.publicUpdatedAt ?? published,
      authors: story.authors.length > 0 ? story.authors.map((a) => a.displayName) : bylineNames(story.byline),
      categories: [story.section.name, ...story.topics.map((t) => t.name)],
      ...(hero && {
        image: {
          url: absoluteUrl(hero.src, site.publicUrl),
          type: contentTypeOfKey(hero.src.split('?')[0] ?? '') ?? 'image/jpeg',
          width: hero.width,
          height: hero.height,
          caption: hero.caption,
          credit: hero.credit,
        },
      }),
    }
  }

  for (const format of Object.keys(FEED_FILES) as FeedFormat[]) {
    const file = FEED_FILES[format].file
    app.get(`/${file}`, (request, reply) =>
      serve(request, reply, `/${file}`, () => feed(format, '', site.name, {})),
    )
    app.get<{ Params: { section: string } }>(`/:section/${file}`, (request, reply) => {
      const slug = request.params.section
      return serve(request, reply, `/${slug}/${file}`, async () => {
        const section = await findSectionBySlug(deps.db, slug)
        if (!section) return notFound()
        return feed(format, `/${section.slug}`, `${section.name} | ${site.name}`, { sectionId: section.id })
      })
    })
    app.get<{ Params: { slug: string } }>(`/topic/:slug/${file}`, (request, reply) => {
      const slug = request.params.slug
      return serve(request, reply, `/topic/${slug}/${file}`, async () => {
        const topic = await findTopicBySlug(deps.db, slug)
        // An alias's feed is its topic's: one address per feed, like the topic pages.
        if (!topic || topic.slug !== slug) return notFound()
        return feed(format, `/topic/${topic.slug}`, `${topic.name} | ${site.name}`, { topicId: topic.id })
      })
    })
  }

  const xml = 'application/xml; charset=utf-8'

  app.get('/sitemap.xml', (request, reply) =>
    serve(request, reply, '/sitemap.xml', async () => {
      const span = await publishedSpan(deps.db)
      const files: string[] = []
      for (const month of span ? monthsBetween(span.first, span.last) : []) {
        const stories = await countPublishedBetween(deps.db, monthRange(month)!)
        files.push(...monthFiles(month, stories))
      }
      const body = sitemapIndex([
        { url: `${site.publicUrl}/sitemaps/pages.xml` },
        ...files.map((file) => ({ url: `${site.publicUrl}/sitemaps/${file}.xml` })),
      ])
      return { status: 200, body, contentType: xml }
    }),
  )

  app.get('/sitemaps/pages.xml', (request, reply) =>
    serve(request, reply, '/sitemaps/pages.xml', async () => {
      const sections = await listSections(deps.db)
      const paths = ['/', '/latest', ...sections.map((s) => `/${s.slug}`)]
      return {
        status: 200,
        body: urlSet(paths.map((p) => ({ url: `${site.publicUrl}${p}` }))),
        contentType: xml,
      }
    }),
  )

  app.get<{ Params: { file: string } }>('/sitemaps/:file', (request, reply) => {
    const file = sitemapFile(request.params.file)
    if (!file)
      return reply.code(404).type('text/plain; charset=utf-8').send('There is no sitemap at this address.\n')
    return serve(request, reply, `/sitemaps/${request.params.file}`, async () => {
      const stories = await listPublishedBetween(deps.db, {
        ...file,
        limit: SITEMAP_URL_LIMIT,
        offset: (file.page - 1) * SITEMAP_URL_LIMIT,
      })
      if (file.page > 1 && stories.length === 0)
        return {
          status: 404,
          body: 'There is no sitemap at this address.\n',
          contentType: 'text/plain; charset=utf-8',
        }
      const entries = stories.map((s) => ({
        url: `${site.publicUrl}${canonicalPath(s, s.sectionSlug)}`,
        lastModified: s.publicUpdatedAt,
      }))
      return { status: 200, body: urlSet(entries), contentType: xml }
    })
  })

  app.get('/news-sitemap.xml', (request, reply) =>
    serve(request, reply, '/news-sitemap.xml', async () => {
      const to = deps.clock.now()
      const from = new Date(to.getTime() - NEWS_WINDOW_MS)
      // A story scheduled a moment ago counts; "to" is open-ended by a minute for clock skew.
      const stories = await listPublishedBetween(deps.db, {
        from,
        to: new Date(to.getTime() + 60_000),
        limit: NEWS_URL_LIMIT,
      })
      const body = newsSitemap(
        site.name,
        stories.map((s) => ({
          url: `${site.publicUrl}${canonicalPath(s, s.sectionSlug)}`,
          title: s.headline,
          language: s.language,
          published: s.firstPublishedAt,
        })),
      )
      return { status: 200, body, contentType: xml }
    }),
  )

  app.get('/robots.txt', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=3600')
      .type('text/plain; charset=utf-8')
      .send(
        [
          'User-agent: *',
          'Disallow: /newsroom/',
          'Disallow: /account/',
          'Disallow: /api/',
          'Disallow: /search',
          `Sitemap: ${site.publicUrl}/sitemap.xml`,
          `Sitemap: ${site.publicUrl}/news-sitemap.xml`,
          '',
        ].join('\n'),
      ),
  )
}

/** "By Ana Ruiz and Tom Berg" → ["Ana Ruiz", "Tom Berg"]; an empty byline names nobody. */
function bylineNames(byline: string): string[] {
  const names = byline.replace(/^by\s+/i, '').split(/\s*(?:,|\band\b|&)\s*/)
  return names.map((n) => n.trim()).filter((n) => n !== '')
}
