import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { publishArticle } from '../../src/modules/articles/index.js'
import type { Actor } from '../../src/modules/auth/index.js'
import { countJobs } from '../../src/modules/queue/index.js'
import {
  DAILY_DIGEST_JOB,
  followTarget,
  processStoryEvents,
  queueDailyDigests,
} from '../../src/modules/readers/index.js'
import { createTopic, type Topic } from '../../src/modules/taxonomy/index.js'
import { aSection, anArticle, anEditor, TEST_START } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'
import { startSmtpServer, type TestSmtpServer } from '../support/mail.js'

const HOUR = 60 * 60 * 1000
const DIGEST_HOUR = 10

/**
 * The daily digest through the job queue to a real SMTP server on loopback. The test
 * clock starts at 09:00 UTC, an hour before the configured digest hour.
 */
forEachDialect('daily digest over SMTP', (dialect) => {
  let smtp: TestSmtpServer
  let t: TestApp
  let editor: Actor
  let shipping: Topic
  let digestReader: number

  before(async () => {
    smtp = await startSmtpServer()
    t = await testApp(dialect, {
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Dateline Test <news@news.test>',
        DIGEST_HOUR: String(DIGEST_HOUR),
      },
      configuredMailer: true,
    })
    editor = await anEditor(t.ctx)
    await aSection(t.ctx, 'world')
    shipping = await createTopic(t.ctx.taxonomy, { name: 'Shipping' })
    digestReader = await aReader('digest@example.org', 'daily')
    await aReader('quiet@example.org', 'daily', false)
  })
  after(async () => {
    await t?.close()
    await smtp?.close()
  })

  async function aReader(email: string, frequency: 'daily' | 'immediately', follows = true): Promise<number> {
    const row = await t.ctx.handle.db
      .insertInto('reader')
      .values({
        email,
        email_frequency: frequency,
        unsubscribe_token: `unsubscribe-${email.replace(/\W/g, '')}-${'x'.repeat(24)}`,
        created_at: t.ctx.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (follows) await followTarget(t.ctx.readers, row.id, { kind: 'topic', targetId: shipping.id })
    return row.id
  }

  async function publish(headline: string) {
    const draft = await anArticle(t.ctx, editor, { section: 'world', topics: ['Shipping'], headline })
    const story = await publishArticle(t.ctx.articles, editor, draft.id)
    await processStoryEvents(t.ctx.readers)
    return story
  }

  const digests = () => smtp.received.filter((m) => m.subject.includes('daily digest'))

  it('sends no email at once to a reader who chose the daily digest', async () => {
    await publish('Freight costs < forecast & "rising"')
    t.ctx.clock.advance(10 * 60 * 1000)
    await publish('Canal reopens after the grounding')
    assert.deepEqual(await t.ctx.jobs.runDue(), { done: 0, retried: 0, failed: 0 })
    assert.equal(smtp.received.length, 0)
  })

  it('queues nothing before the digest hour', async () => {
    assert.equal(t.ctx.clock.now().getUTCHours() < DIGEST_HOUR, true)
    assert.equal(await queueDailyDigests(t.ctx.readers, t.ctx.config.notifications.digestHourUtc), 0)
  })

  it('emails one digest at the hour listing the stories, escaped, with one-click unsubscribe', async () => {
    t.ctx.clock.set(new Date(TEST_START.getTime() + (DIGEST_HOUR - 9) * HOUR))
    assert.equal(await queueDailyDigests(t.ctx.readers, DIGEST_HOUR), 2)
    await t.ctx.jobs.runDue()
    const email = await smtp.waitFor((m) => m.subject.includes('daily digest'))
    assert.deepEqual(email.to, ['digest@example.org'])
    assert.equal(email.subject, 'Dateline Test daily digest, 2 March 2026: 2 new stories')
    const canal = email.text.indexOf('Canal reopens after the grounding')
    const ship = email.text.indexOf('Freight costs < forecast & "rising"')
    assert.ok(canal >= 0 && ship > canal, 'both stories, newest first, as plain text')
    assert.match(email.text, /http:\/\/news\.test\/world\/canal-reopens-after-the-grounding/)
    assert.match(email.html, /<a href="http:\/\/news\.test\/world\/canal-reopens-after-the-grounding"/)
    assert.match(email.html, /Freight costs &lt; forecast &amp; &quot;rising&quot;/)
    assert.doesNotMatch(email.html, /Freight costs </)
    assert.match(
      email.headers['list-unsubscribe'] ?? '',
      /^<http:\/\/news\.test\/account\/unsubscribe\/[\w-]+>$/,
    )
    assert.equal(email.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click')
    assert.match(
      email.headers['message-id'] ?? '',
      new RegExp(`^<digest\\.${digestReader}\\.2026-03-02@news\\.test>$`),
    )
    assert.equal(digests().length, 1, 'the reader with nothing new gets no digest')
  })

  it('never sends the same day’s digest twice: not on the next tick, a restart or another node', async () => {
    t.ctx.clock.advance(HOUR)
    assert.equal(await queueDailyDigests(t.ctx.readers, DIGEST_HOUR), 0, 'the day’s jobs exist already')
    // Another node, or a run after the finished jobs were pruned, queues the day again: the digest row stops it.
    await t.ctx.handle.db.deleteFrom('job').where('type', '=', DAILY_DIGEST_JOB).execute()
    assert.equal(await queueDailyDigests(t.ctx.readers, DIGEST_HOUR), 2)
    await t.ctx.jobs.runDue()
    assert.equal(digests().length, 1)
    assert.deepEqual(await countJobs(t.ctx.handle.db, DAILY_DIGEST_JOB), { open: 0, done: 2, failed: 0 })
  })

  it('lists only what came since the last digest the next day, and sends none on a day with nothing', async () => {
    t.ctx.clock.set(new Date(TEST_START.getTime() + 20 * HOUR))
    await publish('Lifeboat crew honoured for night rescue')
    t.ctx.clock.set(new Date(TEST_START.getTime() + 25 * HOUR))
    assert.equal(await queueDailyDigests(t.ctx.readers, DIGEST_HOUR), 2)
    await t.ctx.jobs.runDue()
    const second = await smtp.waitFor((m) => m.subject.includes('3 March 2026'))
    assert.equal(second.subject, 'Dateline Test daily digest, 3 March 2026: 1 new story')
    assert.match(second.text, /Lifeboat crew honoured for night rescue/)
    assert.doesNotMatch(second.text, /Canal reopens/)

    t.ctx.clock.set(new Date(TEST_START.getTime() + 49 * HOUR))
    assert.equal(await queueDailyDigests(t.ctx.readers, DIGEST_HOUR), 2)
    await t.ctx.jobs.runDue()
    assert.equal(digests().length, 2, 'no digest on a day without stories')
  })

  it('sends no digest after the reader switched to immediate email', async () => {
    await t.ctx.handle.db
      .updateTable('reader')
      .set({ email_frequency: 'immediately' })
      .where('id', '=', digestReader)
      .execute()
    t.ctx.clock.set(new Date(TEST_START.getTime() + 72 * HOUR))
    await publish('Harbour dredging finishes early')
    await t.ctx.jobs.runDue()
    const before = digests().length
    t.ctx.clock.advance(2 * HOUR)
    await queueDailyDigests(t.ctx.readers, DIGEST_HOUR)
    await t.ctx.jobs.runDue()
    assert.equal(digests().length, before)
    await smtp.waitFor((m) => m.subject === 'Shipping: Harbour dredging finishes early')
  })
})
