import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { aSection, aUser, TEST_PASSWORD } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { attemptSignIn, cookieHeader, cookiesOf, testApp, type TestApp } from '../support/http.js'

const draft = { headline: 'Council approves harbour budget', section: 'news', bodyHtml: '<p>Text.</p>' }

forEachDialect('API authentication', (dialect) => {
  let t: TestApp

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'news')
  })
  after(() => t.close())

  it('answers an anonymous call with 401 UNAUTHENTICATED', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/articles' })
    assert.equal(res.statusCode, 401)
    assert.equal(res.json<{ code: string }>().code, 'UNAUTHENTICATED')
  })

  it('accepts a Bearer API token, without any CSRF token', async () => {
    const { headers, user } = await t.tokenFor('editor')
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/articles', headers, payload: draft })
    assert.equal(res.statusCode, 201, res.body)
    assert.deepEqual(
      res.json<{ authors: { id: number }[] }>().authors.map((a) => a.id),
      [user.id],
    )
  })

  it('refuses an unknown Bearer token with 401 even when a session cookie is present', async () => {
    const session = await t.login('editor')
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/articles',
      headers: { authorization: 'Bearer dl_not-a-real-token', cookie: session.cookie },
    })
    assert.equal(res.statusCode, 401)
    assert.equal(res.json<{ code: string }>().code, 'UNAUTHENTICATED')
  })

  it('signs in with the CSRF token from GET /session and sets an HttpOnly session cookie', async () => {
    const { user } = await aUser(t.ctx, 'editor')
    const first = await t.app.inject({ method: 'GET', url: '/api/v1/session' })
    assert.equal(first.statusCode, 200)
    assert.equal(first.json<{ user: unknown }>().user, null)
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: {
        cookie: cookieHeader(cookiesOf(first)),
        'x-csrf-token': first.json<{ csrfToken: string }>().csrfToken,
      },
      payload: { email: user.email, password: TEST_PASSWORD },
    })
    assert.equal(login.statusCode, 200, login.body)
    const sessionCookie = login.cookies.find((c) => c.name === 'dateline_session')
    assert.ok(sessionCookie, 'sets dateline_session')
    assert.equal(sessionCookie.httpOnly, true)
    assert.match(String(sessionCookie.sameSite), /lax/i)

    const cookie = cookieHeader({ ...cookiesOf(first), ...cookiesOf(login) })
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })
    assert.equal(me.json<{ user: { email: string } }>().user.email, user.email)
  })

  it('refuses a sign-in that does not carry the CSRF token (403), even with the right password', async () => {
    const { user } = await aUser(t.ctx, 'editor')
    const first = await t.app.inject({ method: 'GET', url: '/api/v1/session' })
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { cookie: cookieHeader(cookiesOf(first)) },
      payload: { email: user.email, password: TEST_PASSWORD },
    })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json<{ code: string }>().code, 'FORBIDDEN')
    assert.equal(
      res.cookies.find((c) => c.name === 'dateline_session'),
      undefined,
    )
  })

  it('accepts a cookie-authenticated write that carries x-csrf-token', async () => {
    const session = await t.login('editor')
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: session.headers,
      payload: draft,
    })
    assert.equal(res.statusCode, 201, res.body)
  })

  it('refuses a cookie-authenticated POST without x-csrf-token (403) and writes nothing', async () => {
    const session = await t.login('editor')
    const before = await countArticles(t)
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: { cookie: session.cookie },
      payload: draft,
    })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json<{ code: string }>().code, 'FORBIDDEN')
    assert.equal(await countArticles(t), before)
  })

  it('refuses a cookie-authenticated write with a forged x-csrf-token (403)', async () => {
    const session = await t.login('editor')
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: { cookie: session.cookie, 'x-csrf-token': 'forged' },
      payload: draft,
    })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json<{ code: string }>().code, 'FORBIDDEN')
  })

  it('signs out: DELETE /session ends the session, and the old cookie no longer authenticates', async () => {
    const session = await t.login('editor')
    const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: session.headers })
    assert.equal(out.statusCode, 204, out.body)
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/articles',
      headers: { cookie: session.cookie },
    })
    assert.equal(res.statusCode, 401)
  })

  it('gives an unknown email and a wrong password the identical 401 body', async () => {
    const { user } = await aUser(t.ctx, 'editor')
    const attempt = async (email: string, password: string) => {
      const first = await t.app.inject({ method: 'GET', url: '/api/v1/session' })
      return t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: {
          cookie: cookieHeader(cookiesOf(first)),
          'x-csrf-token': first.json<{ csrfToken: string }>().csrfToken,
        },
        payload: { email, password },
      })
    }
    const unknown = await attempt('nobody@newsroom.test', TEST_PASSWORD)
    const wrong = await attempt(user.email, 'not-the-password-at-all')
    assert.equal(unknown.statusCode, 401)
    assert.equal(wrong.statusCode, 401)
    assert.equal(unknown.body, wrong.body)
    assert.equal(unknown.json<{ code: string }>().code, 'UNAUTHENTICATED')
  })

  it('lets a contributor create a draft but answers 403 FORBIDDEN to their publish, leaving it a draft', async () => {
    const { headers } = await t.tokenFor('contributor')
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/articles', headers, payload: draft })
    assert.equal(created.statusCode, 201, created.body)
    const { id } = created.json<{ id: number }>()
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/articles/${id}/publish`, headers })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json<{ code: string }>().code, 'FORBIDDEN')
    const after = await t.app.inject({ method: 'GET', url: `/api/v1/articles/${id}`, headers })
    assert.equal(after.json<{ status: string }>().status, 'draft')
  })

  it('lets only an admin list newsroom users', async () => {
    const editor = await t.tokenFor('editor')
    const admin = await t.tokenFor('admin')
    const refused = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: editor.headers })
    assert.equal(refused.statusCode, 403)
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: admin.headers })
    assert.equal(listed.statusCode, 200)
    assert.ok(listed.json<{ items: { email: string }[] }>().items.some((u) => u.email === admin.user.email))
    assert.ok(!listed.body.includes('password'), 'no password hashes in the listing')
  })

  it('names a malformed email beside a missing password when an admin creates a user', async () => {
    const admin = await t.tokenFor('admin')
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { email: 'not-an-address', role: 'editor' },
    })
    assert.equal(res.statusCode, 400)
    const problems = res.json<{ problems: { field: string; message: string }[] }>().problems
    assert.deepEqual(problems.map((p) => p.field).sort(), ['email', 'password'])
    assert.ok(problems.some((p) => p.field === 'email' && p.message === 'is not an email address'))
  })

  it('answers 429 RATE_LIMITED once the failed sign-ins on one account pass the limit, on every process', async () => {
    // Two apps on one database, as two HTTP workers or two nodes are: they count the same failures.
    const limits = { signInLimits: { perAccount: 3, perAddress: 100, windowMs: 60_000 } }
    const apps = [await t.another(limits), await t.another(limits)]
    const { user } = await aUser(t.ctx, 'editor')
    const attempt = (app: (typeof apps)[number], address: string, password: string) =>
      attemptSignIn(app, { email: user.email, password, address })
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      const res = await attempt(apps[i % 2]!, `192.0.2.${10 + i}`, 'wrong-password-attempt')
      statuses.push(res.statusCode)
      if (res.statusCode === 429) assert.equal(res.json<{ code: string }>().code, 'RATE_LIMITED')
    }
    assert.deepEqual(statuses, [401, 401, 401, 429])
    // Even the right password waits out the window, on either process and from any address.
    for (const app of apps) assert.equal((await attempt(app, '192.0.2.20', TEST_PASSWORD)).statusCode, 429)
  })
})

async function countArticles(t: TestApp): Promise<number> {
  const row = await t.ctx.handle.db
    .selectFrom('article')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
