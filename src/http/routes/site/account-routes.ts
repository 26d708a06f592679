import fastifyFormbody from '@fastify/formbody'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  countPushSubscriptions,
  deleteReader,
  endReaderSession,
  exportReaderData,
  findReaderByUnsubscribeToken,
  followTarget,
  isEmailFrequency,
  listFollows,
  listNotifications,
  markNotificationsRead,
  parseFollowKey,
  safeReturnPath,
  setEmailFrequency,
  unfollowTarget,
  unsubscribeByToken,
} from '../../../modules/readers/index.js'
import { AppError } from '../../../platform/app-error.js'
import type { SiteChrome } from '../../../views/layouts/layout.js'
import {
  AccountPage,
  MessagePage,
  NotificationsPage,
  UnsubscribePage,
} from '../../../views/pages/account-pages.js'
import type { AppDeps } from '../../app-deps.js'
import { READER_COOKIE, readerCookieOptions } from '../../plugins/reader-session.js'
import type { ChromeLoader } from './render.js'
import { accountResponses } from './account-responses.js'
import { registerPushRoutes } from './push-routes.js'
import { registerSignInRoutes } from './sign-in-routes.js'

type Form = Record<string, string | undefined>

/**
 * The reader's account: sign-in by emailed link (sign-in-routes.ts), follows,
 * notifications, settings, export and deletion. Every page here is the reader's own (`private, no-store`);
 * every form carries a CSRF token, except the unsubscribe link, whose token is its key.
 */
export async function registerAccountRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  chrome: ChromeLoader,
): Promise<void> {
  // HTML forms post application/x-www-form-urlencoded; only these routes take it.
  await app.register(fastifyFormbody, { bodyLimit: 16 * 1024 })
  const readers = deps.readers
  const cookie = readerCookieOptions(deps.config.http.secureCookies)
  const answer = accountResponses(app, deps, chrome)
  const { send, readerPage, signInUrl, requireReader, csrf } = answer
  registerSignInRoutes(app, deps, answer)
  registerPushRoutes(app, deps, answer)

  app.post<{ Body: Form }>('/account/follows', async (request, reply) => {
    const body = request.body ?? {}
    const target = parseFollowKey(body['target'])
    const action = body['action'] === 'unfollow' ? 'unfollow' : 'follow'
    const returnTo = safeReturnPath(body['return'])
    const json = wantsJson(request)
    if (!target) throw new AppError('INVALID_INPUT', 'target: must be topic:ID, author:ID or section:ID')
    if (!request.reader) {
      // Nothing changes for a signed-out reader, so no token is needed: sign in first, follow after.
      const url = signInUrl(returnTo, action === 'follow' ? target : undefined)
      if (json) {
        return reply.code(401).send({ code: 'UNAUTHENTICATED', message: 'Sign in to follow', signInUrl: url })
      }
      return reply.code(303).header('location', url).send()
    }
    if (!json && body['_csrf'] === undefined) {
      // A form from a page rendered before this reader signed in carries no token: ask again, with one.
      return reply
        .code(303)
        .header('location', signInUrl(returnTo, action === 'follow' ? target : undefined))
        .send()
    }
    await csrf(request, reply)
    if (action === 'follow') await followTarget(readers, request.reader.id, target)
    else await unfollowTarget(readers, request.reader.id, target)
    if (json) return reply.header('cache-control', 'no-store').send({ following: action === 'follow' })
    return reply
      .code(303)
      .header('location', returnTo ?? '/account')
      .send()
  })

  app.get<{ Querystring: Form }>('/account', async (request, reply) => {
    const reader = requireReader(request, reply, '/account')
    if (!reader) return reply
    const [follows, pushBrowsers] = await Promise.all([
      listFollows(deps.db, reader.id),
      countPushSubscriptions(deps.db, reader.id),
    ])
    const notice = request.query['saved'] === '1' ? 'Your settings are saved.' : undefined
    const push = readers.push && { publicKey: readers.push.publicKey, browsers: pushBrowsers }
    return readerPage(request, reply, (chrome) =>
      AccountPage({
        chrome,
        email: reader.email,
        follows,
        emailFrequency: reader.emailFrequency,
        notice,
        push,
      }),
    )
  })

  app.post<{ Body: Form }>('/account/settings', async (request, reply) => {
    const reader = requireReader(request, reply, '/account')
    if (!reader) return reply
    await csrf(request, reply)
    const frequency = request.body?.['emailFrequency'] ?? ''
    if (!isEmailFrequency(frequency))
      throw new AppError('INVALID_INPUT', 'emailFrequency: must be immediately, daily or off')
    await setEmailFrequency(readers, reader.id, frequency)
    return reply.code(303).header('location', '/account?saved=1').send()
  })

  app.get('/account/notifications', async (request, reply) => {
    const reader = requireReader(request, reply, '/account/notifications')
    if (!reader) return reply
    // Listed as they were, then marked read: this view shows which are new, the next bell shows none.
    const notifications = await listNotifications(deps.db, reader.id)
    await markNotificationsRead(deps.db, reader.id, deps.clock.now())
    return readerPage(request, reply, (chrome) =>
      NotificationsPage({ chrome, notifications, now: deps.clock.now() }),
    )
  })

  app.get('/account/export', async (request, reply) => {
    const reader = requireReader(request, reply, '/account')
    if (!reader) return reply
    const data = await exportReaderData(readers, reader.id)
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', 'attachment; filename="dateline-account.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2))
  })

  app.post('/account/sign-out', async (request, reply) => {
    const sessionId = request.cookies[READER_COOKIE]
    if (request.reader && sessionId) {
      await csrf(request, reply)
      await endReaderSession(readers, sessionId)
    }
    reply.clearCookie(READER_COOKIE, cookie)
    return reply.code(303).header('location', '/').send()
  })

  app.post<{ Body: Form }>('/account/delete', async (request, reply) => {
    const reader = requireReader(request, reply, '/account')
    if (!reader) return reply
    await csrf(request, reply)
    if (request.body?.['confirm'] !== 'yes')
      throw new AppError('INVALID_INPUT', 'confirm: tick the box to delete your account')
    await deleteReader(readers, reader.id)
    reply.clearCookie(READER_COOKIE, cookie)
    return send(reply, (chrome) =>
      MessagePage({
        chrome,
        title: 'Your account has been deleted',
        message: 'Your follows, notifications and sign-in sessions are gone. Thank you for reading.',
        link: { href: '/', text: 'Go to the front page' },
      }),
    )
  })

  app.get<{ Params: { token: string } }>('/account/unsubscribe/:token', async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer')
    const reader = await findReaderByUnsubscribeToken(deps.db, request.params.token)
    if (!reader) return send(reply, (chrome) => unknownLink(chrome), 404)
    // Link scanners fetch every URL in an email; only the POST below unsubscribes.
    return send(reply, (chrome) =>
      UnsubscribePage({ chrome, action: `/account/unsubscribe/${request.params.token}`, done: false }),
    )
  })

  // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" here. The token in
  // the path is the authority; another site cannot know it, so no CSRF token is needed.
  app.post<{ Params: { token: string } }>('/account/unsubscribe/:token', async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer')
    const done = await unsubscribeByToken(readers, request.params.token)
    if (!done) return send(reply, (chrome) => unknownLink(chrome), 404)
    return send(reply, (chrome) => UnsubscribePage({ chrome, action: '', done: true }))
  })
}

function unknownLink(chrome: SiteChrome) {
  return MessagePage({
    chrome,
    title: 'This link is not valid',
    message: 'It may have been copied incompletely, or the account it belonged to was deleted.',
  })
}

/** site.js asks for JSON; a plain form post takes a redirect. */
export function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/json')
}
