import { canonicalPath, findArticleById, isPublic, toArticleView } from '../articles/index.js'
import { assertNoProblems, type FieldProblem } from '../../platform/app-error.js'
import type { Db } from '../../platform/database.js'
import { matchedFollowName } from './emails.js'
import type { PushMessage, PushTarget } from './ports.js'
import type { ReaderDeps } from './reader-deps.js'

/** Browsers one reader may subscribe; a new one past this replaces the oldest. */
export const MAX_PUSH_SUBSCRIPTIONS = 10

/** What a browser's PushSubscription.toJSON() gives, as the account page posts it. */
export interface PushSubscriptionInput {
  endpoint: unknown
  p256dh: unknown
  auth: unknown
}

/**
 * Checks a subscription a browser sent: an https endpoint (the server will POST to it,
 * so nothing else is accepted outside tests), a P-256 public key and a 16-byte secret.
 * Every problem names its field.
 */
export function parsePushSubscription(
  input: PushSubscriptionInput,
  options: { allowHttp?: boolean | undefined } = {},
): PushTarget {
  const problems: FieldProblem[] = []
  const endpoint = typeof input.endpoint === 'string' ? input.endpoint : ''
  const url = URL.parse(endpoint)
  const schemes = options.allowHttp ? ['https:', 'http:'] : ['https:']
  if (!url || !schemes.includes(url.protocol) || endpoint.length > 2000 || url.username || url.password)
    problems.push({ field: 'endpoint', message: 'must be an https URL of at most 2000 characters' })
  const p256dh = typeof input.p256dh === 'string' ? input.p256dh : ''
  const key = Buffer.from(p256dh, 'base64url')
  if (!/^[A-Za-z0-9_-]+=*$/.test(p256dh) || key.length !== 65 || key[0] !== 4)
    problems.push({ field: 'keys.p256dh', message: 'must be a base64url P-256 public key (65 bytes)' })
  const auth = typeof input.auth === 'string' ? input.auth : ''
  if (!/^[A-Za-z0-9_-]+=*$/.test(auth) || Buffer.from(auth, 'base64url').length !== 16)
    problems.push({ field: 'keys.auth', message: 'must be a base64url 16-byte secret' })
  assertNoProblems(problems)
  return {
    endpoint,
    p256dh: key.toString('base64url'),
    auth: Buffer.from(auth, 'base64url').toString('base64url'),
  }
}

/**
 * Keeps a browser's subscription for the reader. The endpoint is the browser's: if
 * another account subscribed it before (a shared computer), it moves to this reader.
 */
export async function savePushSubscription(
  deps: ReaderDeps,
  readerId: number,
  target: PushTarget,
): Promise<void> {
  const now = deps.clock.now()
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('push_subscription')
      .values({ reader_id: readerId, ...target, created_at: now })
      .onConflict((oc) =>
        oc.column('endpoint').doUpdateSet({
          reader_id: readerId,
          p256dh: target.p256dh,
          auth: target.auth,
          created_at: now,
        }),
      )
      .execute()
    const extra = await trx
      .selectFrom('push_subscription')
      .select('id')
      .where('reader_id', '=', readerId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(MAX_PUSH_SUBSCRIPTIONS)
      .limit(1000)
      .execute()
    if (extra.length > 0)
      await trx
        .deleteFrom('push_subscription')
        .where(
          'id',
          'in',
          extra.map((r) => r.id),
        )
        .execute()
  })
}

/** Forgets one browser's subscription; only the reader who owns it can remove it. */
export async function removePushSubscription(db: Db, readerId: number, endpoint: string): Promise<boolean> {
  const result = await db
    .deleteFrom('push_subscription')
    .where('reader_id', '=', readerId)
    .where('endpoint', '=', endpoint)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/** How many browsers the reader gets pushes in. */
export async function countPushSubscriptions(db: Db, readerId: number): Promise<number> {
  const row = await db
    .selectFrom('push_subscription')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reader_id', '=', readerId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The push service said the subscription no longer exists: forget it. */
export async function deletePushSubscriptionById(db: Db, id: number): Promise<void> {
  await db.deleteFrom('push_subscription').where('id', '=', id).execute()
}

/**
 * The push for one subscription about one story, or undefined when it should no longer
 * go: the browser unsubscribed, the reader stopped following what matched, or the
 * story was taken down.
 */
export async function loadNewStoryPush(
  deps: ReaderDeps,
  subscriptionId: number,
  articleId: number,
  update = false,
): Promise<{ subscriptionId: number; target: PushTarget; message: PushMessage } | undefined> {
  const subscription = await deps.db
    .selectFrom('push_subscription')
    .select(['id', 'reader_id', 'endpoint', 'p256dh', 'auth'])
    .where('id', '=', subscriptionId)
    .executeTakeFirst()
  if (!subscription) return undefined
  const article = await findArticleById(deps.db, articleId)
  if (!article || !isPublic(article)) return undefined
  const view = await toArticleView(deps.db, article)
  const followName = await matchedFollowName(deps.db, subscription.reader_id, view)
  if (!followName) return undefined
  return {
    subscriptionId: subscription.id,
    target: { endpoint: subscription.endpoint, p256dh: subscription.p256dh, auth: subscription.auth },
    message: {
      title: update ? `Update on ${followName}` : `New on ${followName}`,
      body: view.headline,
      url: canonicalPath(view, view.section.slug),
      tag: `story-${articleId}`,
    },
  }
}
