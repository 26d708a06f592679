import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { endSession, SESSION_LIFETIME_MS, signIn } from '../../../modules/auth/index.js'
import type { AppDeps } from '../../app-deps.js'
import { SESSION_COOKIE } from '../../plugins/auth.js'
import { LoginSchema, UserSchema } from './schemas.js'
import { userJson } from './user-json.js'

const SessionSchema = Type.Object({ user: Type.Union([UserSchema, Type.Null()]), csrfToken: Type.String() })

/** Sign-in for the newsroom app: a session cookie (HttpOnly, SameSite=Lax) and a CSRF token for writes. */
export function registerSessionApi(app: FastifyInstance, deps: AppDeps): void {
  const cookie = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.http.secureCookies,
  }

  app.get(
    '/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Who is signed in, and a CSRF token for writes',
        response: { 200: SessionSchema },
      },
    },
    async (request, reply) => {
      const user = request.actor?.user
      return {
        user: user ? userJson(user) : null,
        csrfToken: reply.generateCsrf(),
      }
    },
  )

  app.post<{ Body: { email: string; password: string } }>(
    '/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign in',
        body: LoginSchema,
        response: { 200: SessionSchema, 401: { $ref: 'Error#' }, 429: { $ref: 'Error#' } },
      },
      // Login must carry the CSRF token from GET /session too: no signing people in from another site.
      onRequest: (request, reply, done) => app.csrfProtection(request, reply, done),
    },
    async (request, reply) => {
      // Failed sign-ins are limited per account and per client address (429 with Retry-After).
      const { user, sessionId } = await signIn(deps.auth, { ...request.body, address: request.ip })
      reply.setCookie(SESSION_COOKIE, sessionId, { ...cookie, maxAge: SESSION_LIFETIME_MS / 1000 })
      return {
        user: userJson(user),
        csrfToken: reply.generateCsrf(),
      }
    },
  )

  app.delete(
    '/session',
    { schema: { tags: ['session'], summary: 'Sign out', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const sessionId = request.cookies[SESSION_COOKIE]
      if (sessionId) await endSession(deps.auth, sessionId)
      reply.clearCookie(SESSION_COOKIE, cookie)
      return reply.code(204).send()
    },
  )
}
