import assert from 'node:assert/strict'
import { after, before, beforeEach, it } from 'node:test'
import type { Actor } from '../../../src/modules/auth/index.js'
import {
  completeSignIn,
  peekSignInLink,
  findReaderBySession,
  followTarget,
  listFollowKeys,
  listFollows,
  requestSignInLink,
  unfollowTarget,
  type FollowTarget,
} from '../../../src/modules/readers/index.js'
import { createTopic, type Section, type Topic } from '../../../src/modules/taxonomy/index.js'
import { AppError } from '../../../src/platform/app-error.js'
import { aSection, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { linkIn } from '../../support/mail.js'

forEachDialect('reader sign-in and follows', (dialect) => {
  let ctx: TestContext
  let shipping: Topic
  let weather: Topic
  let world: Section
  let author: Actor & { user: { slug: string } }

  before(async () => {
    ctx = await createTestContext(dialect)
    shipping = await createTopic(ctx.taxonomy, { name: 'Shipping' })
    weather = await createTopic(ctx.taxonomy, { name: 'Weather' })
    world = await aSection(ctx, 'world')
    author = await anEditor(ctx, { displayName: 'Maria Lindqvist' })
  })
  after(() => ctx.destroy())
  beforeEach(() => {
    ctx.mail.sent.length = 0
  })

  /** Asks for a link and returns the token the email carried. */
  async function linkFor(email: string, extra: { returnTo?: string; follow?: FollowTarget } = {}) {
    await requestSignInLink(ctx.readers, { email, ...extra })
    const sent = ctx.mail.sent.at(-1)
    assert.ok(sent, 'a sign-in email was sent')
    const link = linkIn(sent.text, 'http://news.test/account/verify?token=')
    assert.ok(link, `the email carries a sign-in link: ${sent.text}`)
    return new URL(link).searchParams.get('token') ?? ''
  }

  it('emails a one-time link whose token is stored only as a hash', async () => {
    const token = await linkFor('Ana@Example.org')
    assert.equal(ctx.mail.sent[0]?.to, 'ana@example.org')
    const rows = await ctx.handle.db.selectFrom('reader_login_token').selectAll().execute()
    assert.ok(rows.length > 0)
    for (const row of rows) {
      assert.notEqual(row.token_hash, token)
      assert.equal(JSON.stringify(row).includes(token), false, 'no column holds the token')
    }
  })

  it('signs in once with the link, creating the reader, and refuses the same link again', async () => {
    const token = await linkFor('ben@example.org', { returnTo: '/world/ferry-rescue' })
    assert.deepEqual(await peekSignInLink(ctx.readers, token), { email: 'ben@example.org' })
    assert.deepEqual(
      await peekSignInLink(ctx.readers, token),
      { email: 'ben@example.org' },
      'looking spends nothing',
    )
    const signedIn = await completeSignIn(ctx.readers, token)
    assert.ok(signedIn)
    assert.equal(signedIn.reader.email, 'ben@example.org')
    assert.equal(signedIn.returnTo, '/world/ferry-rescue')
    assert.equal((await findReaderBySession(ctx.readers, signedIn.sessionId))?.id, signedIn.reader.id)
    assert.equal(await completeSignIn(ctx.readers, token), undefined)
    assert.equal(await peekSignInLink(ctx.readers, token), undefined)
  })

  it('refuses a link after 15 minutes', async () => {
    const token = await linkFor('cho@example.org')
    ctx.clock.advance(15 * 60 * 1000 + 1)
    assert.equal(await peekSignInLink(ctx.readers, token), undefined)
    assert.equal(await completeSignIn(ctx.readers, token), undefined)
  })

  it('signs the same reader in again rather than creating a second one', async () => {
    const first = await completeSignIn(ctx.readers, await linkFor('dee@example.org'))
    const second = await completeSignIn(ctx.readers, await linkFor('DEE@example.org'))
    assert.equal(first?.reader.id, second?.reader.id)
  })

  it('completes the follow a link carries, and ignores an unsafe return address', async () => {
    const target = { kind: 'topic', targetId: shipping.id } as const
    const token = await linkFor('eve@example.org', { follow: target, returnTo: '//evil.example/' })
    assert.match(ctx.mail.sent.at(-1)?.text ?? '', /and follow Shipping/)
    const signedIn = await completeSignIn(ctx.readers, token)
    assert.deepEqual(signedIn?.followed, target)
    assert.equal(signedIn?.returnTo, undefined)
    assert.deepEqual([...(await listFollowKeys(ctx.handle.db, signedIn.reader.id))], [`topic:${shipping.id}`])
  })

  it('sends no more than five links an hour to one address, answering the same way', async () => {
    for (let i = 0; i < 7; i++) await requestSignInLink(ctx.readers, { email: 'flood@example.org' })
    assert.equal(ctx.mail.sent.filter((m) => m.to === 'flood@example.org').length, 5)
    ctx.clock.advance(60 * 60 * 1000 + 1)
    await requestSignInLink(ctx.readers, { email: 'flood@example.org' })
    assert.equal(ctx.mail.sent.filter((m) => m.to === 'flood@example.org').length, 6)
  })

  it('refuses an address that is not one', async () => {
    await assert.rejects(
      requestSignInLink(ctx.readers, { email: 'not-an-address' }),
      (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT',
    )
    assert.equal(ctx.mail.sent.length, 0)
  })

  it('follows topics, authors and sections once each, lists them by name, and unfollows', async () => {
    const signedIn = await completeSignIn(ctx.readers, await linkFor('fay@example.org'))
    assert.ok(signedIn)
    const readerId = signedIn.reader.id
    const targets: FollowTarget[] = [
      { kind: 'topic', targetId: weather.id },
      { kind: 'author', targetId: author.userId },
      { kind: 'section', targetId: world.id },
    ]
    for (const target of targets) {
      await followTarget(ctx.readers, readerId, target)
      await followTarget(ctx.readers, readerId, target)
    }
    const follows = await listFollows(ctx.handle.db, readerId)
    assert.deepEqual(
      follows.map((f) => [f.kind, f.name, f.path]),
      [
        ['topic', 'Weather', `/topic/${weather.slug}`],
        ['author', 'Maria Lindqvist', `/author/${author.user.slug}`],
        ['section', 'World', '/world'],
      ],
    )
    await unfollowTarget(ctx.readers, readerId, targets[0]!)
    await unfollowTarget(ctx.readers, readerId, targets[0]!)
    assert.equal((await listFollows(ctx.handle.db, readerId)).length, 2)
    assert.deepEqual(
      (await listFollows(ctx.handle.db, readerId)).map((f) => [f.kind, f.name]),
      [
        ['author', 'Maria Lindqvist'],
        ['section', 'World'],
      ],
      'the topic, and only the topic, is unfollowed',
    )
  })

  it('refuses to follow what does not exist', async () => {
    const signedIn = await completeSignIn(ctx.readers, await linkFor('gus@example.org'))
    assert.ok(signedIn)
    await assert.rejects(
      followTarget(ctx.readers, signedIn.reader.id, { kind: 'topic', targetId: 999_999 }),
      (error: unknown) => error instanceof AppError && error.code === 'NOT_FOUND',
    )
  })

  it('ends a session after 30 days', async () => {
    const signedIn = await completeSignIn(ctx.readers, await linkFor('hal@example.org'))
    assert.ok(signedIn)
    ctx.clock.advance(30 * 24 * 60 * 60 * 1000 + 1)
    assert.equal(await findReaderBySession(ctx.readers, signedIn.sessionId), undefined)
  })
})
