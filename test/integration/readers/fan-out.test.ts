import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { sql } from '#kysely'
import {
  findArticleById,
  publishArticle,
  unpublishArticle,
  updateArticle,
  type ArticleView,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { countJobs } from '../../../src/modules/queue/index.js'
import {
  countUnread,
  followTarget,
  listNotifications,
  MAILING_BLOCK_SIZE,
  markNotificationsRead,
  NOTIFICATION_CONSUMER,
  processStoryEvents,
  setEmailFrequency,
  STORY_MAILING_JOB,
} from '../../../src/modules/readers/index.js'
import { createTopic, type Section, type Topic } from '../../../src/modules/taxonomy/index.js'
import { aSection, anArticle, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

forEachDialect('notification fan-out', (dialect) => {
  let ctx: TestContext
  let editor: Actor
  let shipping: Topic
  let weather: Topic
  let world: Section
  let readerSeq = 0

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
    shipping = await createTopic(ctx.taxonomy, { name: 'Shipping' })
    weather = await createTopic(ctx.taxonomy, { name: 'Weather' })
    world = await aSection(ctx, 'world')
    await aSection(ctx, 'business')
  })
  after(() => ctx.destroy())

  async function aReader(): Promise<number> {
    readerSeq += 1
    const row = await ctx.handle.db
      .insertInto('reader')
      .values({
        email: `reader${readerSeq}@example.org`,
        email_frequency: 'immediately',
        unsubscribe_token: `unsubscribe-token-${readerSeq}-${'x'.repeat(24)}`,
        created_at: ctx.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }

  async function published(overrides: Parameters<typeof anArticle>[2] = {}): Promise<ArticleView> {
    const draft = await anArticle(ctx, editor, { section: 'world', topics: ['Shipping'], ...overrides })
    return publishArticle(ctx.articles, editor, draft.id)
  }

  const notificationsOf = async (articleId: number) =>
    (
      await ctx.handle.db
        .selectFrom('notification')
        .select('reader_id')
        .where('article_id', '=', articleId)
        .orderBy('reader_id')
        .execute()
    ).map((r) => r.reader_id)

  /** Runs the queued jobs, then lists who has been emailed about the story (one entry per email). */
  const emailedAbout = async (articleId: number) => {
    await ctx.jobs.runDue()
    return ctx.mail.sent
      .map((email) => ({
        email,
        ids: /^<(?:new-story|story-update)\.(\d+)\.(\d+)[.@]/.exec(email.messageId ?? ''),
      }))
      .filter(({ ids }) => Number(ids?.[2]) === articleId)
      .map(({ email, ids }) => ({ readerId: Number(ids?.[1]), subject: email.subject }))
      .sort((a, b) => a.readerId - b.readerId)
  }

  it('notifies each reader once per story however many of their follows it matches', async () => {
    const everything = await aReader()
    await followTarget(ctx.readers, everything, { kind: 'topic', targetId: shipping.id })
    await followTarget(ctx.readers, everything, { kind: 'topic', targetId: weather.id })
    await followTarget(ctx.readers, everything, { kind: 'author', targetId: editor.userId })
    await followTarget(ctx.readers, everything, { kind: 'section', targetId: world.id })
    const sectionOnly = await aReader()
    await followTarget(ctx.readers, sectionOnly, { kind: 'section', targetId: world.id })
    const unrelated = await aReader()
    await followTarget(ctx.readers, unrelated, { kind: 'topic', targetId: weather.id })

    const story = await published({ topics: ['Shipping', 'Weather'] })
    const totals = await processStoryEvents(ctx.readers)
    assert.equal(totals.notified, 3)
    assert.deepEqual(await notificationsOf(story.id), [everything, sectionOnly, unrelated])
    assert.equal(totals.emailsQueued, 3)
    assert.equal(await countUnread(ctx.handle.db, everything), 1)
    assert.deepEqual(
      (await emailedAbout(story.id)).map((e) => e.readerId),
      [everything, sectionOnly, unrelated],
      'one email each, however many follows matched',
    )
  })

  it('gives a reader following both the story’s topic and its author one notification and one email', async () => {
    const reader = await aReader()
    await followTarget(ctx.readers, reader, { kind: 'topic', targetId: shipping.id })
    await followTarget(ctx.readers, reader, { kind: 'author', targetId: editor.userId })
    const story = await published({
      headline: 'Pilot boats return to the estuary',
      authorIds: [editor.userId],
    })
    await processStoryEvents(ctx.readers)
    assert.equal(
      (await listNotifications(ctx.handle.db, reader)).filter((n) => n.articleId === story.id).length,
      1,
    )
    const emails = (await emailedAbout(story.id)).filter((e) => e.readerId === reader)
    assert.deepEqual(emails, [{ readerId: reader, subject: 'Shipping: Pilot boats return to the estuary' }])
  })

  it('duplicates nothing when a restart processes the same events again', async () => {
    const reader = await aReader()
    await followTarget(ctx.readers, reader, { kind: 'topic', targetId: shipping.id })
    const before = await ctx.handle.db
      .selectFrom('event_cursor')
      .select('last_event_id')
      .where('consumer', '=', NOTIFICATION_CONSUMER)
      .executeTakeFirstOrThrow()
    const story = await published()
    await processStoryEvents(ctx.readers)
    const notified = await notificationsOf(story.id)
    const jobs = await countJobs(ctx.handle.db, STORY_MAILING_JOB)
    assert.ok(notified.includes(reader))

    // A crash after the fan-out committed but as if the cursor had not moved: all of it runs again.
    await ctx.handle.db
      .updateTable('event_cursor')
      .set({ last_event_id: before.last_event_id })
      .where('consumer', '=', NOTIFICATION_CONSUMER)
      .execute()
    const again = await processStoryEvents(ctx.readers)
    assert.ok(again.events > 0)
    assert.equal(again.notified, 0)
    assert.equal(again.emailsQueued, 0)
    assert.deepEqual(await notificationsOf(story.id), notified)
    assert.deepEqual(await countJobs(ctx.handle.db, STORY_MAILING_JOB), jobs)
    assert.deepEqual(
      (await emailedAbout(story.id)).filter((e) => e.readerId === reader).length,
      1,
      'and the reader is emailed once',
    )
  })

  it('notifies no one again when a story is unpublished and published again', async () => {
    const reader = await aReader()
    await followTarget(ctx.readers, reader, { kind: 'topic', targetId: shipping.id })
    const story = await published()
    await processStoryEvents(ctx.readers)
    await markNotificationsRead(ctx.handle.db, reader, ctx.clock.now())
    const down = await unpublishArticle(ctx.articles, editor, story.id)
    await publishArticle(ctx.articles, editor, down.id)
    const totals = await processStoryEvents(ctx.readers)
    assert.equal(totals.notified, 0)
    assert.equal(await countUnread(ctx.handle.db, reader), 0)
  })

  it('queues no email for a reader who turned email off, but still shows the notification', async () => {
    const quiet = await aReader()
    await followTarget(ctx.readers, quiet, { kind: 'topic', targetId: weather.id })
    await setEmailFrequency(ctx.readers, quiet, 'off')
    const story = await published({ topics: ['Weather'], section: 'business' })
    await processStoryEvents(ctx.readers)
    assert.ok((await notificationsOf(story.id)).includes(quiet))
    assert.deepEqual(
      (await emailedAbout(story.id)).filter((e) => e.readerId === quiet),
      [],
    )
  })

  it('sends no queued email to a reader who turned email off after the fan-out', async () => {
    const reader = await aReader()
    const changedMind = await aReader()
    for (const id of [reader, changedMind])
      await followTarget(ctx.readers, id, { kind: 'topic', targetId: weather.id })
    const story = await published({ topics: ['Weather'], section: 'business' })
    await processStoryEvents(ctx.readers)
    await setEmailFrequency(ctx.readers, changedMind, 'daily')
    assert.deepEqual(
      (await emailedAbout(story.id))
        .map((e) => e.readerId)
        .filter((id) => id === reader || id === changedMind),
      [reader],
    )
  })

  it('notifies no one of a story taken down before the fan-out ran', async () => {
    const reader = await aReader()
    await followTarget(ctx.readers, reader, { kind: 'topic', targetId: shipping.id })
    const story = await published()
    await unpublishArticle(ctx.articles, editor, story.id)
    await processStoryEvents(ctx.readers)
    assert.deepEqual(await notificationsOf(story.id), [])
  })

  it('notifies on publication only, not on updates of a story that is not breaking', async () => {
    const reader = await aReader()
    await followTarget(ctx.readers, reader, { kind: 'topic', targetId: shipping.id })
    const story = await published()
    await processStoryEvents(ctx.readers)
    await markNotificationsRead(ctx.handle.db, reader, ctx.clock.now())
    await updateArticle(ctx.articles, editor, story.id, {
      version: story.version,
      headline: 'Ferry back in port',
    })
    await processStoryEvents(ctx.readers)
    assert.equal(await countUnread(ctx.handle.db, reader), 0)
  })

  it('tells followers again when a breaking story is substantively updated, at most one email an hour', async () => {
    const reader = await aReader()
    await followTarget(ctx.readers, reader, { kind: 'topic', targetId: shipping.id })
    let story = await published({ headline: 'Tanker aground off the cape', breaking: true })
    await processStoryEvents(ctx.readers)
    await markNotificationsRead(ctx.handle.db, reader, ctx.clock.now())
    const updateEmails = async () =>
      (await emailedAbout(story.id)).filter((e) => e.readerId === reader && e.subject.startsWith('Update: '))
    assert.equal((await emailedAbout(story.id)).filter((e) => e.readerId === reader).length, 1)

    ctx.clock.advance(60_000)
    story = await updateArticle(ctx.articles, editor, story.id, {
      version: story.version,
      updateKind: 'minor',
      byline: 'Desk',
    })
    await processStoryEvents(ctx.readers)
    assert.equal(await countUnread(ctx.handle.db, reader), 0, 'a minor fix tells no one')

    story = await updateArticle(ctx.articles, editor, story.id, {
      version: story.version,
      keyPoints: ['Crew of 20 taken off by helicopter'],
    })
    await processStoryEvents(ctx.readers)
    assert.equal(await countUnread(ctx.handle.db, reader), 1, 'the notification is unread again')
    assert.equal(
      (await listNotifications(ctx.handle.db, reader)).filter((n) => n.articleId === story.id).length,
      1,
    )
    const first = await updateEmails()
    assert.deepEqual(first, [{ readerId: reader, subject: 'Update: Shipping: Tanker aground off the cape' }])

    story = await updateArticle(ctx.articles, editor, story.id, {
      version: story.version,
      bodyHtml: '<p>Oil seen.</p>',
    })
    await processStoryEvents(ctx.readers)
    assert.equal((await updateEmails()).length, 1, 'a second update within the hour sends no second email')

    ctx.clock.advance(60 * 60_000)
    story = await updateArticle(ctx.articles, editor, story.id, {
      version: story.version,
      bodyHtml: '<p>Salvage.</p>',
    })
    await processStoryEvents(ctx.readers)
    assert.equal((await updateEmails()).length, 2, 'the next hour may send another')

    await updateArticle(ctx.articles, editor, story.id, { version: story.version, breaking: false })
    await markNotificationsRead(ctx.handle.db, reader, ctx.clock.now())
    ctx.clock.advance(60 * 60_000)
    const calm = await findArticleById(ctx.handle.db, story.id)
    await updateArticle(ctx.articles, editor, story.id, {
      version: calm!.version,
      bodyHtml: '<p>Towed away.</p>',
    })
    await processStoryEvents(ctx.readers)
    assert.equal(await countUnread(ctx.handle.db, reader), 0, 'no longer breaking: updates tell no one')
  })

  it('lists a reader’s notifications newest first, leaving out stories taken down', async () => {
    const reader = await aReader()
    await followTarget(ctx.readers, reader, { kind: 'section', targetId: world.id })
    const first = await published({ headline: 'First harbour story' })
    ctx.clock.advance(60_000)
    const second = await published({ headline: 'Second harbour story' })
    ctx.clock.advance(60_000)
    const removed = await published({ headline: 'Story to be removed' })
    await processStoryEvents(ctx.readers)
    await unpublishArticle(ctx.articles, editor, removed.id)
    const list = await listNotifications(ctx.handle.db, reader)
    assert.deepEqual(
      list.map((n) => n.articleId),
      [second.id, first.id],
    )
    assert.equal(list[0]?.path, `/world/${second.slug}`)
    assert.equal(await countUnread(ctx.handle.db, reader), 2)
  })

  it('fans a story out to 5,000 followers, one notification and one queued email each', async () => {
    const topic = await createTopic(ctx.taxonomy, { name: 'Elections' })
    const now = ctx.clock.now()
    // Readers and follows made in bulk; the fan-out under test is the interesting part.
    await sql`insert into reader (email, email_frequency, unsubscribe_token, created_at)
      select 'bulk' || cast(n as text) || '@example.org', 'immediately', 'bulk-token-' || cast(n as text), ${dialect === 'postgres' ? sql`cast(${now} as timestamptz)` : sql`${now}`}
      from (${numbers(dialect, 5000)}) as numbers`.execute(ctx.handle.db)
    await sql`insert into follow (reader_id, kind, target_id, created_at)
      select id, 'topic', ${topic.id}, created_at from reader where email like 'bulk%'`.execute(ctx.handle.db)
    const story = await published({ topics: ['Elections'], section: 'business', authorIds: [] })
    const started = performance.now()
    const totals = await processStoryEvents(ctx.readers)
    const ms = performance.now() - started
    assert.equal(totals.notified, 5000)
    assert.equal(totals.emailsQueued, 5000)
    assert.equal((await notificationsOf(story.id)).length, 5000)
    assert.ok(ms < 5000, `fan-out took ${Math.round(ms)} ms`)
    const mailing = await ctx.handle.db
      .selectFrom('story_mailing')
      .select('id')
      .where('article_id', '=', story.id)
      .executeTakeFirstOrThrow()
    const blocks = await ctx.handle.db
      .selectFrom('job')
      .select('id')
      .where('dedupe_key', 'like', `${STORY_MAILING_JOB}:${mailing.id}:%`)
      .execute()
    assert.equal(blocks.length, 5000 / MAILING_BLOCK_SIZE, 'one email job per block of readers')
  })
})

/** The numbers 1..n as a derived table with one column, n. */
function numbers(dialect: 'sqlite' | 'postgres', n: number) {
  return dialect === 'postgres'
    ? sql`select generate_series(1, ${n}) as n`
    : sql`with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${n}) select n from seq`
}
