import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { VNode } from 'preact'
import { followKey, type FollowTarget, type Reader } from '../../../modules/readers/index.js'
import type { SiteChrome } from '../../../views/layouts/layout.js'
import type { AppDeps } from '../../app-deps.js'
import { readerChromeFor } from '../../plugins/reader-session.js'
import { renderDocument, type ChromeLoader } from './render.js'

export type ReaderPageChrome = SiteChrome & { reader: NonNullable<SiteChrome['reader']> }

/** How the account routes answer: private pages, redirects to sign-in, CSRF checks. */
export interface AccountResponses {
  /** A page that is the reader's own: `private, no-store`. */
  send: (reply: FastifyReply, page: (chrome: SiteChrome) => VNode, status?: number) => Promise<FastifyReply>
  /** A page for the signed-in reader, with their bell and a CSRF token. */
  readerPage: (
    request: FastifyRequest,
    reply: FastifyReply,
    page: (chrome: ReaderPageChrome) => VNode,
  ) => Promise<FastifyReply>
  signInUrl: (returnTo: string | undefined, follow?: FollowTarget) => string
  /** The signed-in reader, or undefined after answering with a redirect to sign-in that comes back. */
  requireReader: (request: FastifyRequest, reply: FastifyReply, returnTo: string) => Reader | undefined
  /** Rejects with FORBIDDEN unless the request carries this browser's CSRF token. */
  csrf: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
}

export function accountResponses(
  app: FastifyInstance,
  deps: AppDeps,
  loadChrome: ChromeLoader,
): AccountResponses {
  const readers = deps.readers

  async function send(reply: FastifyReply, page: (chrome: SiteChrome) => VNode, status = 200) {
    const chrome = await loadChrome()
    return reply
      .code(status)
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(renderDocument(page(chrome)))
  }

  async function readerPage(
    request: FastifyRequest,
    reply: FastifyReply,
    page: (chrome: ReaderPageChrome) => VNode,
  ) {
    const reader = await readerChromeFor(readers, request, reply)
    if (!reader) throw new Error('readerPage needs a signed-in reader')
    return send(reply, (chrome) => page({ ...chrome, reader }))
  }

  function signInUrl(returnTo: string | undefined, follow?: FollowTarget): string {
    const query = new URLSearchParams()
    if (follow) query.set('follow', followKey(follow))
    if (returnTo) query.set('return', returnTo)
    const text = query.toString()
    return text ? `/account/sign-in?${text}` : '/account/sign-in'
  }

  function requireReader(request: FastifyRequest, reply: FastifyReply, returnTo: string): Reader | undefined {
    if (request.reader) return request.reader
    void reply.code(303).header('location', signInUrl(returnTo)).send()
    return undefined
  }

  const csrf = (request: FastifyRequest, reply: FastifyReply) =>
    new Promise<void>((resolve, reject) =>
      app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve())),
    )

  return { send, readerPage, signInUrl, requireReader, csrf }
}
