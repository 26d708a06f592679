import assert from 'node:assert/strict'
import { after, before, beforeEach, it } from 'node:test'
import { generateVapidKeys } from '../../../src/adapters/push/web-push-crypto.js'
import { createContext } from '../../../src/main/context.js'
import { publishArticle, unpublishArticle } from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import {
  followTarget,
  NEW_STORY_PUSH_JOB,
  parsePushSubscription,
  processStoryEvents,
  savePushSubscription,
} from '../../../src/modules/readers/index.js'
import { createTopic, type Topic } from '../../../src/modules/taxonomy/index.js'
import {
  aSection,
  anArticle,
  anEditor,
  createTestContext,
  testConfig,
  type TestContext,
} from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import {
  startPushService,
  type BrowserSubscription,
  type TestPushService,
} from '../../support/push-service.js'

/**
 * Web Push end to end over HTTP: the job runner encrypts and signs each push, and the
 * push service on loopback verifies the VAPID JWT against our public key and decrypts
 * the payload with the keys of the browser it made up, as a real one would.
 */
forEachDialect('web push', (dialect) => {
  let ctx: TestContext
  let editor: Actor
  let shipping: Topic
  let service: TestPushService
  let readerSeq = 0

  before(async () => {
    ctx = await createTestContext(dialect, { allowHttpPushEndpoints: true })
    service = await startPushService()
    editor = await anEditor(ctx)
    shipping = await createTopic(ctx.taxonomy, { name: 'Shipping' })
    await aSection(ctx, 'world')
  })
  after(async () => {
    await ctx?.destroy()
    await service?.close()
  })
  beforeEach(() => {
    service.received.length = 0
    service.refused.length = 0
  })

  async function aSubscribedReader(
    browsers = 1,
  ): Promise<{ readerId: number; subscriptions: BrowserSubscription[] }> {
    readerSeq += 1
    const row = await ctx.handle.db
      .insertInto('reader')
      .values({
        email: `push${readerSeq}@example.org`,
        email_frequency: 'off',
        unsubscribe_token: `unsubscribe-token-push-${readerSeq}-${'x'.repeat(24)}`,
        created_at: ctx.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await followTarget(ctx.readers, row.id, { kind: 'topic', targetId: shipping.id })
    const subscriptions: BrowserSubscription[] = []
    for (let i = 0; i < browsers; i++) {
      const browser = service.subscribe()
      await savePushSubscription(
        ctx.readers,
        row.id,
        parsePushSubscription(
          { endpoint: browser.endpoint, p256dh: browser.keys.p256dh, auth: browser.keys.auth },
          { allowHttp: true },
        ),
      )
      subscriptions.push(browser)
    }
    return { readerId: row.id, subscriptions }
  }

  async function publishShippingStory(headline: string) {
    const draft = await anArticle(ctx, editor, { section: 'world', topics: ['Shipping'], headline })
    const story = await publishArticle(ctx.articles, editor, draft.id)
    await processStoryEvents(ctx.readers)
    return story
  }

  const subscriptionCount = async (endpoint: string) =>
    (
      await ctx.handle.db
        .selectFrom('push_subscription')
        .select('id')
        .where('endpoint', '=', endpoint)
        .execute()
    ).length

  it('pushes a new story to every browser a follower subscribed, signed and encrypted for each', async () => {
    const { subscriptions } = await aSubscribedReader(2)
    const story = await publishShippingStory('Tanker refloated off the northern cape')
    assert.deepEqual(await ctx.jobs.runDue(), { done: 2, retried: 0, failed: 0 })
    assert.deepEqual(service.refused, [])
    assert.deepEqual(
      service.received.map((p) => p.endpoint).sort(),
      subscriptions.map((s) => s.endpoint).sort(),
    )
    for (const push of service.received) {
      assert.equal(push.vapidKey, ctx.readers.push?.publicKey)
      assert.equal(push.claims.aud, service.origin)
      assert.equal(push.claims.sub, 'mailto:no-reply@news.test')
      assert.equal(push.ttl, String(12 * 60 * 60))
      assert.deepEqual(push.payload, {
        title: 'New on Shipping',
        body: 'Tanker refloated off the northern cape',
        url: `/world/${story.slug}`,
        tag: `story-${story.id}`,
      })
    }
  })

  it('forgets a subscription the push service says is gone, and pushes to it no more', async () => {
    const { subscriptions } = await aSubscribedReader(2)
    const [gone, kept] = [subscriptions[0]!, subscriptions[1]!]
    service.answer(gone.endpoint, 410)
    await publishShippingStory('Port strike called off')
    const totals = await ctx.jobs.runDue()
    assert.equal(totals.failed + totals.retried, 0)
    assert.equal(await subscriptionCount(gone.endpoint), 0)
    assert.equal(await subscriptionCount(kept.endpoint), 1)
    assert.ok(service.received.some((p) => p.endpoint === kept.endpoint))

    service.received.length = 0
    await publishShippingStory('Second port strike averted')
    await ctx.jobs.runDue()
    assert.deepEqual(
      service.received
        .filter((p) => p.endpoint === gone.endpoint || p.endpoint === kept.endpoint)
        .map((p) => p.endpoint),
      [kept.endpoint],
    )
  })

  it('tries again later when the push service is busy, and keeps the subscription', async () => {
    const { subscriptions } = await aSubscribedReader(1)
    const browser = subscriptions[0]!
    service.answer(browser.endpoint, 503)
    await publishShippingStory('Ferry delayed by fog')
    const totals = await ctx.jobs.runDue()
    assert.equal(totals.retried >= 1, true)
    const job = await ctx.handle.db
      .selectFrom('job')
      .select(['last_error', 'done_at'])
      .where('type', '=', NEW_STORY_PUSH_JOB)
      .where('last_error', 'is not', null)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.match(job.last_error ?? '', /answered 503/)
    assert.doesNotMatch(job.last_error ?? '', /\/push\//, 'the secret endpoint path stays out of the error')
    assert.equal(await subscriptionCount(browser.endpoint), 1)
  })

  it('sends nothing for a story taken down before its push went out', async () => {
    await aSubscribedReader(1)
    const story = await publishShippingStory('Report withdrawn before sending')
    await unpublishArticle(ctx.articles, editor, story.id)
    await ctx.jobs.runDue()
    assert.equal(service.received.length, 0)
  })

  it('keeps one VAPID key pair across restarts, and takes the configured one instead when given', async () => {
    const again = await createContext(testConfig({ db: ctx.database.config }), { migrate: false })
    try {
      assert.equal(again.readers.push?.publicKey, ctx.readers.push?.publicKey)
    } finally {
      await again.close()
    }
    const pair = generateVapidKeys()
    const own = { VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey }
    const configured = await createContext(testConfig({ db: ctx.database.config, env: own }), {
      migrate: false,
    })
    try {
      assert.equal(configured.readers.push?.publicKey, own.VAPID_PUBLIC_KEY)
    } finally {
      await configured.close()
    }
    const mismatched = { ...own, VAPID_PRIVATE_KEY: generateVapidKeys().privateKey }
    await assert.rejects(
      createContext(testConfig({ db: ctx.database.config, env: mismatched }), { migrate: false }),
      /VAPID_PRIVATE_KEY: the public key is not the private key/,
    )
  })
})

it('refuses push subscriptions that are not https or carry malformed keys, naming each field', () => {
  assert.throws(
    () => parsePushSubscription({ endpoint: 'http://push.example/abc', p256dh: 'abc', auth: '' }),
    (error: Error) =>
      /endpoint: must be an https URL/.test(error.message) &&
      /keys\.p256dh:/.test(error.message) &&
      /keys\.auth:/.test(error.message),
  )
})
