import fastifyCookie from '@fastify/cookie'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import Fastify, { type FastifyInstance } from 'fastify'
import path from 'node:path'
import type { AppDeps } from './app-deps.js'
import { sendError, toErrorResponse } from './error-handler.js'
import { registerAuth } from './plugins/auth.js'
import { registerSecurityHeaders } from './plugins/security-headers.js'
import { registerArticlesApi } from './routes/api/articles-api.js'
import { registerNewsroomApi } from './routes/api/newsroom-api.js'
import { ErrorSchema } from './routes/api/schemas.js'
import { registerSessionApi } from './routes/api/session-api.js'
import { renderDocument, SITE_CSS, loadChrome } from './routes/site/render.js'
import { registerSiteRoutes } from './routes/site/site-routes.js'
import { ErrorPage } from '../views/pages/front-page.js'

export interface BuildAppOptions {
  logger?: boolean
}

/** Builds the whole HTTP app; it never listens (main/server.ts does). */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: deps.config.http.logLevel },
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    return503OnClosing: true,
  })

  await app.register(fastifyCookie)
  await app.register(fastifyCsrf, {
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: deps.config.http.secureCookies },
  })
  await app.register(fastifyRateLimit, { global: false })
  app.addSchema(ErrorSchema)
  registerSecurityHeaders(app, SITE_CSS)
  registerAuth(app, deps.auth)

  app.setErrorHandler(async (error, request, reply) => {
    const { status, body } = toErrorResponse(error, request)
    if (request.url.startsWith('/api/')) return sendError(reply, status, body)
    const chrome = await loadChrome(deps.db, deps.config.site)
    const pageStatus = status === 404 || status === 410 ? status : 500
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        renderDocument(
          ErrorPage({
            chrome,
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
      registerSessionApi(api, deps)
      registerArticlesApi(api, deps)
      registerNewsroomApi(api, deps)
      api.get('/openapi.json', { schema: { hide: true } }, async () => api.swagger())
    },
    { prefix: '/api/v1' },
  )

  await app.register(fastifyStatic, {
    root: path.join(deps.config.dataDir, 'media'),
    prefix: '/media/',
    decorateReply: false,
    immutable: true,
    maxAge: '365d',
    index: false,
    dotfiles: 'deny',
  })
  app.get('/health', async () => ({ ok: true }))
  registerSiteRoutes(app, deps)
  return app
}
