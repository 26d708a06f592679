import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { aUser, TEST_PASSWORD } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { attemptSignIn, testApp, type TestApp } from '../support/http.js'

const WRONG = 'not-the-password-at-all'
// The production limits (SIGN_IN_LIMITS), spelled out: they are the contract under test.
const PER_ACCOUNT = 10
const PER_ADDRESS = 100
const WINDOW_MS = 15 * 60 * 1000

forEachDialect('staff sign-in limits', (dialect) => {
  let t: TestApp
  // Each test signs in from addresses of its own: the address counts last the whole file.
  let nextAddress = 0
  const anAddress = () => `198.51.100.${++nextAddress}`
  const statuses = async (attempts: Promise<LightMyRequestResponse>[]) =>
    (await Promise.all(attempts)).map((res) => res.statusCode)

  before(async () => {
    t = await testApp(dialect)
  })
  after(() => t.close())

  const signIn = (email: string, password: string, address: string) =>
    attemptSignIn(t.app, { email, password, address })

  it('lets eleven correct sign-ins in a row through: only failures count', async () => {
    // Limits below eleven, on the account and the address, so a success counted on either shows.
    const app = await t.another({ signInLimits: { perAccount: 3, perAddress: 3, windowMs: WINDOW_MS } })
    const { user } = await aUser(t.ctx, 'editor')
    const address = anAddress()
    const seen: number[] = []
    for (let i = 0; i < 11; i++)
      seen.push(
        (await attemptSignIn(app, { email: user.email, password: TEST_PASSWORD, address })).statusCode,
      )
    assert.deepEqual(seen, Array<number>(11).fill(200))
  })

  it('locks an account after ten failures, the right password included, with the answer an unknown account gets', async () => {
    const { user } = await aUser(t.ctx, 'editor')
    const address = anAddress()
    const failures = async (email: string) => {
      const seen: number[] = []
      for (let i = 0; i < PER_ACCOUNT; i++) seen.push((await signIn(email, WRONG, address)).statusCode)
      return seen
    }
    assert.deepEqual(await failures(user.email), Array<number>(10).fill(401))
    const locked = await signIn(user.email, TEST_PASSWORD, address)
    assert.equal(locked.statusCode, 429)
    assert.equal(locked.json<{ code: string }>().code, 'RATE_LIMITED')
    assert.equal(locked.headers['retry-after'], String(WINDOW_MS / 1000))
    assert.equal(
      locked.cookies.find((c) => c.name === 'dateline_session'),
      undefined,
    )

    assert.deepEqual(await failures('nobody-here@newsroom.test'), Array<number>(10).fill(401))
    const unknown = await signIn('nobody-here@newsroom.test', TEST_PASSWORD, address)
    assert.equal(unknown.statusCode, 429)
    assert.equal(unknown.body, locked.body)
    assert.equal(unknown.headers['retry-after'], locked.headers['retry-after'])
  })

  it('counts an account by its email whatever its case and spacing, and from every address', async () => {
    const { user } = await aUser(t.ctx, 'editor')
    const shouted = `  ${user.email.toUpperCase()} `
    for (let i = 0; i < PER_ACCOUNT; i++)
      assert.equal((await signIn(i % 2 ? shouted : user.email, WRONG, anAddress())).statusCode, 401)
    assert.equal((await signIn(user.email, TEST_PASSWORD, anAddress())).statusCode, 429)
  })

  it('leaves another account signing in from the address that locked one', async () => {
    const { user: locked } = await aUser(t.ctx, 'editor')
    const { user: colleague } = await aUser(t.ctx, 'contributor')
    const address = anAddress()
    for (let i = 0; i < PER_ACCOUNT; i++) await signIn(locked.email, WRONG, address)
    assert.equal((await signIn(locked.email, TEST_PASSWORD, address)).statusCode, 429)
    assert.equal((await signIn(colleague.email, TEST_PASSWORD, address)).statusCode, 200)
  })

  it('clears an account’s failures when it signs in', async () => {
    const { user } = await aUser(t.ctx, 'editor')
    const address = anAddress()
    for (let i = 0; i < PER_ACCOUNT - 1; i++) await signIn(user.email, WRONG, address)
    assert.equal((await signIn(user.email, TEST_PASSWORD, address)).statusCode, 200)
    const seen: number[] = []
    for (let i = 0; i < PER_ACCOUNT + 1; i++) seen.push((await signIn(user.email, WRONG, address)).statusCode)
    assert.deepEqual(seen, [...Array<number>(10).fill(401), 429])
  })

  it('checks no more passwords than the limit when failures on one account arrive all at once', async () => {
    const { user } = await aUser(t.ctx, 'editor')
    const burst = Array.from({ length: 20 }, () => signIn(user.email, WRONG, anAddress()))
    const seen = await statuses(burst)
    assert.equal(seen.filter((s) => s === 401).length, PER_ACCOUNT, seen.join(' '))
    assert.equal(seen.filter((s) => s === 429).length, 10, seen.join(' '))
  })

  it('answers a burst of right and wrong passwords on one account without an error', async () => {
    // Successes and failures take the same rows in the same order, so neither database deadlocks.
    const { user } = await aUser(t.ctx, 'editor')
    const address = anAddress()
    const burst = Array.from({ length: 24 }, (_, i) =>
      signIn(user.email, i % 3 ? TEST_PASSWORD : WRONG, i % 2 ? address : anAddress()),
    )
    const seen = await statuses(burst)
    assert.ok(
      seen.every((s) => s === 200 || s === 401 || s === 429),
      seen.join(' '),
    )
    assert.ok(seen.includes(200), seen.join(' '))
  })

  it('stops one address spraying failures over many accounts, and no other address', async () => {
    const { user } = await aUser(t.ctx, 'editor')
    const sprayer = anAddress()
    const seen: number[] = []
    for (let i = 0; i < PER_ADDRESS; i++)
      seen.push((await signIn(`guess${i}@newsroom.test`, 'Summer2025!', sprayer)).statusCode)
    assert.deepEqual(seen, Array<number>(100).fill(401))
    const refused = await signIn(user.email, TEST_PASSWORD, sprayer)
    assert.equal(refused.statusCode, 429)
    assert.ok(Number(refused.headers['retry-after']) > 0)
    assert.equal((await signIn(user.email, TEST_PASSWORD, anAddress())).statusCode, 200)
  })

  it('counts the addresses of one IPv6 /64 as one client address', async () => {
    const app = await t.another({ signInLimits: { perAccount: 10, perAddress: 3, windowMs: WINDOW_MS } })
    const { user } = await aUser(t.ctx, 'editor')
    const seen: number[] = []
    for (let i = 1; i <= 4; i++) {
      const attempt = { email: `v6-guess${i}@newsroom.test`, password: WRONG, address: `2001:db8:7:1::${i}` }
      seen.push((await attemptSignIn(app, attempt)).statusCode)
    }
    assert.deepEqual(seen, [401, 401, 401, 429])
    const sameNetwork = { email: user.email, password: TEST_PASSWORD, address: '2001:db8:7:1:abcd::99' }
    assert.equal((await attemptSignIn(app, sameNetwork)).statusCode, 429)
    const nextNetwork = { ...sameNetwork, address: '2001:db8:7:2::1' }
    assert.equal((await attemptSignIn(app, nextNetwork)).statusCode, 200)
  })

  it('ends a lock with its window', async () => {
    const { user } = await aUser(t.ctx, 'editor')
    const address = anAddress()
    for (let i = 0; i < PER_ACCOUNT; i++) await signIn(user.email, WRONG, address)
    assert.equal((await signIn(user.email, TEST_PASSWORD, address)).statusCode, 429)
    t.ctx.clock.advance(WINDOW_MS - 1000)
    const later = await signIn(user.email, TEST_PASSWORD, address)
    assert.equal(later.statusCode, 429)
    assert.equal(later.headers['retry-after'], '1')
    t.ctx.clock.advance(1000)
    assert.equal((await signIn(user.email, TEST_PASSWORD, address)).statusCode, 200)
  })
})
