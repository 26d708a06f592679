import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifySwagger from '@fastify/swagger'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import Fastify, {
  type FastifySchemaCompiler,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify'
import type { AppDeps } from './app-deps.js'
import { sendError, toErrorResponse } from './error-handler.js'
import { registerLiveRoutes } from './live/live-routes.js'
import { registerAuth } from './plugins/auth.js'
import { registerNewsroomApp } from './plugins/newsroom-app.js'
import { PageCache } from './plugins/page-cache.js'
import { databaseRateLimitStore } from './plugins/rate-limit-store.js'
import { registerReaderSession } from './plugins/reader-session.js'
import { registerSecurityHeaders, securityHeaders } from './plugins/security-headers.js'
import { registerArticlesApi } from './routes/api/articles-api.js'
import { registerDeskApi } from './routes/api/desk-api.js'
import { registerIngestApi } from './routes/api/ingest-api.js'
import { registerMediaApi } from './routes/api/media-api.js'
import { registerNewsroomApi } from './routes/api/newsroom-api.js'
import { registerWireReviewApi } from './routes/api/wire-review-api.js'
import { ErrorSchema } from './routes/api/schemas.js'
import { registerSessionApi } from './routes/api/session-api.js'
import { registerWireSourcesApi } from './routes/api/wire-sources-api.js'
import { registerAccountRoutes, wantsJson } from './routes/site/account-routes.js'
import { registerMediaFiles } from './routes/site/media-files.js'
import { renderDocument, SITE_CSS, sharedChrome } from './routes/site/render.js'
import { registerFeedRoutes } from './routes/site/feed-routes.js'
import { registerPreviewRoutes } from './routes/site/preview-routes.js'
import { registerSearchRoutes } from './routes/site/search-routes.js'
import { registerSiteRoutes } from './routes/site/site-routes.js'
import { ErrorPage } from '../views/pages/front-page.js'

/**
 * Query strings and path parameters arrive as text, so "?limit=5" is converted to a
 * number; JSON bodies are taken as sent, so a headline of 42 is refused, not stored as "42".
 */
function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false } as const
  const forBody = addFormats.default(new Ajv.default({ ...options, coerceTypes: false }))
  const forText = addFormats.default(new Ajv.default({ ...options, coerceTypes: 'array' }))
  return ({ schema, httpPart }) => (httpPart === 'body' ? forBody : forText).compile(schema as object)
}

export interface BuildAppOptions {
  logger?: boolean
}

/** Builds the whole HTTP app; it never listens (main/server.ts does). */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: deps.config.http.logLevel },
    bodyLimit: 1024 * 1024,
    // request.ip, which sign-in limits count, comes from X-Forwarded-For only when the
    // request arrives from a proxy named in TRUST_PROXY; otherwise it is the peer's address.
    trustProxy: deps.config.http.trustProxy.length > 0 ? [...deps.config.http.trustProxy] : false,
    return503OnClosing: true,
    // Bad percent-encoding or an over-long path segment is answered before any route or
    // hook runs; without this Fastify sends its own JSON with none of our headers.
    frameworkErrors: (error, request, reply) => answerFrameworkError(deps, error, request, reply),
  })

  app.setValidatorCompiler(createValidatorCompiler())
  await app.register(fastifyCookie)
  await app.register(fastifyCsrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.config.http.secureCookies },
  })
  await app.register(fastifyRateLimit, { global: false, store: databaseRateLimitStore(deps.db) })
  app.addSchema(ErrorSchema)
  registerSecurityHeaders(app, SITE_CSS)
  registerAuth(app, deps.auth)
  registerReaderSession(app, deps.readers, deps.config.http.secureCookies)
  const pageCache = new PageCache(deps.pageCacheMs ?? 60_000)
  const chrome = sharedChrome(deps, pageCache)

  app.setErrorHandler(async (error, request, reply) => {
    const { status, body, headers } = toErrorResponse(error, request)
    if (headers) reply.headers(headers)
    if (request.url.startsWith('/api/') || wantsJson(request)) return sendError(reply, status, body)
    const pageChrome = await chrome()
    const pageStatus = status === 404 || status === 410 ? status : 500
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        renderDocument(
          ErrorPage({
            chrome: pageChrome,
            status: pageStatus,
            message: status >= 500 ? 'Please try again in a moment.' : body.message,
          }),
        ),
      )
  })

  await app.register(
    async (api) => {
      await api.register(fastifySwagger, {
        openapi: {
          openapi: '3.1.0',
          info: {
            title: 'Dateline API',
            version: '1.0.0',
            description: 'Stories, sections, topics and newsroom users.',
          },
          servers: [{ url: `${deps.config.site.publicUrl}/api/v1` }],
          components: {
            securitySchemes: {
              bearer: {
                type: 'http',
                scheme: 'bearer',
                description: 'An API token from `dateline token create`',
              },
              session: { type: 'apiKey', in: 'cookie', name: 'dateline_session' },
            },
          },
          security: [{ bearer: [] }, { session: [] }],
        },
      })
      // A change made through this API shows on this process's very next page view. The
      // event log clears the cache too, but on PostgreSQL its NOTIFY may arrive after that
      // view; other processes still learn of the change only through the log.
      api.addHook('onSend', async (request, reply, payload) => {
        if (isContentWrite(request.method, request.url, reply.statusCode)) pageCache.clear()
        return payload
      })
      registerSessionApi(api, deps)
      registerArticlesApi(api, deps)
      registerDeskApi(api, deps)
      registerNewsroomApi(api, deps)
      await registerIngestApi(api, deps)
      registerWireSourcesApi(api, deps)
      registerWireReviewApi(api, deps)
      await registerMediaApi(api, deps)
      api.get('/openapi.json', { schema: { hide: true } }, async () => api.swagger())
    },
    { prefix: '/api/v1' },
  )

  registerMediaFiles(app, deps.media.store)
  await registerNewsroomApp(app)
  app.get('/health', async () => ({ ok: true }))
  await app.register(async (account) => registerAccountRoutes(account, deps, chrome))
  await app.register(async (preview) => registerPreviewRoutes(preview, deps, chrome))
  registerLiveRoutes(app, deps)
  registerSiteRoutes(app, deps, pageCache, chrome)
  registerFeedRoutes(app, deps, pageCache)
  registerSearchRoutes(app, deps, chrome)
  return app
}

/** A successful API call that may have changed what readers see (signing in or out does not). */
function isContentWrite(method: string, url: string, status: number): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || status >= 400) return false
  return !url.startsWith('/api/v1/session')
}

function answerFrameworkError(
  deps: AppDeps,
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 400
  reply.headers(securityHeaders(SITE_CSS))
  if (request.url.startsWith('/api/')) {
    const message = status === 414 ? 'url: a path segment is too long' : 'url: not a valid address'
    void sendError(reply, status, { code: 'INVALID_INPUT', message })
    return
  }
  // No database read here: the page must render even when this is all that works.
  const chrome = {
    siteName: deps.config.site.name,
    publicUrl: deps.config.site.publicUrl,
    sections: [],
    css: SITE_CSS,
  }
  void reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(renderDocument(ErrorPage({ chrome, status: 404, message: 'There is no page at this address.' })))
}
