import { findArticleById, findArticleTargets, isPublic } from '../articles/index.js'
import { listEventsAfter, type ContentEvent } from '../events/index.js'
import type { Db } from '../../platform/database.js'
import { fanOutStory, type StoryAudience, type StoryNews } from './notifications.js'
import { inTransaction } from '../../platform/database.js'
import type { ReaderDeps } from './reader-deps.js'

/** The event_cursor row of the notification fan-out. */
export const NOTIFICATION_CONSUMER = 'reader-notifications'

export interface FanOutTotals {
  events: number
  notified: number
  emailsQueued: number
  pushesQueued: number
}

/**
 * Reads the event log from where the fan-out last stopped and notifies followers of
 * every story published since. Each batch commits its notifications, queued emails and
 * the cursor together, so a crash repeats at most the batch it was in, and that repeat
 * duplicates nothing. The cursor row is locked while a batch runs: several nodes may
 * call this at once and each event is still handled by one of them.
 */
export async function processStoryEvents(deps: ReaderDeps, batchSize = 50): Promise<FanOutTotals> {
  const totals: FanOutTotals = { events: 0, notified: 0, emailsQueued: 0, pushesQueued: 0 }
  for (;;) {
    const batch = await inTransaction(deps.db, (trx) => processBatch(deps, trx, batchSize))
    if (!batch) break
    totals.events += batch.events
    totals.notified += batch.notified
    totals.emailsQueued += batch.emailsQueued
    totals.pushesQueued += batch.pushesQueued
  }
  if (totals.emailsQueued + totals.pushesQueued > 0) deps.onJobsQueued?.()
  return totals
}

async function processBatch(deps: ReaderDeps, trx: Db, batchSize: number): Promise<FanOutTotals | undefined> {
  const after = await lockCursor(trx, deps.dialect)
  const events = await listEventsAfter(trx, after, batchSize)
  if (events.length === 0) return undefined
  const totals: FanOutTotals = { events: events.length, notified: 0, emailsQueued: 0, pushesQueued: 0 }
  const now = deps.clock.now()
  for (const event of events) {
    const news = newsOf(event)
    if (!news || event.articleId === null) continue
    const audience = await loadAudience(trx, event.articleId, news)
    if (!audience) continue
    const result = await fanOutStory(trx, deps.dialect, audience, now, news)
    totals.notified += result.notified
    totals.emailsQueued += result.emailsQueued
    totals.pushesQueued += result.pushesQueued
  }
  await trx
    .updateTable('event_cursor')
    .set({ last_event_id: events[events.length - 1]!.id })
    .where('consumer', '=', NOTIFICATION_CONSUMER)
    .execute()
  return totals
}

async function lockCursor(trx: Db, dialect: 'sqlite' | 'postgres'): Promise<number> {
  // The migration creates the row; this covers a database whose row was removed by hand.
  await trx
    .insertInto('event_cursor')
    .values({ consumer: NOTIFICATION_CONSUMER, last_event_id: 0 })
    .onConflict((oc) => oc.column('consumer').doNothing())
    .execute()
  const query = trx
    .selectFrom('event_cursor')
    .select('last_event_id')
    .where('consumer', '=', NOTIFICATION_CONSUMER)
  // SQLite transactions here begin IMMEDIATE and so already hold the write lock.
  const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirstOrThrow()
  return Number(row.last_event_id)
}

/** What an event tells followers: a story published, a breaking story updated, or nothing. */
function newsOf(event: ContentEvent): StoryNews | undefined {
  if (event.type === 'article.published') return { kind: 'published' }
  if (
    event.type === 'article.updated' &&
    event.payload['substantive'] === true &&
    event.payload['live'] === true
  )
    return { kind: 'breaking-update', window: event.createdAt.toISOString().slice(0, 13) }
  return undefined
}

/**
 * Who a story concerns, or undefined when it is no longer public (unpublished since the
 * event) or, for an update, no longer flagged breaking.
 */
async function loadAudience(trx: Db, articleId: number, news: StoryNews): Promise<StoryAudience | undefined> {
  const article = await findArticleById(trx, articleId)
  if (!article || !isPublic(article)) return undefined
  if (news.kind === 'breaking-update' && !article.breaking) return undefined
  return { articleId, sectionId: article.sectionId, ...(await findArticleTargets(trx, articleId)) }
}
