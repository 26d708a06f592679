import type { FastifyInstance, FastifyReply } from 'fastify'
import {
  completeSignIn,
  describeTarget,
  followKey,
  parseFollowKey,
  peekSignInLink,
  READER_SESSION_LIFETIME_MS,
  requestSignInLink,
  safeReturnPath,
  SIGN_IN_LINK_LIFETIME_MS,
} from '../../../modules/readers/index.js'
import { isAppError } from '../../../platform/app-error.js'
import {
  FollowConfirmPage,
  MessagePage,
  SignInConfirmPage,
  SignInPage,
  SignInSentPage,
} from '../../../views/pages/account-pages.js'
import type { AppDeps } from '../../app-deps.js'
import { READER_COOKIE, readerCookieOptions } from '../../plugins/reader-session.js'
import type { AccountResponses } from './account-responses.js'

type Form = Record<string, string | undefined>

/**
 * Sign-in by emailed link: the form, the "check your email" answer, and the link itself,
 * which sets the reader cookie and returns the reader where they were, follow done.
 */
export function registerSignInRoutes(app: FastifyInstance, deps: AppDeps, answer: AccountResponses): void {
  const readers = deps.readers
  const cookie = readerCookieOptions(deps.config.http.secureCookies)
  const rate = deps.signInLinkRateLimit ?? { max: 10, windowMs: 15 * 60 * 1000 }
  const { send, readerPage } = answer

  app.get<{ Querystring: Form }>('/account/sign-in', async (request, reply) => {
    const returnTo = safeReturnPath(request.query['return'])
    const follow = parseFollowKey(request.query['follow'])
    const followName = follow && (await describeTarget(deps.db, follow))?.name
    if (request.reader) {
      // Already signed in (in another tab, say): a GET changes nothing, so the follow is confirmed by a form.
      if (!follow || !followName)
        return reply
          .code(303)
          .header('location', returnTo ?? '/account')
          .send()
      return readerPage(request, reply, (chrome) =>
        FollowConfirmPage({ chrome, target: followKey(follow), name: followName, returnTo }),
      )
    }
    return send(reply, (chrome) =>
      SignInPage({
        chrome,
        csrfToken: reply.generateCsrf(),
        returnTo,
        follow: follow && followName ? { key: followKey(follow), name: followName } : undefined,
      }),
    )
  })

  app.post<{ Body: Form }>(
    '/account/sign-in',
    {
      preHandler: (request, reply, done) => app.csrfProtection(request, reply, done),
      config: { rateLimit: { max: rate.max, timeWindow: rate.windowMs } },
    },
    async (request, reply) => {
      const body = request.body ?? {}
      const email = (body['email'] ?? '').slice(0, 300)
      const returnTo = safeReturnPath(body['return'])
      const follow = parseFollowKey(body['follow'])
      try {
        await requestSignInLink(readers, { email, returnTo, follow })
      } catch (error) {
        // The reader stays on the form with what they typed, and a sentence saying what to do.
        if (!isAppError(error) || (error.code !== 'INVALID_INPUT' && error.code !== 'MAIL_UNAVAILABLE'))
          throw error
        request.log.info({ code: error.code, err: error.cause }, 'sign-in link not sent')
        const unavailable = error.code === 'MAIL_UNAVAILABLE'
        const followName = follow && (await describeTarget(deps.db, follow))?.name
        return send(
          reply,
          (chrome) =>
            SignInPage({
              chrome,
              csrfToken: reply.generateCsrf(),
              email,
              returnTo,
              follow: follow && followName ? { key: followKey(follow), name: followName } : undefined,
              error: unavailable
                ? 'We could not send the email just now. Please try again in a minute.'
                : 'Please enter a valid email address.',
            }),
          unavailable ? 503 : 400,
        )
      }
      return send(reply, (chrome) =>
        SignInSentPage({
          chrome,
          email: email.trim().toLowerCase(),
          minutes: SIGN_IN_LINK_LIFETIME_MS / 60_000,
        }),
      )
    },
  )

  const expiredLink = (reply: FastifyReply) =>
    send(
      reply,
      (chrome) =>
        MessagePage({
          chrome,
          title: 'This sign-in link has expired',
          message: 'Sign-in links work once, within 15 minutes. Ask for a new one and use it straight away.',
          link: { href: '/account/sign-in', text: 'Email me a new link' },
        }),
      400,
    )

  // Opening the link only asks; the POST below signs in. The token must not travel on in
  // a Referer header, and no cache may keep the page that carries it.
  app.get<{ Querystring: Form }>('/account/verify', async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store')
    const token = (request.query['token'] ?? '').slice(0, 200)
    const link = await peekSignInLink(readers, token)
    if (!link) return expiredLink(reply)
    return send(reply, (chrome) =>
      SignInConfirmPage({ chrome, csrfToken: reply.generateCsrf(), token, email: link.email }),
    )
  })

  app.post<{ Body: Form }>(
    '/account/verify',
    { preHandler: (request, reply, done) => app.csrfProtection(request, reply, done) },
    async (request, reply) => {
      reply.header('referrer-policy', 'no-referrer')
      const signedIn = await completeSignIn(readers, request.body?.['token'] ?? '')
      if (!signedIn) return expiredLink(reply)
      reply.setCookie(READER_COOKIE, signedIn.sessionId, {
        ...cookie,
        maxAge: READER_SESSION_LIFETIME_MS / 1000,
      })
      return reply
        .code(303)
        .header('cache-control', 'no-store')
        .header('location', signedIn.returnTo ?? '/account')
        .send()
    },
  )
}
