import { AppError, assertNoProblems } from '../../platform/app-error.js'
import { hashSecret, randomSecret } from '../../platform/ids.js'
import { composeSignInEmail } from './emails.js'
import { addFollow, describeTarget } from './follows.js'
import { MailDeliveryError } from './ports.js'
import {
  normaliseEmail,
  READER_SESSION_LIFETIME_MS,
  safeReturnPath,
  SIGN_IN_LINK_LIFETIME_MS,
  SIGN_IN_LINKS_PER_HOUR,
  type FollowTarget,
  type Reader,
} from './reader.js'
import { inTransaction } from '../../platform/database.js'
import type { ReaderDeps } from './reader-deps.js'
import {
  consumeLoginToken,
  countRecentLoginTokens,
  deleteReaderSession,
  findOrCreateReader,
  findReaderBySessionHash,
  findUsableLoginToken,
  insertLoginToken,
  insertReaderSession,
} from './reader-queries.js'

export interface RequestSignInInput {
  email: string
  /** Where to send the reader once signed in: a path on this site. */
  returnTo?: string | undefined
  /** A follow to complete once signed in (the reader pressed Follow while signed out). */
  follow?: FollowTarget | undefined
}

/**
 * Emails a one-time sign-in link. Signing in and signing up are the same step, and
 * every valid address gets the same answer, so the form tells no one who has an
 * account. The email is sent now, not queued: the reader is waiting for it, and a
 * queued job would have to keep the link's secret at rest in the job table.
 */
export async function requestSignInLink(deps: ReaderDeps, input: RequestSignInInput): Promise<void> {
  const email = normaliseEmail(input.email)
  assertNoProblems(email ? [] : [{ field: 'email', message: 'is not an email address' }])
  if (!email) return
  const now = deps.clock.now()
  const recent = await countRecentLoginTokens(deps.db, email, new Date(now.getTime() - 60 * 60 * 1000))
  if (recent >= SIGN_IN_LINKS_PER_HOUR) {
    deps.logger.info({ recent }, 'sign-in link not sent: too many for one address this hour')
    return
  }
  const target = input.follow && (await describeTarget(deps.db, input.follow))
  const follow = target ? input.follow : undefined
  const token = randomSecret()
  await insertLoginToken(deps.db, {
    tokenHash: hashSecret(token),
    email,
    returnTo: safeReturnPath(input.returnTo),
    follow,
    now,
    expiresAt: new Date(now.getTime() + SIGN_IN_LINK_LIFETIME_MS),
  })
  const link = `${deps.site.publicUrl}/account/verify?token=${encodeURIComponent(token)}`
  try {
    await deps.mailer.send(composeSignInEmail({ site: deps.site, to: email, link, followName: target?.name }))
  } catch (error) {
    const permanent = error instanceof MailDeliveryError && error.permanent
    throw new AppError(
      permanent ? 'INVALID_INPUT' : 'MAIL_UNAVAILABLE',
      permanent
        ? 'email: the mail server refused this address'
        : 'The sign-in email could not be sent just now; please try again in a minute',
      { cause: error },
    )
  }
}

export interface SignedIn {
  reader: Reader
  sessionId: string
  expiresAt: Date
  /** The local path the reader asked to return to, if any. */
  returnTo: string | undefined
  /** The follow the link completed, if it carried one. */
  followed: FollowTarget | undefined
}

/**
 * Whom a sign-in link would sign in, without using it up. Opening the link shows a
 * button that completes the sign-in: mail scanners that fetch every link in a message
 * must not spend the reader's one-time link before the reader gets to it.
 */
export async function peekSignInLink(
  deps: ReaderDeps,
  token: string,
): Promise<{ email: string } | undefined> {
  if (token.length < 20 || token.length > 100) return undefined
  return findUsableLoginToken(deps.db, hashSecret(token), deps.clock.now())
}

/**
 * Uses a sign-in link: creates the reader on first use, completes the follow it carried
 * and starts a session, all in one transaction. An unknown, expired or used link gives
 * undefined; a link works once.
 */
export async function completeSignIn(deps: ReaderDeps, token: string): Promise<SignedIn | undefined> {
  if (token.length < 20 || token.length > 100) return undefined
  const now = deps.clock.now()
  return inTransaction(deps.db, async (trx) => {
    const link = await consumeLoginToken(trx, hashSecret(token), now)
    if (!link) return undefined
    const reader = await findOrCreateReader(trx, link.email, now)
    let followed: FollowTarget | undefined
    if (link.follow && (await describeTarget(trx, link.follow))) {
      await addFollow(trx, reader.id, link.follow, now)
      followed = link.follow
    }
    const sessionId = randomSecret()
    const expiresAt = new Date(now.getTime() + READER_SESSION_LIFETIME_MS)
    await insertReaderSession(trx, { idHash: hashSecret(sessionId), readerId: reader.id, now, expiresAt })
    return { reader, sessionId, expiresAt, returnTo: safeReturnPath(link.returnTo ?? undefined), followed }
  })
}

export async function findReaderBySession(deps: ReaderDeps, sessionId: string): Promise<Reader | undefined> {
  if (sessionId.length < 20 || sessionId.length > 100) return undefined
  return findReaderBySessionHash(deps.db, hashSecret(sessionId), deps.clock.now())
}

export async function endReaderSession(deps: ReaderDeps, sessionId: string): Promise<void> {
  await deleteReaderSession(deps.db, hashSecret(sessionId))
}
