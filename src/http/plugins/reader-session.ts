import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  countUnread,
  findReaderBySession,
  listFollowKeys,
  type Reader,
  type ReaderDeps,
} from '../../modules/readers/index.js'
import type { ReaderChrome } from '../../views/layouts/layout.js'

/** The reader's session cookie; the newsroom's is dateline_session, and the two never mix. */
export const READER_COOKIE = 'dateline_reader'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in reader, on reader-site requests that carry a valid reader cookie. */
    reader: Reader | null
  }
}

/** HttpOnly, and SameSite=Lax so the cookie is sent when a reader arrives from their email. */
export function readerCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure }
}

/**
 * Resolves the reader cookie on reader-site requests. Requests without one cost
 * nothing, so the shared page cache stays as fast as before; a cookie that no longer
 * names a session is cleared, so that browser is served from the cache again.
 */
export function registerReaderSession(app: FastifyInstance, readers: ReaderDeps, secure: boolean): void {
  app.decorateRequest('reader', null)
  app.addHook('onRequest', async (request, reply) => {
    const sessionId = request.cookies[READER_COOKIE]
    if (!sessionId || !isReaderSiteUrl(request.url)) return
    request.reader = (await findReaderBySession(readers, sessionId)) ?? null
    if (!request.reader) reply.clearCookie(READER_COOKIE, readerCookieOptions(secure))
  })
}

/** Paths that never look at the reader: the API, files, the newsroom, live streams and the service worker. */
function isReaderSiteUrl(url: string): boolean {
  return !/^\/(api|assets|media|health|newsroom|live|sw\.js)(\/|$|\?)/.test(url)
}

/** The signed-in reader's part of a page: the bell count, what they follow, a CSRF token for forms. */
export async function readerChromeFor(
  readers: ReaderDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<ReaderChrome | undefined> {
  const reader = request.reader
  if (!reader) return undefined
  const [unread, follows] = await Promise.all([
    countUnread(readers.db, reader.id),
    listFollowKeys(readers.db, reader.id),
  ])
  return { unread, follows, csrfToken: reply.generateCsrf() }
}
