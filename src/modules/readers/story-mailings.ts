import { sql } from '#kysely'
import { findArticleById, isPublic, toArticleView, type ArticleView } from '../articles/index.js'
import type { Db } from '../../platform/database.js'
import { followCandidates, followNameIn, newStoryEmailFor, type NewStoryRecipient } from './emails.js'
import { MailDeliveryError } from './ports.js'
import { followKey } from './reader.js'
import { progressTracker, type MailingProgress } from './mailing-progress.js'
import type { ReaderDeps } from './reader-deps.js'

/** The job type that emails one block of a story mailing's readers. */
export const STORY_MAILING_JOB = 'email.story-mailing'

/**
 * Readers per block job. 100,000 followers make 200 jobs rather than 100,000, and a
 * block is still small enough to finish well within a job's lease on a slow mail server.
 */
export const MAILING_BLOCK_SIZE = 500

/** A block's emails in flight at once: enough to keep the mail transport's pooled connections busy. */
const SENDS_AT_ONCE = 4

/** The readers of one mailing with ids from `fromReaderId` to `throughReaderId`: one job's work. */
export interface MailingBlock {
  mailingId: number
  fromReaderId: number
  throughReaderId: number
}

export interface MailingBlockResult {
  sent: number
  /** Readers whose address the mail server refused for good: given up, never retried. */
  refused: number
  /** Why the block stopped before its end (the mail server unreachable, say); the rest is worth another try. */
  failure?: string
}

/** Records a story edition's mailing ('new', or 'update:<hour>'); its id marks the readers it owes. */
export async function createMailing(trx: Db, articleId: number, edition: string, now: Date): Promise<number> {
  const row = await trx
    .insertInto('story_mailing')
    .values({ article_id: articleId, edition, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/**
 * Queues one job per block of up to MAILING_BLOCK_SIZE readers whose notification names
 * the mailing, in reader id order; a mailing that owes no one is deleted. Returns the
 * number of readers the jobs will email.
 */
export async function queueMailingBlocks(
  trx: Db,
  mailing: { id: number; articleId: number },
  now: Date,
): Promise<number> {
  // The block size is written into the statement: node:sqlite binds a number as a real,
  // and the division must be an integer one.
  const { rows } = await sql<{ first: number; last: number; readers: number }>`
    select min(reader_id) as first, max(reader_id) as last, count(*) as readers
    from (
      select reader_id, (row_number() over (order by reader_id) - 1) / ${sql.lit(MAILING_BLOCK_SIZE)} as block
      from notification where article_id = ${mailing.articleId} and mailing_id = ${mailing.id}
    ) numbered
    group by block`.execute(trx)
  if (rows.length === 0) {
    await trx.deleteFrom('story_mailing').where('id', '=', mailing.id).execute()
    return 0
  }
  const jobs = rows.map((block) => {
    const payload: MailingBlock = {
      mailingId: mailing.id,
      fromReaderId: Number(block.first),
      throughReaderId: Number(block.last),
    }
    return {
      type: STORY_MAILING_JOB,
      dedupe_key: `${STORY_MAILING_JOB}:${mailing.id}:${payload.fromReaderId}`,
      payload: JSON.stringify(payload),
      run_at: now,
      last_error: null,
      created_at: now,
      done_at: null,
      failed_at: null,
    }
  })
  // Well under both databases' limit on parameters per statement.
  for (let i = 0; i < jobs.length; i += 1000) {
    await trx
      .insertInto('job')
      .values(jobs.slice(i, i + 1000))
      .execute()
  }
  return rows.reduce((sum, block) => sum + Number(block.readers), 0)
}

/**
 * Emails one block of a mailing's readers, each once: the story and the readers are
 * read once for the block, and each reader is checked as at any send (still taking
 * email at once, still following something the story is about, story still public).
 * Progress is saved as sends finish, and a retry starts from `progress`, so a crash or
 * a mail server going away mid-block repeats no email that was recorded as sent; at
 * worst the few that finished in the instant before a crash go again, with the same
 * Message-ID. Stops at the first failure worth retrying and says so.
 */
export async function sendMailingBlock(
  deps: ReaderDeps,
  block: MailingBlock,
  checkpoint: { progress: MailingProgress | undefined; save: (progress: MailingProgress) => Promise<void> },
): Promise<MailingBlockResult> {
  const nothing: MailingBlockResult = { sent: 0, refused: 0 }
  const mailing = await deps.db
    .selectFrom('story_mailing')
    .select(['article_id', 'edition'])
    .where('id', '=', block.mailingId)
    .executeTakeFirst()
  if (!mailing) return nothing
  const article = await findArticleById(deps.db, mailing.article_id)
  if (!article || !isPublic(article)) return nothing
  const view = await toArticleView(deps.db, article)
  const readers = await loadBlockReaders(deps.db, block, view)
  const tracker = progressTracker(
    readers.map((r) => r.recipient.readerId),
    checkpoint.progress ?? { doneThrough: block.fromReaderId - 1, doneAbove: [] },
    checkpoint.save,
  )
  const toSend: (BlockReader & { followName: string })[] = []
  for (const reader of readers) {
    if (tracker.isDone(reader.recipient.readerId)) continue
    if (reader.followName === undefined) tracker.finish(reader.recipient.readerId)
    else toSend.push({ ...reader, followName: reader.followName })
  }
  const result = await sendInTurn(deps, block, view, toSend, mailing.edition !== 'new', tracker.finish)
  await tracker.saved()
  return result
}

/**
 * Sends to each reader in turn, SENDS_AT_ONCE at a time, telling `finish` of each one
 * sent or refused for good. Stops launching sends at the first failure worth retrying.
 */
async function sendInTurn(
  deps: ReaderDeps,
  block: MailingBlock,
  view: ArticleView,
  toSend: (BlockReader & { followName: string })[],
  update: boolean,
  finish: (readerId: number) => void,
): Promise<MailingBlockResult> {
  const result: MailingBlockResult = { sent: 0, refused: 0 }
  let next = 0
  const worker = async () => {
    while (result.failure === undefined && next < toSend.length) {
      const { recipient, followName } = toSend[next++]!
      try {
        await deps.mailer.send(newStoryEmailFor(deps.site, view, recipient, followName, update))
        result.sent += 1
        finish(recipient.readerId)
      } catch (error) {
        if (!(error instanceof MailDeliveryError && error.permanent)) {
          result.failure ??= error instanceof Error ? error.message : String(error)
          continue
        }
        deps.logger.warn(
          { readerId: recipient.readerId, mailingId: block.mailingId },
          `story email refused for good: ${error.message}`,
        )
        result.refused += 1
        finish(recipient.readerId)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(SENDS_AT_ONCE, toSend.length) }, worker))
  return result
}

interface BlockReader {
  recipient: NewStoryRecipient
  /** What they follow that the story is about; undefined when they no longer take this email. */
  followName: string | undefined
}

/** The block's readers in id order, with what each follows that the story matches: two queries. */
async function loadBlockReaders(db: Db, block: MailingBlock, view: ArticleView): Promise<BlockReader[]> {
  const rows = await db
    .selectFrom('notification as n')
    .innerJoin('reader as r', 'r.id', 'n.reader_id')
    .select(['n.reader_id', 'r.email', 'r.email_frequency', 'r.unsubscribe_token'])
    .where('n.article_id', '=', view.id)
    .where('n.mailing_id', '=', block.mailingId)
    .where('n.reader_id', '>=', block.fromReaderId)
    .where('n.reader_id', '<=', block.throughReaderId)
    .orderBy('n.reader_id')
    .execute()
  const candidates = followCandidates(view)
  const follows = await db
    .selectFrom('follow')
    .select(['reader_id', 'kind', 'target_id'])
    .where('reader_id', '>=', block.fromReaderId)
    .where('reader_id', '<=', block.throughReaderId)
    .where((eb) =>
      eb.or(candidates.map((c) => eb.and([eb('kind', '=', c.kind), eb('target_id', '=', c.targetId)]))),
    )
    .execute()
  const followsOf = new Map<number, Set<string>>()
  for (const f of follows) {
    const keys = followsOf.get(f.reader_id) ?? new Set<string>()
    keys.add(followKey({ kind: f.kind, targetId: f.target_id }))
    followsOf.set(f.reader_id, keys)
  }
  return rows.map((row) => ({
    recipient: { readerId: row.reader_id, email: row.email, unsubscribeToken: row.unsubscribe_token },
    followName:
      row.email_frequency === 'immediately'
        ? followNameIn(candidates, followsOf.get(row.reader_id) ?? new Set())
        : undefined,
  }))
}

/**
 * Deletes mailings made before `before` none of whose block jobs is still open: a
 * finished mailing's id only marks notifications that no job will read again.
 */
export async function pruneStoryMailings(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('story_mailing as m')
    .where('m.created_at', '<', before)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('job')
            .select(sql.lit(1).as('one'))
            .where('job.done_at', 'is', null)
            .where('job.failed_at', 'is', null)
            .where('job.type', '=', STORY_MAILING_JOB)
            .where(
              'job.dedupe_key',
              'like',
              sql<string>`${`${STORY_MAILING_JOB}:`} || cast(m.id as text) || ':%'`,
            ),
        ),
      ),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
