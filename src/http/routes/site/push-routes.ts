import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import {
  parsePushSubscription,
  removePushSubscription,
  savePushSubscription,
} from '../../../modules/readers/index.js'
import { AppError } from '../../../platform/app-error.js'
import type { AppDeps } from '../../app-deps.js'
import type { AccountResponses } from './account-responses.js'

const ASSET_DIR = new URL('../../../../../src/views/assets/', import.meta.url)
const SERVICE_WORKER_JS = readFileSync(new URL('sw.js', ASSET_DIR), 'utf8')
const PUSH_JS = readFileSync(new URL('push.js', ASSET_DIR), 'utf8')

interface SubscriptionBody {
  endpoint?: unknown
  keys?: { p256dh?: unknown; auth?: unknown }
}

/**
 * Web Push for signed-in readers: the service worker, the account page's switch, and
 * the two JSON calls it makes (CSRF token in x-csrf-token, like every cookie write).
 */
export function registerPushRoutes(app: FastifyInstance, deps: AppDeps, answer: AccountResponses): void {
  // From the site root, so its scope may be the whole site; revalidated on every load so
  // a fixed worker reaches browsers at once. It has no fetch handler: scope gives it nothing but pushes.
  app.get('/sw.js', async (_request, reply) =>
    reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(SERVICE_WORKER_JS),
  )

  app.get('/assets/push.js', async (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=3600')
      .type('text/javascript; charset=utf-8')
      .send(PUSH_JS),
  )

  app.post<{ Body: SubscriptionBody | undefined }>('/account/push/subscriptions', async (request, reply) => {
    if (!request.reader) throw new AppError('UNAUTHENTICATED', 'Sign in to turn on push notifications')
    await answer.csrf(request, reply)
    const body = request.body ?? {}
    const target = parsePushSubscription(
      { endpoint: body.endpoint, p256dh: body.keys?.p256dh, auth: body.keys?.auth },
      { allowHttp: deps.readers.allowHttpPushEndpoints },
    )
    await savePushSubscription(deps.readers, request.reader.id, target)
    return reply.code(201).header('cache-control', 'no-store').send({ subscribed: true })
  })

  app.post<{ Body: { endpoint?: unknown } | undefined }>(
    '/account/push/unsubscribe',
    async (request, reply) => {
      if (!request.reader) throw new AppError('UNAUTHENTICATED', 'Sign in to turn off push notifications')
      await answer.csrf(request, reply)
      const endpoint = request.body?.endpoint
      if (typeof endpoint !== 'string' || endpoint.length > 2000)
        throw new AppError('INVALID_INPUT', 'endpoint: must be the subscription’s endpoint URL')
      const removed = await removePushSubscription(deps.db, request.reader.id, endpoint)
      return reply.header('cache-control', 'no-store').send({ subscribed: false, removed })
    },
  )
}
