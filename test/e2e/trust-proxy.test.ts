import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { forEachDialect } from '../support/dialects.js'
import { aUser, TEST_PASSWORD } from '../support/builders.js'
import { attemptSignIn, cookieHeader, cookiesOf, decode, testApp, type TestApp } from '../support/http.js'

const PROXY = '10.0.0.2'
const limit = {
  signInLinkRateLimit: { max: 2, windowMs: 60_000 },
  signInLimits: { perAccount: 10, perAddress: 2, windowMs: 60_000 },
}

/** Failed staff sign-ins, each on an account of its own, through `peer`; their statuses. */
async function failSignIns(t: TestApp, peer: string, forwardedFor: string | undefined, count: number) {
  const statuses: number[] = []
  for (let i = 0; i < count; i++) {
    const email = `guess-${Math.random().toString(36).slice(2)}@newsroom.test`
    const res = await attemptSignIn(t.app, { email, password: 'wrong', address: peer, forwardedFor })
    statuses.push(res.statusCode)
  }
  return statuses
}

/** Asks for a reader's sign-in link as a browser does, over a connection from `peer`. */
async function requestLink(t: TestApp, peer: string, forwardedFor: string | undefined, email: string) {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }
  const page = await t.app.inject({ method: 'GET', url: '/account/sign-in', remoteAddress: peer, headers })
  const csrf = decode(/name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '')
  const res = await t.app.inject({
    method: 'POST',
    url: '/account/sign-in',
    remoteAddress: peer,
    headers: {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookieHeader(cookiesOf(page)),
    },
    payload: new URLSearchParams({ email, _csrf: csrf }).toString(),
  })
  return res.statusCode
}

forEachDialect('client addresses behind a proxy named in TRUST_PROXY', (dialect) => {
  let t: TestApp
  let n = 0
  const email = () => `reader${++n}@example.org`

  before(async () => {
    t = await testApp(dialect, { ...limit, env: { TRUST_PROXY: '10.0.0.0/8' } })
  })
  after(() => t.close())

  it('counts the sign-in link requests of two clients behind the proxy apart', async () => {
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push(await requestLink(t, PROXY, '203.0.113.1', email()))
    assert.deepEqual(statuses, [200, 200, 429])
    assert.equal(await requestLink(t, PROXY, '203.0.113.2', email()), 200)
  })

  it('counts the failed staff sign-ins of two clients behind the proxy apart', async () => {
    assert.deepEqual(await failSignIns(t, PROXY, '203.0.113.21', 3), [401, 401, 429])
    assert.deepEqual(await failSignIns(t, PROXY, '203.0.113.22', 1), [401])
    const { user } = await aUser(t.ctx, 'editor')
    const signedIn = await attemptSignIn(t.app, {
      email: user.email,
      password: TEST_PASSWORD,
      address: PROXY,
      forwardedFor: '203.0.113.23',
    })
    assert.equal(signedIn.statusCode, 200)
  })

  it('takes the address the proxy saw, not one the client wrote before it', async () => {
    // The proxy appends the peer it saw; an address the client sent ahead of it is not believed.
    for (const forged of ['198.51.100.1', '198.51.100.2'])
      assert.equal(await requestLink(t, PROXY, `${forged}, 203.0.113.3`, email()), 200)
    assert.equal(await requestLink(t, PROXY, '198.51.100.4, 203.0.113.3', email()), 429)
  })

  it('ignores X-Forwarded-For from a client that reaches the server directly', async () => {
    for (const forged of ['198.51.100.5', '198.51.100.6'])
      assert.equal(await requestLink(t, '192.0.2.50', forged, email()), 200)
    assert.equal(await requestLink(t, '192.0.2.50', '198.51.100.7', email()), 429)
  })
})

forEachDialect('client addresses without TRUST_PROXY', (dialect) => {
  let t: TestApp

  before(async () => {
    t = await testApp(dialect, limit)
  })
  after(() => t.close())

  it('ignores X-Forwarded-For: every client behind one proxy shares its address', async () => {
    const statuses = []
    for (const [i, client] of ['203.0.113.1', '203.0.113.2', '203.0.113.3'].entries())
      statuses.push(await requestLink(t, PROXY, client, `reader${i}@example.org`))
    assert.deepEqual(statuses, [200, 200, 429])
  })

  it('ignores X-Forwarded-For on staff sign-in: failures behind one proxy count together', async () => {
    assert.deepEqual(await failSignIns(t, PROXY, '203.0.113.1', 1), [401])
    assert.deepEqual(await failSignIns(t, PROXY, '203.0.113.2', 2), [401, 429])
  })
})
