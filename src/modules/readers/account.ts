import { toDate, type Db } from '../../platform/database.js'
import { listFollows } from './follows.js'
import { DAILY_DIGEST_JOB } from './digest.js'
import { listNotifications, NEW_STORY_EMAIL_JOB, NEW_STORY_PUSH_JOB } from './notifications.js'
import type { EmailFrequency, Reader } from './reader.js'
import { inTransaction } from '../../platform/database.js'
import type { ReaderDeps } from './reader-deps.js'
import {
  findReaderById,
  findReaderByUnsubscribeToken as selectReaderByUnsubscribeToken,
} from './reader-queries.js'

/** Everything kept about a reader, as they may download it. */
export interface ReaderExport {
  exportedAt: string
  reader: { email: string; createdAt: string; emailFrequency: EmailFrequency }
  follows: { kind: string; name: string; url: string; since: string }[]
  notifications: { headline: string; url: string; createdAt: string; readAt: string | null }[]
  sessions: { createdAt: string; expiresAt: string }[]
  /** Browsers that get Web Push: the push service's host and when, not the secret endpoint path. */
  pushSubscriptions: { pushService: string; since: string }[]
}

export async function exportReaderData(
  deps: ReaderDeps,
  readerId: number,
): Promise<ReaderExport | undefined> {
  const reader = await findReaderById(deps.db, readerId)
  if (!reader) return undefined
  const base = deps.site.publicUrl
  const [follows, notifications, sessions, pushSubscriptions] = await Promise.all([
    listFollows(deps.db, readerId),
    listNotifications(deps.db, readerId, 10_000),
    deps.db
      .selectFrom('reader_session')
      .select(['created_at', 'expires_at'])
      .where('reader_id', '=', readerId)
      .orderBy('created_at')
      .execute(),
    deps.db
      .selectFrom('push_subscription')
      .select(['endpoint', 'created_at'])
      .where('reader_id', '=', readerId)
      .orderBy('created_at')
      .execute(),
  ])
  return {
    exportedAt: deps.clock.now().toISOString(),
    reader: {
      email: reader.email,
      createdAt: reader.createdAt.toISOString(),
      emailFrequency: reader.emailFrequency,
    },
    follows: follows.map((f) => ({
      kind: f.kind,
      name: f.name,
      url: `${base}${f.path}`,
      since: f.createdAt.toISOString(),
    })),
    notifications: notifications.map((n) => ({
      headline: n.headline,
      url: `${base}${n.path}`,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt?.toISOString() ?? null,
    })),
    sessions: sessions.map((s) => ({
      createdAt: toDate(s.created_at).toISOString(),
      expiresAt: toDate(s.expires_at).toISOString(),
    })),
    pushSubscriptions: pushSubscriptions.map((p) => ({
      pushService: URL.parse(p.endpoint)?.host ?? '',
      since: toDate(p.created_at).toISOString(),
    })),
  }
}

/**
 * Deletes the account and everything kept about it: sessions, follows, notifications,
 * unused sign-in links and the emails queued for it. Nothing of it is left behind.
 */
export async function deleteReader(deps: ReaderDeps, readerId: number): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const reader = await findReaderById(trx, readerId)
    if (!reader) return
    await trx.deleteFrom('reader_login_token').where('email', '=', reader.email).execute()
    await trx.deleteFrom('job').where('dedupe_key', 'like', `${NEW_STORY_EMAIL_JOB}:${readerId}:%`).execute()
    await trx.deleteFrom('job').where('dedupe_key', 'like', `${DAILY_DIGEST_JOB}:${readerId}:%`).execute()
    const subscriptions = await trx
      .selectFrom('push_subscription')
      .select('id')
      .where('reader_id', '=', readerId)
      .execute()
    for (const { id } of subscriptions)
      await trx.deleteFrom('job').where('dedupe_key', 'like', `${NEW_STORY_PUSH_JOB}:${id}:%`).execute()
    // Sessions, follows, notifications, push subscriptions and digests go with the reader (ON DELETE CASCADE).
    await trx.deleteFrom('reader').where('id', '=', readerId).execute()
  })
}

export async function setEmailFrequency(
  deps: ReaderDeps,
  readerId: number,
  frequency: EmailFrequency,
): Promise<void> {
  await deps.db.updateTable('reader').set({ email_frequency: frequency }).where('id', '=', readerId).execute()
}

export async function findReaderByUnsubscribeToken(db: Db, token: string): Promise<Reader | undefined> {
  if (token.length < 20 || token.length > 100) return undefined
  return selectReaderByUnsubscribeToken(db, token)
}

/** One-click unsubscribe from new-story email; false when the link is unknown. */
export async function unsubscribeByToken(deps: ReaderDeps, token: string): Promise<boolean> {
  const reader = await findReaderByUnsubscribeToken(deps.db, token)
  if (!reader) return false
  await setEmailFrequency(deps, reader.id, 'off')
  return true
}
