import fastifyFormbody from '@fastify/formbody'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  assertCanView,
  canonicalPath,
  findArticleById,
  listPublished,
  previewArticleView,
  toArticleView,
  type ArticleView,
} from '../../../modules/articles/index.js'
import { findActorBySession, type Actor } from '../../../modules/auth/index.js'
import { AppError } from '../../../platform/app-error.js'
import {
  ArticlePage,
  LATEST_STORIES,
  NEXT_STORIES,
  renderStoryLists,
} from '../../../views/pages/article-page.js'
import type { AppDeps } from '../../app-deps.js'
import { SESSION_COOKIE } from '../../plugins/auth.js'
import { allowFramingBySameOrigin } from '../../plugins/security-headers.js'
import { HeroSchema } from '../api/schemas.js'
import { asReadersSeeIt } from '../../reader-story.js'
import { renderDocument, type ChromeLoader } from './render.js'

const PreviewSchema = Type.Object(
  {
    headline: Type.String({ maxLength: 200 }),
    keyPoints: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 6 }),
    bodyHtml: Type.String({ maxLength: 200_000 }),
    section: Type.String({ maxLength: 80 }),
    topics: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 30 }),
    byline: Type.String({ maxLength: 200 }),
    sourceCredit: Type.String({ maxLength: 120 }),
    breaking: Type.Boolean(),
    dateline: Type.String({ maxLength: 100 }),
    language: Type.String({ maxLength: 35 }),
    hero: Type.Union([HeroSchema, Type.Null()]),
    authorIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 10 })),
  },
  { additionalProperties: false },
)
type PreviewBody = Static<typeof PreviewSchema>

const PREVIEW_PATH = '/newsroom/preview/:id'
// The unsaved body goes as one form field: percent-encoding makes a 200,000-character story
// in a non-Latin script up to nine times as many bytes.
const PREVIEW_BODY_LIMIT = 4 * 1024 * 1024

/**
 * The newsroom's preview: the reader site's own article page for a story as saved (GET)
 * or with the editor's unsaved fields (POST, a form aimed at an iframe, carrying the
 * session's CSRF token). Staff only, by the newsroom session; noindex; never cached, not
 * even by the page cache; and, alone among pages, it may be framed by our own origin.
 */
export async function registerPreviewRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  loadChrome: ChromeLoader,
): Promise<void> {
  await app.register(fastifyFormbody, { bodyLimit: PREVIEW_BODY_LIMIT })
  const site = deps.config.site

  const staffFor = async (request: FastifyRequest): Promise<Actor> => {
    const sessionId = request.cookies[SESSION_COOKIE]
    const actor = sessionId ? await findActorBySession(deps.auth, sessionId) : undefined
    if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in to the newsroom to preview stories')
    return actor
  }

  const savedStory = async (actor: Actor, id: number): Promise<ArticleView> => {
    const article = Number.isSafeInteger(id) && id > 0 ? await findArticleById(deps.db, id) : undefined
    if (!article) throw new AppError('NOT_FOUND', `No article ${id}`)
    assertCanView(actor, article)
    return toArticleView(deps.db, article)
  }

  const render = async (reply: FastifyReply, story: ArticleView) => {
    const article = await asReadersSeeIt(deps.db, story)
    const [chrome, sectionStories, newest] = await Promise.all([
      loadChrome(),
      listPublished(deps.db, {
        sectionId: article.sectionId,
        limit: NEXT_STORIES,
        offset: 0,
        excludeIds: [article.id],
      }),
      listPublished(deps.db, { limit: LATEST_STORIES, offset: 0, excludeIds: [article.id] }),
    ])
    const now = deps.clock.now()
    return reply
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex, nofollow')
      .type('text/html; charset=utf-8')
      .send(
        renderDocument(
          ArticlePage({
            chrome,
            article,
            canonicalUrl: `${site.publicUrl}${canonicalPath(article, article.section.slug)}`,
            shortUrl: `${site.shortUrlBase}/s/${article.shortCode}`,
            lists: renderStoryLists({
              sectionName: article.section.name,
              nextStories: sectionStories,
              latest: newest,
              now,
            }),
            now,
            noindex: true,
          }),
        ),
      )
  }

  // Set first, so an error page (signed out, not found) shows inside the newsroom's frame too.
  app.addHook('onRequest', async (_request, reply) => {
    allowFramingBySameOrigin(reply)
    reply.header('cache-control', 'no-store')
  })

  app.get<{ Params: { id: string } }>(PREVIEW_PATH, async (request, reply) => {
    const actor = await staffFor(request)
    return render(reply, await savedStory(actor, Number(request.params.id)))
  })

  app.post<{ Params: { id: string }; Body: Record<string, string | undefined> | undefined }>(
    PREVIEW_PATH,
    { bodyLimit: PREVIEW_BODY_LIMIT },
    async (request, reply) => {
      const actor = await staffFor(request)
      await new Promise<void>((resolve, reject) =>
        app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve())),
      )
      const saved = await savedStory(actor, Number(request.params.id))
      const draft = parseDraft(request.body?.['draft'])
      return render(reply, await previewArticleView(deps.db, saved, draft))
    },
  )
}

/** The form's `draft` field: the editor's fields as JSON, every bad one named. */
function parseDraft(text: string | undefined): PreviewBody {
  let value: unknown
  try {
    value = JSON.parse(text ?? '')
  } catch {
    throw new AppError('INVALID_INPUT', 'draft: must be the story fields as JSON', {
      details: { problems: [{ field: 'draft', message: 'must be the story fields as JSON' }] },
    })
  }
  if (Value.Check(PreviewSchema, value)) return value
  const problems = [...Value.Errors(PreviewSchema, value)].map((error) => ({
    field: error.path.replace(/^\//, '') || 'draft',
    message: error.message,
  }))
  throw new AppError('INVALID_INPUT', problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
    details: { problems },
  })
}
