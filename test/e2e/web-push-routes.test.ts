import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { completeSignIn, requestSignInLink } from '../../src/modules/readers/index.js'
import { forEachDialect } from '../support/dialects.js'
import { cookiesOf, decode, testApp, type TestApp } from '../support/http.js'
import { linkIn } from '../support/mail.js'
import { startPushService, type TestPushService } from '../support/push-service.js'

/** The account page's push switch and the two JSON calls behind it, over HTTP. */
forEachDialect('web push over HTTP', (dialect) => {
  let t: TestApp
  let service: TestPushService
  let cookie: string
  let csrf: string

  before(async () => {
    t = await testApp(dialect, { allowHttpPushEndpoints: true })
    service = await startPushService()
    await requestSignInLink(t.ctx.readers, { email: 'push-reader@example.org' })
    const link = linkIn(t.ctx.mail.sent.at(-1)?.text ?? '', 'http://news.test/account/verify?token=')!
    const signedIn = await completeSignIn(t.ctx.readers, new URL(link).searchParams.get('token')!)
    const session = `dateline_reader=${signedIn!.sessionId}`
    const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: session } })
    csrf = decode(/data-csrf="([^"]+)"/.exec(page.body)?.[1] ?? '')
    cookie = [session, ...Object.entries(cookiesOf(page)).map(([k, v]) => `${k}=${v}`)].join('; ')
  })
  after(async () => {
    await t?.close()
    await service?.close()
  })

  const subscriptions = () => t.ctx.handle.db.selectFrom('push_subscription').selectAll().execute()
  const postJson = (url: string, body: object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      payload: JSON.stringify(body),
    })

  it('shows the push switch hidden, with the site’s key, the script and a sentence for browsers without it', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } })
    assert.match(page.body, /<div class="push-control" data-push-key="[\w-]{87}" data-csrf="[^"]+" hidden>/)
    assert.ok(page.body.includes(`data-push-key="${t.ctx.readers.push!.publicKey}"`))
    assert.match(page.body, /<script src="\/assets\/push\.js" defer><\/script>/)
    assert.match(page.body, /<p data-push-fallback(="[^"]*")?>\s*Push notifications need JavaScript/)
    assert.match(page.body, /value="daily"/)
  })

  it('serves the service worker from the root, revalidated, under the same strict CSP', async () => {
    const worker = await t.app.inject({ method: 'GET', url: '/sw.js' })
    assert.equal(worker.statusCode, 200)
    assert.match(String(worker.headers['content-type']), /^text\/javascript/)
    assert.equal(worker.headers['cache-control'], 'no-cache')
    assert.match(String(worker.headers['content-security-policy']), /script-src 'self';/)
    assert.match(worker.body, /addEventListener\('push'/)
    assert.doesNotMatch(worker.body, /addEventListener\('fetch'/)
    const script = await t.app.inject({ method: 'GET', url: '/assets/push.js' })
    assert.equal(script.statusCode, 200)
  })

  it('subscribes and unsubscribes a browser with the CSRF token, and refuses without it', async () => {
    const browser = service.subscribe()
    const body = { endpoint: browser.endpoint, expirationTime: null, keys: browser.keys }
    const forged = await postJson('/account/push/subscriptions', body, { cookie })
    assert.equal(forged.statusCode, 403)
    const signedOut = await postJson('/account/push/subscriptions', body)
    assert.equal(signedOut.statusCode, 401)
    assert.equal((await subscriptions()).length, 0)

    const ok = await postJson('/account/push/subscriptions', body, { cookie, 'x-csrf-token': csrf })
    assert.equal(ok.statusCode, 201, ok.body)
    const again = await postJson('/account/push/subscriptions', body, { cookie, 'x-csrf-token': csrf })
    assert.equal(again.statusCode, 201)
    const stored = await subscriptions()
    assert.deepEqual(
      stored.map((s) => [s.endpoint, s.p256dh, s.auth]),
      [[browser.endpoint, browser.keys.p256dh, browser.keys.auth]],
    )
    const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } })
    assert.match(page.body, /One browser gets push notifications/)

    const off = await postJson(
      '/account/push/unsubscribe',
      { endpoint: browser.endpoint },
      { cookie, 'x-csrf-token': csrf },
    )
    assert.equal(off.statusCode, 200)
    assert.equal((await subscriptions()).length, 0)
  })

  it('answers a malformed subscription with 400 naming the fields, storing nothing', async () => {
    const bad: LightMyRequestResponse = await postJson(
      '/account/push/subscriptions',
      { endpoint: 'javascript:alert(1)', keys: { p256dh: 'short', auth: 42 } },
      { cookie, 'x-csrf-token': csrf },
    )
    assert.equal(bad.statusCode, 400)
    const { code, message } = bad.json<{ code: string; message: string }>()
    assert.equal(code, 'INVALID_INPUT')
    assert.match(message, /endpoint: .*keys\.p256dh: .*keys\.auth: /)
    assert.equal((await subscriptions()).length, 0)
  })

  it('saves the daily digest choice from the settings form', async () => {
    const saved = await t.app.inject({
      method: 'POST',
      url: '/account/settings',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ emailFrequency: 'daily', _csrf: csrf }).toString(),
    })
    assert.equal(saved.statusCode, 303)
    const reader = await t.ctx.handle.db
      .selectFrom('reader')
      .select('email_frequency')
      .where('email', '=', 'push-reader@example.org')
      .executeTakeFirstOrThrow()
    assert.equal(reader.email_frequency, 'daily')
  })
})
