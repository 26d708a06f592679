import assert from 'node:assert/strict'
import { after, before, beforeEach, it } from 'node:test'
import { sendStoryMailing } from '../../../src/jobs/send-story-mailing.js'
import { pruneExpired } from '../../../src/jobs/prune-expired.js'
import { publishArticle, type ArticleView } from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { claimDueJobs, enqueueJob } from '../../../src/modules/queue/index.js'
import {
  followTarget,
  MailDeliveryError,
  NEW_STORY_EMAIL_JOB,
  processStoryEvents,
  STORY_MAILING_JOB,
  type Mailer,
  type OutgoingEmail,
} from '../../../src/modules/readers/index.js'
import { createTopic } from '../../../src/modules/taxonomy/index.js'
import { aSection, anArticle, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** A mailer that does, for each send in turn, what the test's plan says: deliver, fail or never answer. */
function scriptedMailer() {
  const sent: OutgoingEmail[] = []
  let attempts = 0
  let plan: (attempt: number, email: OutgoingEmail) => 'deliver' | 'defer' | 'refuse' | 'hang' = () =>
    'deliver'
  const mailer: Mailer = {
    async send(email) {
      const step = plan(attempts++, email)
      if (step === 'hang') return new Promise<void>(() => undefined)
      if (step === 'defer') throw new MailDeliveryError('SMTP delivery failed (451)', { permanent: false })
      if (step === 'refuse') throw new MailDeliveryError('SMTP delivery failed (550)', { permanent: true })
      sent.push(email)
    },
  }
  return {
    mailer,
    sent,
    follow(next: typeof plan) {
      attempts = 0
      plan = next
    },
  }
}

forEachDialect('story mailings', (dialect) => {
  const mail = scriptedMailer()
  let ctx: TestContext
  let editor: Actor
  let storySeq = 0

  before(async () => {
    ctx = await createTestContext(dialect, { mailer: mail.mailer })
    editor = await anEditor(ctx)
    await aSection(ctx, 'world')
  })
  after(() => ctx.destroy())
  beforeEach(() => {
    mail.sent.length = 0
    mail.follow(() => 'deliver')
  })

  /** `count` readers taking email at once, following a topic of their own, and a story on it, fanned out. */
  async function storyWithFollowers(count: number): Promise<{ story: ArticleView; emails: string[] }> {
    storySeq += 1
    const topic = await createTopic(ctx.taxonomy, { name: `Harbours ${storySeq}` })
    const emails: string[] = []
    for (let i = 1; i <= count; i++) {
      const email = `story${storySeq}-reader${i}@example.org`
      const reader = await ctx.handle.db
        .insertInto('reader')
        .values({
          email,
          email_frequency: 'immediately',
          unsubscribe_token: `token-${storySeq}-${i}-${'x'.repeat(24)}`,
          created_at: ctx.clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await followTarget(ctx.readers, reader.id, { kind: 'topic', targetId: topic.id })
      emails.push(email)
    }
    const draft = await anArticle(ctx, editor, { section: 'world', topics: [topic.name], authorIds: [] })
    const story = await publishArticle(ctx.articles, editor, draft.id)
    const totals = await processStoryEvents(ctx.readers)
    assert.equal(totals.emailsQueued, count)
    return { story, emails }
  }

  const recipients = () => mail.sent.map((email) => email.to).sort()

  it('sends each reader of a block once when the mail server fails midway and the job is retried', async () => {
    const { emails } = await storyWithFollowers(12)
    mail.follow((attempt) => (attempt === 5 ? 'defer' : 'deliver'))
    assert.deepEqual(await ctx.jobs.runDue(), { done: 0, retried: 1, failed: 0 })
    const firstPass = mail.sent.length
    assert.ok(firstPass >= 5 && firstPass < 12, `${firstPass} sent before the failure stopped the block`)

    ctx.clock.advance(30_000)
    assert.deepEqual(await ctx.jobs.runDue(), { done: 1, retried: 0, failed: 0 })
    assert.deepEqual(recipients(), [...emails].sort(), 'everyone once, no one twice')
  })

  it('sends only the rest when a worker dies mid-block and the job is claimed again after its lease', async () => {
    const { emails } = await storyWithFollowers(12)
    mail.follow((attempt) => (attempt >= 5 ? 'hang' : 'deliver'))
    const [job] = await claimDueJobs(ctx.handle.db, dialect, {
      now: ctx.clock.now(),
      leaseMs: 60_000,
      limit: 1,
    })
    assert.equal(job?.type, STORY_MAILING_JOB)
    // The worker sends five, then hangs for good, as a process that died would.
    void sendStoryMailing(ctx.readers)(job)
    await waitFor(async () => {
      const row = await ctx.handle.db
        .selectFrom('job')
        .select('progress')
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow()
      const saved = row.progress === null ? undefined : (JSON.parse(row.progress) as { doneThrough: number })
      const lastSent = Math.max(
        ...mail.sent.map((e) => Number(/^<new-story\.(\d+)\./.exec(e.messageId ?? '')?.[1])),
      )
      return mail.sent.length === 5 && saved?.doneThrough === lastSent
    })
    assert.deepEqual(await ctx.jobs.runDue(), { done: 0, retried: 0, failed: 0 }, 'not while the lease runs')

    mail.follow(() => 'deliver')
    ctx.clock.advance(60_001)
    assert.deepEqual(await ctx.jobs.runDue(), { done: 1, retried: 0, failed: 0 })
    assert.equal(mail.sent.length, 12)
    assert.deepEqual(recipients(), [...emails].sort(), 'the five sent before the crash are not sent again')
  })

  it('gives up on an address the server refuses and still emails the rest of the block', async () => {
    const { emails } = await storyWithFollowers(4)
    const refused = emails[1]!
    mail.follow((_attempt, email) => (email.to === refused ? 'refuse' : 'deliver'))
    assert.deepEqual(await ctx.jobs.runDue(), { done: 1, retried: 0, failed: 0 })
    assert.deepEqual(
      recipients(),
      emails.filter((e) => e !== refused),
    )
    ctx.clock.advance(DAY_MS)
    assert.deepEqual(await ctx.jobs.runDue(), { done: 0, retried: 0, failed: 0 }, 'nothing left to retry')
  })

  it('still sends a one-reader email job queued before story mailings', async () => {
    const { story, emails } = await storyWithFollowers(1)
    await ctx.handle.db.updateTable('job').set({ done_at: ctx.clock.now() }).execute()
    const reader = await ctx.handle.db
      .selectFrom('reader')
      .select('id')
      .where('email', '=', emails[0]!)
      .executeTakeFirstOrThrow()
    await enqueueJob(
      ctx.handle.db,
      {
        type: NEW_STORY_EMAIL_JOB,
        payload: { readerId: reader.id, articleId: story.id },
        runAt: ctx.clock.now(),
        dedupeKey: `${NEW_STORY_EMAIL_JOB}:${reader.id}:${story.id}`,
      },
      ctx.clock.now(),
    )
    assert.deepEqual(await ctx.jobs.runDue(), { done: 1, retried: 0, failed: 0 })
    assert.deepEqual(recipients(), emails)
  })

  it('forgets a story mailing once its jobs are finished and as old as the jobs pruning deletes', async () => {
    await ctx.jobs.runDue()
    const { story } = await storyWithFollowers(2)
    const mailingsOf = async () =>
      (
        await ctx.handle.db
          .selectFrom('story_mailing')
          .select('id')
          .where('article_id', '=', story.id)
          .execute()
      ).length
    ctx.clock.advance(8 * DAY_MS)
    const settings = { jobsAfterDays: 7, readNotificationsAfterDays: 90 }
    await pruneExpired(ctx, settings)
    assert.equal(await mailingsOf(), 1, 'kept while its job is open')
    await ctx.jobs.runDue()
    assert.equal((await pruneExpired(ctx, settings)).mailings, 1)
    assert.equal(await mailingsOf(), 0)
  })
})

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
