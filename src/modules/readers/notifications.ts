import { sql, type RawBuilder } from '#kysely'
import { toDate, type Db } from '../../platform/database.js'
import type { ReaderNotification } from './reader.js'
import { createMailing, queueMailingBlocks } from './story-mailings.js'

/**
 * The job type of one email to one reader about one story, as queued before story
 * mailings (src/modules/readers/story-mailings.ts); jobs still queued from then are sent.
 */
export const NEW_STORY_EMAIL_JOB = 'email.new-story'

/** The job type of one Web Push about a new story, to one of a reader's subscribed browsers. */
export const NEW_STORY_PUSH_JOB = 'push.new-story'

/**
 * Why followers hear of a story: it was published, or it is breaking news and was
 * substantively updated. An update brings the reader's one notification for the story
 * back to the top, unread, and sends at most one email and one push per reader per
 * story in each `window` (an hour's label such as "2026-11-26T14"), however often the
 * desk updates it.
 */
export type StoryNews = { kind: 'published' } | { kind: 'breaking-update'; window: string }

export interface StoryAudience {
  articleId: number
  sectionId: number
  topicIds: number[]
  authorIds: number[]
}

/**
 * Notifies everyone following the story's section, any of its topics or any of its
 * authors: one notification per reader however many of their follows match, one email
 * for each reader who takes them at once (a story mailing, queued as one job per block
 * of readers), and one queued push for each browser they subscribed. A few set-based
 * statements whatever the number of followers; the unique (reader, article) and dedupe
 * keys make running it again for the same story a no-op. Run it inside a transaction so
 * all of it lands together.
 */
export async function fanOutStory(
  trx: Db,
  dialect: 'sqlite' | 'postgres',
  audience: StoryAudience,
  now: Date,
  news: StoryNews = { kind: 'published' },
): Promise<{ notified: number; emailsQueued: number; pushesQueued: number }> {
  const at = timeValue(dialect, now)
  const update = news.kind === 'breaking-update'
  const edition = update ? `update:${news.window}` : 'new'
  const mailingId = await createMailing(trx, audience.articleId, edition, now)
  const mailing = sql`cast(${mailingId} as bigint)`
  // A reader is owed this mailing's email unless an earlier one was for the same edition
  // (a second update within the hour); readers who take no email keep what they had.
  const onConflict = update
    ? sql`on conflict (reader_id, article_id) do update set read_at = null, created_at = excluded.created_at,
        mailing_id = case
          when excluded.email_edition is null or notification.email_edition = excluded.email_edition
          then notification.mailing_id else excluded.mailing_id end,
        email_edition = coalesce(excluded.email_edition, notification.email_edition)`
    : sql`on conflict (reader_id, article_id) do nothing`
  const article = sql`cast(${audience.articleId} as bigint)`
  const matches = [sql`(kind = 'section' and target_id = ${audience.sectionId})`]
  if (audience.topicIds.length > 0)
    matches.push(sql`(kind = 'topic' and target_id in (${sql.join(audience.topicIds)}))`)
  if (audience.authorIds.length > 0)
    matches.push(sql`(kind = 'author' and target_id in (${sql.join(audience.authorIds)}))`)
  const emailed = sql`r.email_frequency = 'immediately'`
  // SQLite needs the WHERE before ON CONFLICT to parse an INSERT … SELECT upsert; it is always there.
  const notified = await sql`
    insert into notification (reader_id, article_id, created_at, email_edition, mailing_id)
    select f.reader_id, ${article}, ${at},
      case when ${emailed} then ${edition} end,
      case when ${emailed} then ${mailing} end
    from (select distinct reader_id from follow where ${sql.join(matches, sql` or `)}) f
    inner join reader r on r.id = f.reader_id
    where true
    ${onConflict}`.execute(trx)
  const emailsQueued = await queueMailingBlocks(trx, { id: mailingId, articleId: audience.articleId }, now)
  // Dedupe keys: one per browser and story, and for updates one per window too.
  const keySuffix = update ? `:update:${news.window}` : ''
  const payloadExtra = update ? ',"update":true' : ''
  const pushes = await sql`
    insert into job (type, dedupe_key, payload, run_at, attempts, created_at)
    select ${NEW_STORY_PUSH_JOB},
      ${`${NEW_STORY_PUSH_JOB}:`} || cast(s.id as text) || ':' || cast(n.article_id as text) || ${keySuffix},
      '{"subscriptionId":' || cast(s.id as text) || ',"articleId":' || cast(n.article_id as text) || ${payloadExtra} || '}',
      ${at}, 0, ${at}
    from notification n inner join push_subscription s on s.reader_id = n.reader_id
    where n.article_id = ${article}
    on conflict (dedupe_key) do nothing`.execute(trx)
  return {
    notified: Number(notified.numAffectedRows ?? 0),
    emailsQueued,
    pushesQueued: Number(pushes.numAffectedRows ?? 0),
  }
}

/** A time as a statement parameter; PostgreSQL needs its type named inside INSERT … SELECT. */
function timeValue(dialect: 'sqlite' | 'postgres', time: Date): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`cast(${time} as timestamptz)` : sql`${time}`
}

/** A reader's notifications, newest first; stories taken down since are left out. */
export async function listNotifications(db: Db, readerId: number, limit = 50): Promise<ReaderNotification[]> {
  const rows = await db
    .selectFrom('notification')
    .innerJoin('article', 'article.id', 'notification.article_id')
    .innerJoin('section', 'section.id', 'article.section_id')
    .select([
      'notification.id',
      'notification.article_id',
      'notification.created_at',
      'notification.read_at',
      'article.headline',
      'article.slug',
      'section.slug as section_slug',
    ])
    .where('notification.reader_id', '=', readerId)
    .where('article.status', '=', 'published')
    .orderBy('notification.created_at', 'desc')
    .orderBy('notification.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    articleId: r.article_id,
    headline: r.headline,
    path: `/${r.section_slug}/${r.slug}`,
    createdAt: toDate(r.created_at),
    readAt: toDate(r.read_at),
  }))
}

/** The number on the bell. */
export async function countUnread(db: Db, readerId: number): Promise<number> {
  const row = await db
    .selectFrom('notification')
    .innerJoin('article', 'article.id', 'notification.article_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('notification.reader_id', '=', readerId)
    .where('notification.read_at', 'is', null)
    .where('article.status', '=', 'published')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function markNotificationsRead(db: Db, readerId: number, now: Date): Promise<void> {
  await db
    .updateTable('notification')
    .set({ read_at: now })
    .where('reader_id', '=', readerId)
    .where('read_at', 'is', null)
    .execute()
}
