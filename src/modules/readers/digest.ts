import { sql } from '#kysely'
import { toDate, type Db } from '../../platform/database.js'
import { escapeHtml } from '../../platform/text.js'
import { hostOf, htmlDocument } from './emails.js'
import type { OutgoingEmail } from './ports.js'
import type { ReaderDeps } from './reader-deps.js'
import { findReaderWithUnsubscribeToken } from './reader-queries.js'

/** The job type of one reader's daily digest for one UTC day. */
export const DAILY_DIGEST_JOB = 'email.daily-digest'

/** Stories listed in one digest at most; the rest are behind the bell. */
export const MAX_DIGEST_STORIES = 50

/** The first digest a reader gets lists what came in the day before it. */
const FIRST_DIGEST_WINDOW_MS = 24 * 60 * 60 * 1000

/** "2026-11-26": the UTC day a time falls on, which names a digest. */
export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10)
}

/**
 * Queues today's digest for every reader who chose a daily digest, once the digest hour
 * (UTC) has come. One statement whatever the number of readers; the job's dedupe key
 * is the reader and the day, so calling this every minute, after a restart or on every
 * node queues each reader's digest for the day once. Returns how many were queued now.
 */
export async function queueDailyDigests(deps: ReaderDeps, hourUtc: number): Promise<number> {
  const now = deps.clock.now()
  if (now.getUTCHours() < hourUtc) return 0
  const day = utcDay(now)
  const at = deps.dialect === 'postgres' ? sql`cast(${now} as timestamptz)` : sql`${now}`
  const result = await sql`
    insert into job (type, dedupe_key, payload, run_at, attempts, created_at)
    select ${DAILY_DIGEST_JOB},
      ${`${DAILY_DIGEST_JOB}:`} || cast(r.id as text) || ${`:${day}`},
      '{"readerId":' || cast(r.id as text) || ${`,"day":"${day}"}`},
      ${at}, 0, ${at}
    from reader r
    where r.email_frequency = 'daily'
    on conflict (dedupe_key) do nothing`.execute(deps.db)
  const queued = Number(result.numAffectedRows ?? 0)
  if (queued > 0) deps.onJobsQueued?.()
  return queued
}

export interface DigestStory {
  headline: string
  url: string
}

/**
 * Sends one reader's digest for one day, or nothing when there are no stories since
 * their last one. The day's reader_digest row fixes which notifications it covers the
 * first time the job runs, so a retry sends the same list; once it is marked sent, the
 * day is done for good, whichever node or restart runs the job again. Delivery is at
 * least once: a crash between sending and marking sends it again, with the same
 * Message-ID. Returns what happened.
 */
export async function sendDailyDigest(
  deps: ReaderDeps,
  readerId: number,
  day: string,
): Promise<'sent' | 'nothing-new' | 'already-sent' | 'not-wanted'> {
  const found = await findReaderWithUnsubscribeToken(deps.db, readerId)
  if (!found || found.reader.emailFrequency !== 'daily') return 'not-wanted'
  const digest = await claimDigest(deps, readerId, day)
  if (digest === 'already-sent' || digest === 'nothing-new') return digest
  const stories = await listDigestStories(deps, readerId, digest.after, digest.through)
  if (stories.length === 0) {
    await markDigestSent(deps.db, readerId, day, deps.clock.now())
    return 'nothing-new'
  }
  const { site } = deps
  await deps.mailer.send(
    composeDigestEmail({
      site,
      to: found.reader.email,
      day,
      stories,
      more: Math.max(0, digest.stories - stories.length),
      unsubscribeUrl: `${site.publicUrl}/account/unsubscribe/${found.unsubscribeToken}`,
      messageId: `<digest.${readerId}.${day}@${hostOf(site)}>`,
    }),
  )
  await markDigestSent(deps.db, readerId, day, deps.clock.now())
  return 'sent'
}

async function claimDigest(
  deps: ReaderDeps,
  readerId: number,
  day: string,
): Promise<{ after: number; through: number; stories: number } | 'already-sent' | 'nothing-new'> {
  return deps.db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('reader_digest')
      .select((eb) => eb.fn.max('through_notification_id').as('through'))
      .where('reader_id', '=', readerId)
      .where('day', '<', day)
      .executeTakeFirst()
    const after = previous?.through == null ? undefined : Number(previous.through)
    const existing = await trx
      .selectFrom('reader_digest')
      .selectAll()
      .where('reader_id', '=', readerId)
      .where('day', '=', day)
      .executeTakeFirst()
    if (existing) {
      if (existing.sent_at !== null) return 'already-sent'
      return {
        after: after ?? 0,
        through: Number(existing.through_notification_id),
        stories: existing.stories,
      }
    }
    const since = new Date(deps.clock.now().getTime() - FIRST_DIGEST_WINDOW_MS)
    let range = trx
      .selectFrom('notification')
      .innerJoin('article', 'article.id', 'notification.article_id')
      .select((eb) => [eb.fn.max('notification.id').as('through'), eb.fn.countAll<number>().as('n')])
      .where('notification.reader_id', '=', readerId)
      .where('article.status', '=', 'published')
    range =
      after === undefined
        ? range.where('notification.created_at', '>', since)
        : range.where('notification.id', '>', after)
    const row = await range.executeTakeFirst()
    if (!row || row.through == null || Number(row.n) === 0) return 'nothing-new'
    const through = Number(row.through)
    // The first digest starts from the window: record where that begins as "after".
    const start = after ?? (await firstIdSince(trx, readerId, since)) - 1
    await trx
      .insertInto('reader_digest')
      .values({
        reader_id: readerId,
        day,
        through_notification_id: through,
        stories: Number(row.n),
        created_at: deps.clock.now(),
        sent_at: null,
      })
      .execute()
    return { after: start, through, stories: Number(row.n) }
  })
}

async function firstIdSince(db: Db, readerId: number, since: Date): Promise<number> {
  const row = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.min('id').as('first'))
    .where('reader_id', '=', readerId)
    .where('created_at', '>', since)
    .executeTakeFirst()
  return Number(row?.first ?? 1)
}

async function listDigestStories(
  deps: ReaderDeps,
  readerId: number,
  after: number,
  through: number,
): Promise<DigestStory[]> {
  const rows = await deps.db
    .selectFrom('notification')
    .innerJoin('article', 'article.id', 'notification.article_id')
    .innerJoin('section', 'section.id', 'article.section_id')
    .select(['article.headline', 'article.slug', 'section.slug as section_slug', 'notification.created_at'])
    .where('notification.reader_id', '=', readerId)
    .where('notification.id', '>', after)
    .where('notification.id', '<=', through)
    .where('article.status', '=', 'published')
    .orderBy('notification.id', 'desc')
    .limit(MAX_DIGEST_STORIES)
    .execute()
  return rows
    .sort((a, b) => toDate(b.created_at).getTime() - toDate(a.created_at).getTime())
    .map((r) => ({ headline: r.headline, url: `${deps.site.publicUrl}/${r.section_slug}/${r.slug}` }))
}

async function markDigestSent(db: Db, readerId: number, day: string, now: Date): Promise<void> {
  await db
    .updateTable('reader_digest')
    .set({ sent_at: now })
    .where('reader_id', '=', readerId)
    .where('day', '=', day)
    .execute()
}

export interface DigestEmailInput {
  site: { publicUrl: string; name: string }
  to: string
  day: string
  stories: DigestStory[]
  /** Stories left out past the limit. */
  more: number
  unsubscribeUrl: string
  messageId: string
}

/** The digest: every story as a headline and a link, text and HTML, with one-click unsubscribe. */
export function composeDigestEmail(input: DigestEmailInput): OutgoingEmail {
  const { site, stories } = input
  const accountUrl = `${site.publicUrl}/account`
  const date = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${input.day}T12:00:00Z`))
  const count = stories.length + input.more
  const summary = count === 1 ? '1 new story' : `${count} new stories`
  const moreLine =
    input.more > 0 ? [`…and ${input.more} more: ${site.publicUrl}/account/notifications`, ''] : []
  const text = [
    `${summary} on what you follow on ${site.name}, ${date}:`,
    '',
    ...stories.flatMap((s) => [s.headline, s.url, '']),
    ...moreLine,
    '--',
    `You get this digest once a day because you chose it on ${site.name}.`,
    `Change how often we email you: ${accountUrl}`,
    `Unsubscribe from these emails: ${input.unsubscribeUrl}`,
  ].join('\n')
  const html = htmlDocument(
    `<p>${escapeHtml(summary)} on what you follow on ${escapeHtml(site.name)}, ${escapeHtml(date)}:</p>` +
      '<ul style="padding-left:1.2rem">' +
      stories
        .map(
          (s) =>
            `<li style="margin:0.4rem 0"><a href="${escapeHtml(s.url)}" style="font-family:Georgia,serif">` +
            `${escapeHtml(s.headline)}</a></li>`,
        )
        .join('') +
      '</ul>' +
      (input.more > 0
        ? `<p><a href="${escapeHtml(`${site.publicUrl}/account/notifications`)}">…and ${input.more} more</a></p>`
        : '') +
      `<hr><p style="font-size:0.85rem;color:#4a4f59">You get this digest once a day because you chose it on ` +
      `${escapeHtml(site.name)}. <a href="${escapeHtml(accountUrl)}">Change how often we email you</a> or ` +
      `<a href="${escapeHtml(input.unsubscribeUrl)}">unsubscribe from these emails</a>.</p>`,
  )
  return {
    to: input.to,
    subject: `${site.name} daily digest, ${date}: ${summary}`,
    text,
    html,
    messageId: input.messageId,
    headers: {
      'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  }
}
