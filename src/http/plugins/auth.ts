import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  can,
  findActorBySession,
  findActorByToken,
  type Actor,
  type AuthDeps,
  type Permission,
  type User,
} from '../../modules/auth/index.js'
import { AppError } from '../../platform/app-error.js'

export const SESSION_COOKIE = 'dateline_session'
export const INGEST_PATH = '/api/v1/ingest'

declare module 'fastify' {
  interface FastifyRequest {
    actor: (Actor & { user: User }) | null
  }
}

/**
 * Resolves who is calling: a Bearer API token (scripts) or the session cookie (the
 * newsroom app). Cookie-authenticated state changes must carry a CSRF token; token
 * calls need none, since a browser never attaches them on its own.
 */
export function registerAuth(app: FastifyInstance, auth: AuthDeps): void {
  app.decorateRequest('actor', null)
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return
    // The push endpoint authenticates agencies by their source token, not staff accounts.
    if (request.url === INGEST_PATH || request.url.startsWith(`${INGEST_PATH}?`)) return
    const header = request.headers.authorization
    if (header?.startsWith('Bearer ')) {
      request.actor = (await findActorByToken(auth, header.slice(7).trim())) ?? null
      if (!request.actor) throw new AppError('UNAUTHENTICATED', 'The API token is invalid or revoked')
      return
    }
    const sessionId = request.cookies[SESSION_COOKIE]
    if (sessionId) request.actor = (await findActorBySession(auth, sessionId)) ?? null
    if (request.actor && isUnsafe(request.method)) await verifyCsrf(app, request, reply)
  })
}

function isUnsafe(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS'
}

function verifyCsrf(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  return new Promise((resolve, reject) => {
    app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()))
  })
}

export function requireActor(request: FastifyRequest, permission?: Permission): Actor {
  const actor = request.actor
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token')
  if (permission && !can(actor.role, permission))
    throw new AppError('FORBIDDEN', `Your role (${actor.role}) may not do this`)
  return actor
}
