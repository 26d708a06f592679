import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { VNode } from 'preact'
import {
  canonicalPath,
  findArticleByOldSlug,
  findArticleByShortCode,
  findArticleViewBySlug,
  isPublic,
  listPublished,
  toArticleView,
  type Article,
  type ArticleView,
} from '../../../modules/articles/index.js'
import { findUserBySlug } from '../../../modules/auth/index.js'
import { changesPublicPages } from '../../../modules/events/index.js'
import {
  findSectionById,
  findSectionBySlug,
  findTopicBySlug,
  listSections,
} from '../../../modules/taxonomy/index.js'
import { isShortCode } from '../../../platform/ids.js'
import { isValidSlug } from '../../../platform/slug.js'
import {
  ArticlePage,
  LATEST_STORIES,
  NEXT_STORIES,
  renderStoryLists,
} from '../../../views/pages/article-page.js'
import { ErrorPage, FrontPage, ListPage } from '../../../views/pages/front-page.js'
import type { FollowChoice } from '../../../views/components/follow-control.js'
import type { ReaderChrome, SiteChrome } from '../../../views/layouts/layout.js'
import type { AppDeps } from '../../app-deps.js'
import { sendCached, type PageCache } from '../../plugins/page-cache.js'
import { readerChromeFor } from '../../plugins/reader-session.js'
import { asReadersSeeIt } from '../../reader-story.js'
import { renderDocument, SITE_JS, SITE_LOGO, type ChromeLoader } from './render.js'

export const PAGE_SIZE = 20
const MAX_PAGE = 500

/** A page renders for everyone (no reader) or for one signed-in reader, from the same loaded data. */
type PageResult =
  { status: 200 | 404 | 410; page: (reader?: ReaderChrome) => VNode } | { status: 301; location: string }

/**
 * The reader site. Pages are rendered once and served from the cache until a content
 * event (from this process, the CLI or another node) clears it; the event tail is
 * caught up before every lookup so the next view after a change is never stale.
 *
 * A signed-in reader (a request with a valid reader cookie) does not get the cached
 * HTML: their page is loaded and rendered again with their bell, Follow states and
 * CSRF token, sent `private` and never stored.
 * Everyone else gets the shared bytes and ETag, as before.
 */
export function registerSiteRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  cache: PageCache,
  chrome: ChromeLoader,
): void {
  deps.tail.subscribe((events) => {
    if (events.some(changesPublicPages)) cache.clear()
  })
  const site = deps.config.site
  const loadSharedChrome = chrome

  async function serve(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    build: () => Promise<PageResult>,
  ) {
    await deps.tail.catchUp()
    let built: PageResult | undefined
    const page = await cache.getOrBuild(key, reply, async () => {
      built = await build()
      return built.status === 301
        ? { status: 301, body: Buffer.alloc(0), contentType: 'text/plain', location: built.location }
        : {
            status: built.status,
            body: renderDocument(built.page()),
            contentType: 'text/html; charset=utf-8',
          }
    })
    const reader = page.location ? undefined : await readerChromeFor(deps.readers, request, reply)
    if (reader) {
      // Loaded again rather than kept with the entry: holding every page's data in memory
      // for the few signed-in views costs the shared cache more than one more read does.
      built ??= await build()
      if (built.status !== 301) {
        return reply
          .code(built.status)
          .header('cache-control', 'private, no-cache')
          .type('text/html; charset=utf-8')
          .send(renderDocument(built.page(reader)))
      }
    }
    return sendCached(request, reply, page)
  }

  const notFound = async (message = 'There is no page at this address.'): Promise<PageResult> => ({
    status: 404,
    page: withChrome(await loadSharedChrome(), (chrome) => ErrorPage({ chrome, status: 404, message })),
  })

  const gone = async (): Promise<PageResult> => ({
    status: 410,
    page: withChrome(await loadSharedChrome(), (chrome) =>
      ErrorPage({ chrome, status: 410, message: 'This story is no longer available.' }),
    ),
  })

  app.get('/assets/logo.png', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('image/png').send(SITE_LOGO),
  )

  app.get('/assets/site.js', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=3600')
      .type('text/javascript; charset=utf-8')
      .send(SITE_JS),
  )

  app.get('/', (request, reply) =>
    serve(request, reply, '/', async () => {
      const chrome = await loadSharedChrome()
      const latest = await listPublished(deps.db, { limit: 12, offset: 0 })
      const lead = latest.find((s) => s.hero) ?? latest[0]
      const sections = await listSections(deps.db)
      const sectionBlocks = await Promise.all(
        sections.map(async (s) => ({
          slug: s.slug,
          name: s.name,
          stories: await listPublished(deps.db, {
            sectionId: s.id,
            limit: 4,
            offset: 0,
            excludeIds: lead ? [lead.id] : [],
          }),
        })),
      )
      const now = deps.clock.now()
      return {
        status: 200,
        page: withChrome(chrome, (pageChrome) =>
          FrontPage({
            chrome: pageChrome,
            lead,
            latest: latest.filter((s) => s.id !== lead?.id).slice(0, 10),
            sectionBlocks: sectionBlocks.filter((b) => b.stories.length > 0),
            now,
          }),
        ),
      }
    }),
  )

  app.get<{ Querystring: { page?: string } }>('/latest', (request, reply) => {
    const page = parsePage(request.query.page)
    if (page === undefined) return serve(request, reply, request.url, () => notFound())
    return serve(request, reply, `/latest?page=${page}`, async () => {
      const stories = await listPublished(deps.db, { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE })
      return listPage({ title: 'Latest news', basePath: '/latest', stories, page, liveList: 'front' })
    })
  })

  app.get<{ Params: { code: string } }>('/s/:code', (request, reply) =>
    serve(request, reply, `/s/${request.params.code}`, async () => {
      if (!isShortCode(request.params.code)) return notFound()
      const article = await findArticleByShortCode(deps.db, request.params.code)
      // A story taken down is gone, as its own address says; one never published was never here.
      if (article?.status === 'unpublished') return gone()
      if (!article || !isPublic(article))
        return notFound('This short link does not lead to a published story.')
      return { status: 301, location: await canonicalUrl(article) }
    }),
  )

  app.get<{ Params: { slug: string }; Querystring: { page?: string } }>('/topic/:slug', (request, reply) => {
    const page = parsePage(request.query.page)
    const { slug } = request.params
    return serve(request, reply, `/topic/${slug}?page=${page}`, async () => {
      if (page === undefined || !isValidSlug(slug)) return notFound()
      const topic = await findTopicBySlug(deps.db, slug)
      if (!topic) return notFound('There is no such topic.')
      if (topic.slug !== slug) return { status: 301, location: `/topic/${topic.slug}` }
      const stories = await listPublished(deps.db, {
        topicId: topic.id,
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
      })
      return listPage({
        title: topic.name,
        intro: `Stories about ${topic.name}.`,
        basePath: `/topic/${topic.slug}`,
        stories,
        page,
        follow: { kind: 'topic', targetId: topic.id, name: topic.name },
        liveList: `topic:${topic.slug}`,
        hasFeed: true,
      })
    })
  })

  app.get<{ Params: { slug: string }; Querystring: { page?: string } }>('/author/:slug', (request, reply) => {
    const page = parsePage(request.query.page)
    const { slug } = request.params
    return serve(request, reply, `/author/${slug}?page=${page}`, async () => {
      if (page === undefined || !isValidSlug(slug)) return notFound()
      const author = await findUserBySlug(deps.db, slug)
      if (!author) return notFound('There is no such author.')
      const stories = await listPublished(deps.db, {
        authorId: author.id,
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
      })
      return listPage({
        title: author.displayName,
        intro: author.bio || `Stories by ${author.displayName}.`,
        basePath: `/author/${author.slug}`,
        stories,
        page,
        follow: { kind: 'author', targetId: author.id, name: author.displayName },
      })
    })
  })

  app.get<{ Params: { section: string }; Querystring: { page?: string } }>('/:section', (request, reply) => {
    const page = parsePage(request.query.page)
    const { section: sectionSlug } = request.params
    return serve(request, reply, `/${sectionSlug}?page=${page}`, async () => {
      if (page === undefined || !isValidSlug(sectionSlug)) return notFound()
      const section = await findSectionBySlug(deps.db, sectionSlug)
      if (!section) return notFound()
      const stories = await listPublished(deps.db, {
        sectionId: section.id,
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
      })
      return listPage({
        title: section.name,
        basePath: `/${section.slug}`,
        currentSection: section.slug,
        stories,
        page,
        follow: { kind: 'section', targetId: section.id, name: section.name },
        liveList: `section:${section.slug}`,
        hasFeed: true,
      })
    })
  })

  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug', (request, reply) => {
    const { section: sectionSlug, slug } = request.params
    return serve(request, reply, `/${sectionSlug}/${slug}`, async () => {
      if (!isValidSlug(sectionSlug) || !isValidSlug(slug)) return notFound()
      const stored = (await findArticleViewBySlug(deps.db, slug)) ?? (await storyOnceCalled(slug))
      if (!stored || stored.status === 'draft' || stored.status === 'scheduled') return notFound()
      if (stored.status === 'unpublished') return gone()
      if (stored.slug !== slug || stored.section.slug !== sectionSlug)
        return { status: 301, location: canonicalPath(stored, stored.section.slug) }
      const view = await asReadersSeeIt(deps.db, stored)
      // Every story page shows the same newest stories, less itself: read one more than
      // shown, once per content change, instead of two queries per page.
      const now = Date.now()
      const [chrome, sectionStories, newest] = await Promise.all([
        loadSharedChrome(),
        cache.shared(`section-newest:${view.sectionId}`, now, () =>
          listPublished(deps.db, { sectionId: view.sectionId, limit: NEXT_STORIES + 1, offset: 0 }),
        ),
        cache.shared('newest', now, () => listPublished(deps.db, { limit: LATEST_STORIES + 1, offset: 0 })),
      ])
      const shownAt = deps.clock.now()
      // A story among the newest sees lists without itself; every other story, the same shared ones.
      const listed = sectionStories.some((s) => s.id === view.id) || newest.some((s) => s.id === view.id)
      const lists = await cache.shared(
        `story-lists:${view.sectionId}:${listed ? view.id : ''}`,
        now,
        async () =>
          renderStoryLists({
            sectionName: view.section.name,
            nextStories: sectionStories.filter((s) => s.id !== view.id).slice(0, NEXT_STORIES),
            latest: newest.filter((s) => s.id !== view.id).slice(0, LATEST_STORIES),
            now: shownAt,
          }),
      )
      return {
        status: 200,
        page: withChrome(chrome, (pageChrome) =>
          ArticlePage({
            chrome: pageChrome,
            article: view,
            canonicalUrl: `${site.publicUrl}${canonicalPath(view, view.section.slug)}`,
            shortUrl: `${site.shortUrlBase}/s/${view.shortCode}`,
            lists,
            now: shownAt,
          }),
        ),
      }
    })
  })

  /** A story by a slug it had before its headline changed; its page redirects to the new one. */
  async function storyOnceCalled(slug: string): Promise<ArticleView | undefined> {
    const article = await findArticleByOldSlug(deps.db, slug)
    return article && toArticleView(deps.db, article)
  }

  async function canonicalUrl(article: Article): Promise<string> {
    const section = await findSectionById(deps.db, article.sectionId)
    return `${site.publicUrl}${canonicalPath(article, section?.slug ?? 'news')}`
  }

  async function listPage(input: {
    title: string
    intro?: string
    basePath: string
    currentSection?: string
    stories: Awaited<ReturnType<typeof listPublished>>
    page: number
    follow?: FollowChoice
    /** The live channel new stories of this list arrive on; only the first page shows them. */
    liveList?: string
    hasFeed?: boolean
  }): Promise<PageResult> {
    if (input.page > 1 && input.stories.length === 0) return notFound('There are no stories on this page.')
    const chrome = await loadSharedChrome()
    const canonicalPath = input.page > 1 ? `${input.basePath}?page=${input.page}` : input.basePath
    const now = deps.clock.now()
    return {
      status: 200,
      page: withChrome(chrome, (pageChrome) =>
        ListPage({
          chrome: pageChrome,
          title: input.title,
          intro: input.intro,
          basePath: input.basePath,
          canonicalUrl: `${site.publicUrl}${canonicalPath}`,
          currentSection: input.currentSection,
          stories: input.stories.slice(0, PAGE_SIZE),
          page: input.page,
          hasNext: input.stories.length > PAGE_SIZE,
          now,
          follow: input.follow,
          liveList: input.page === 1 ? input.liveList : undefined,
          hasFeed: input.hasFeed,
        }),
      ),
    }
  }

  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply
        .code(404)
        .send({ code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` })
    }
    const shared = await chrome()
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(
        renderDocument(
          ErrorPage({ chrome: shared, status: 404, message: 'There is no page at this address.' }),
        ),
      )
  })
}

/** A page's render function: the shared chrome, plus the reader's part when there is a reader. */
function withChrome(
  chrome: SiteChrome,
  render: (chrome: SiteChrome) => VNode,
): (reader?: ReaderChrome) => VNode {
  return (reader) => render(reader ? { ...chrome, reader } : chrome)
}

/** A list's ?page= number: 1 when absent, undefined (a 404) when it is not one we serve. */
export function parsePage(raw: string | undefined): number | undefined {
  if (raw === undefined) return 1
  if (!/^\d{1,4}$/.test(raw)) return undefined
  const page = Number(raw)
  return page >= 1 && page <= MAX_PAGE ? page : undefined
}
