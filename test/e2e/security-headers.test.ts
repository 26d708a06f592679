import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/http/build-app.js'
import { aSection, aUser } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { appDepsOf, cookieHeader, cookiesOf, eventually, testApp, type TestApp } from '../support/http.js'

function assertSecurityHeaders(res: LightMyRequestResponse, label: string) {
  const csp = String(res.headers['content-security-policy'] ?? '')
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values.join(' ')]),
  )
  assert.equal(directives.get('object-src'), "'none'", `${label}: object-src 'none' in "${csp}"`)
  assert.equal(directives.get('base-uri'), "'none'", `${label}: base-uri 'none'`)
  assert.ok(directives.get('frame-ancestors'), `${label}: frame-ancestors`)
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${label}: nosniff`)
  assert.ok(res.headers['referrer-policy'], `${label}: Referrer-Policy`)
}

forEachDialect('security headers', (dialect) => {
  let t: TestApp
  let editor: Record<string, string>
  let story: { id: number; slug: string; shortCode: string }
  let withdrawn: { id: number; slug: string }

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'news')
    editor = (await t.tokenFor('editor')).headers
    const publish = async (headline: string) => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/articles',
        headers: editor,
        payload: { headline, section: 'news', bodyHtml: '<p>Text.</p>' },
      })
      const { id } = created.json<{ id: number }>()
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/articles/${id}/publish`,
        headers: editor,
      })
      return res.json<{ id: number; slug: string; shortCode: string }>()
    }
    story = await publish('Heatwave warning for the south')
    withdrawn = await publish('A story taken down')
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${withdrawn.id}/unpublish`,
      headers: editor,
    })
    // Pages name the last event they are as new as (for live updates), so a NOTIFY arriving
    // between two views would change the second one's bytes and ETag: wait for it first.
    const latest = await t.ctx.handle.db
      .selectFrom('event')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst()
    await eventually(
      async () => t.ctx.tail.lastEventId(),
      (id) => id >= Number(latest?.max ?? 0),
    )
  })
  after(() => t.close())

  it('sends them on pages, redirects, JSON, errors and assets alike', async () => {
    const firstPage = await t.app.inject({ method: 'GET', url: '/' })
    const requests: [string, InjectOptions, number][] = [
      ['front page', { method: 'GET', url: '/' }, 200],
      ['HEAD of the front page', { method: 'HEAD', url: '/' }, 200],
      [
        'not modified',
        { method: 'GET', url: '/', headers: { 'if-none-match': String(firstPage.headers['etag']) } },
        304,
      ],
      ['story page', { method: 'GET', url: `/news/${story.slug}` }, 200],
      ['short-link redirect', { method: 'GET', url: `/s/${story.shortCode}` }, 301],
      ['unknown page', { method: 'GET', url: '/no/such/page' }, 404],
      ['bad page number', { method: 'GET', url: '/latest?page=abc' }, 404],
      ['withdrawn story', { method: 'GET', url: `/news/${withdrawn.slug}` }, 410],
      ['missing media', { method: 'GET', url: '/media/missing.jpg' }, 404],
      ['malformed URL', { method: 'GET', url: '/news/%zz' }, 400],
      ['over-long path segment', { method: 'GET', url: `/news/${'a'.repeat(120)}` }, 414],
      ['API malformed URL', { method: 'GET', url: '/api/v1/topics/%E0%A4%A' }, 400],
      ['script', { method: 'GET', url: '/assets/site.js' }, 200],
      ['health', { method: 'GET', url: '/health' }, 200],
      ['API JSON', { method: 'GET', url: '/api/v1/sections' }, 200],
      ['OpenAPI', { method: 'GET', url: '/api/v1/openapi.json' }, 200],
      ['API unknown route', { method: 'GET', url: '/api/v1/nothing' }, 404],
      ['API anonymous', { method: 'GET', url: '/api/v1/articles' }, 401],
      [
        'API bad token',
        { method: 'GET', url: '/api/v1/articles', headers: { authorization: 'Bearer nope' } },
        401,
      ],
      [
        'API malformed JSON',
        {
          method: 'POST',
          url: '/api/v1/articles',
          headers: { ...editor, 'content-type': 'application/json' },
          payload: '{',
        },
        400,
      ],
      [
        'API body too large',
        {
          method: 'POST',
          url: '/api/v1/articles',
          headers: { ...editor, 'content-type': 'application/json' },
          payload: `"${'x'.repeat(1024 * 1024 + 10)}"`,
        },
        413,
      ],
      [
        'API sign-in without CSRF',
        { method: 'POST', url: '/api/v1/session', payload: { email: 'a', password: 'b' } },
        403,
      ],
    ]
    for (const [label, options, status] of requests) {
      const res = await t.app.inject(options)
      assert.equal(res.statusCode, status, `${label}: ${res.body.slice(0, 200)}`)
      assertSecurityHeaders(res, label)
    }
  })

  it('answers a malformed URL in our own shape: JSON INVALID_INPUT under /api, an HTML page elsewhere', async () => {
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/topics/%zz' })
    assert.equal(api.statusCode, 400)
    assert.equal(api.json<{ code: string }>().code, 'INVALID_INPUT')
    const page = await t.app.inject({ method: 'GET', url: '/world/%zz' })
    assert.equal(page.statusCode, 400)
    assert.match(String(page.headers['content-type']), /^text\/html/)
    assert.match(page.body, /<main/)
  })

  it('sends them on a rate-limited (429) sign-in', async () => {
    const app = await t.another({ signInLimits: { perAccount: 1, perAddress: 100, windowMs: 60_000 } })
    const { user } = await aUser(t.ctx, 'editor')
    let last: LightMyRequestResponse | undefined
    for (let i = 0; i < 2; i++) {
      const first = await app.inject({ method: 'GET', url: '/api/v1/session' })
      last = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: {
          cookie: cookieHeader(cookiesOf(first)),
          'x-csrf-token': first.json<{ csrfToken: string }>().csrfToken,
        },
        payload: { email: user.email, password: 'wrong-password-here' },
      })
    }
    assert.equal(last?.statusCode, 429)
    assertSecurityHeaders(last, '429')
  })

  it('sends them on a 500, whose page and JSON say nothing of the cause', async () => {
    const failing = await buildApp(
      {
        ...appDepsOf(t.ctx),
        tail: { ...t.ctx.tail, catchUp: () => Promise.reject(new Error('disk on fire at /var/secret')) },
        auth: {
          ...t.ctx.auth,
          db: new Proxy(t.ctx.handle.db, {
            get: () => {
              throw new Error('database password is hunter2')
            },
          }),
        },
      },
      { logger: false },
    )
    try {
      const page = await failing.inject({ method: 'GET', url: '/' })
      assert.equal(page.statusCode, 500)
      assert.match(String(page.headers['content-type']), /^text\/html/)
      assert.ok(!page.body.includes('disk on fire'), 'no cause on the page')
      assertSecurityHeaders(page, 'HTML 500')

      const api = await failing.inject({ method: 'GET', url: '/api/v1/articles', headers: editor })
      assert.equal(api.statusCode, 500)
      const body = api.json<{ code: string; message: string; requestId?: string }>()
      assert.equal(body.code, 'INTERNAL')
      assert.ok(body.requestId, 'names the request id')
      assert.ok(!api.body.includes('hunter2'), 'no cause in the JSON')
      assertSecurityHeaders(api, 'JSON 500')
    } finally {
      await failing.close()
    }
  })
})
