import type { FastifyInstance } from 'fastify'
import { listPublished } from '../../../modules/articles/index.js'
import { searchIndexPosition, searchStoryIds, updateSearchIndex } from '../../../modules/search/index.js'
import { ErrorPage } from '../../../views/pages/front-page.js'
import { SearchPage } from '../../../views/pages/search-page.js'
import type { AppDeps } from '../../app-deps.js'
import { readerChromeFor } from '../../plugins/reader-session.js'
import { renderDocument, type ChromeLoader } from './render.js'
import { PAGE_SIZE, parsePage } from './site-routes.js'

/**
 * Reader search over published stories. Results are not cached (every query is its
 * own), but the index is brought up to the event log first, so a story published a
 * moment ago, by any process, is already found.
 */
export function registerSearchRoutes(app: FastifyInstance, deps: AppDeps, chrome: ChromeLoader): void {
  const search = { db: deps.db, dialect: deps.articles.dialect }

  app.get<{ Querystring: { q?: unknown; page?: string } }>('/search', async (request, reply) => {
    const query = typeof request.query.q === 'string' ? request.query.q.slice(0, 200) : ''
    const page = parsePage(request.query.page)
    const reader = await readerChromeFor(deps.readers, request, reply)
    const siteChrome = await chrome()
    const pageChrome = reader ? { ...siteChrome, reader } : siteChrome
    reply.header('cache-control', reader ? 'private, no-cache' : 'no-cache').type('text/html; charset=utf-8')
    if (page === undefined)
      return reply
        .code(404)
        .send(
          renderDocument(ErrorPage({ chrome: pageChrome, status: 404, message: 'There is no such page.' })),
        )

    await deps.tail.catchUp()
    if ((await searchIndexPosition(deps.db)) < deps.tail.lastEventId()) await updateSearchIndex(search)
    const ids = await searchStoryIds(search, query, { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE })
    const found = await listPublished(deps.db, { ids, limit: ids.length, offset: 0 })
    const ranked = ids.flatMap((id) => found.filter((story) => story.id === id))
    return reply.send(
      renderDocument(
        SearchPage({
          chrome: pageChrome,
          query,
          stories: ranked.slice(0, PAGE_SIZE),
          page,
          hasNext: ranked.length > PAGE_SIZE,
          now: deps.clock.now(),
        }),
      ),
    )
  })
}
