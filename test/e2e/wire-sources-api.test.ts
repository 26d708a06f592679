import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { findSourceByToken, pollDueSources } from '../../src/modules/wire/index.js'
import { aSection } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { startFeedServer, type FeedServer } from '../support/feed-server.js'
import { testApp, type TestApp } from '../support/http.js'

interface SourceJson {
  name: string
  feedUrl: string | null
  pollIntervalSeconds: number
  allowPrivateNetwork: boolean
  watchFolder: string | null
  acceptsPush: boolean
  section: string | null
  poll: { nextAt: string | null; failures: number; lastError: string | null }
}

forEachDialect('wire sources API', (dialect) => {
  let t: TestApp
  let admin: Record<string, string>
  let server: FeedServer

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'world')
    admin = (await t.tokenFor('admin')).headers
    server = await startFeedServer()
    server.routes.set('/down.xml', { status: 502, body: 'bad gateway' })
  })
  after(async () => {
    await server.close()
    await t.close()
  })

  const call = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) })

  describe('/api/v1/wire/sources', () => {
    it('lets an admin create a source with a feed, folder and push token, shown once', async () => {
      const response = await call('POST', '/wire/sources', admin, {
        name: 'harbour-wire',
        section: 'world',
        policy: 'publish',
        feedUrl: `${server.origin}/down.xml?apikey=k-123`,
        pollIntervalSeconds: 120,
        allowPrivateNetwork: true,
        watchFolder: 'harbour',
        push: true,
      })
      assert.equal(response.statusCode, 201, response.body)
      const body = response.json<{ source: SourceJson; pushToken?: string }>()
      assert.match(body.pushToken ?? '', /^dlw_/)
      assert.equal((await findSourceByToken(t.ctx.wire, body.pushToken!))?.name, 'harbour-wire')
      assert.equal(body.source.feedUrl, `${server.origin}/down.xml?…`)
      assert.equal(body.source.watchFolder, 'harbour')
      assert.equal(body.source.section, 'world')
      assert.equal(body.source.poll.failures, 0)

      const listed = await call('GET', '/wire/sources', admin)
      assert.equal(listed.statusCode, 200)
      assert.ok(!listed.body.includes(body.pushToken!), 'the token is never listed')
      assert.ok(!listed.body.includes('k-123'), 'the feed key is never listed')
      assert.equal(listed.json<{ items: SourceJson[] }>().items[0]?.acceptsPush, true)
    })

    it('shows the last poll error and failures in the listing', async () => {
      await pollDueSources({ ...t.ctx.wire, fetcher: t.ctx.fetcher })
      const [source] = (await call('GET', '/wire/sources', admin)).json<{ items: SourceJson[] }>().items
      assert.equal(source?.poll.failures, 1)
      assert.equal(source?.poll.lastError, `${server.origin}/down.xml?… answered 502 Bad Gateway`)
    })

    it('changes only the fields sent, and null stops polling or watching', async () => {
      const response = await call('PATCH', '/wire/sources/harbour-wire', admin, {
        feedUrl: null,
        watchFolder: null,
        pollIntervalSeconds: 600,
      })
      assert.equal(response.statusCode, 200, response.body)
      const { source, pushToken } = response.json<{ source: SourceJson; pushToken?: string }>()
      assert.equal(pushToken, undefined)
      assert.equal(source.feedUrl, null)
      assert.equal(source.watchFolder, null)
      assert.equal(source.poll.nextAt, null)
      assert.equal(source.pollIntervalSeconds, 600)
      assert.equal(source.allowPrivateNetwork, true)
      assert.equal(source.acceptsPush, true)
    })

    it('issues a new push token on request, and the old one stops working', async () => {
      const before = (await call('POST', '/wire/sources', admin, { name: 'rotating', push: true })).json<{
        pushToken: string
      }>().pushToken
      const response = await call('PATCH', '/wire/sources/rotating', admin, { push: true })
      const after = response.json<{ pushToken: string }>().pushToken
      assert.notEqual(after, before)
      assert.equal(await findSourceByToken(t.ctx.wire, before), undefined)
      assert.equal((await findSourceByToken(t.ctx.wire, after))?.name, 'rotating')
    })

    it('names each bad field, refuses unknown fields, and answers 404 and 409 by name', async () => {
      const bad = await call('POST', '/wire/sources', admin, {
        name: 'bad one',
        feedUrl: 'file:///etc/passwd',
        watchFolder: '../../etc',
        pollIntervalSeconds: 5,
      })
      assert.equal(bad.statusCode, 400)
      const fields = bad.json<{ problems: { field: string }[] }>().problems.map((p) => p.field)
      assert.deepEqual(fields.sort(), ['feedUrl', 'name', 'pollIntervalSeconds', 'watchFolder'])
      const extra = await call('PATCH', '/wire/sources/rotating', admin, { tokenHash: 'x' })
      assert.equal(extra.statusCode, 400)
      const missing = await call('PATCH', '/wire/sources/nobody', admin, { credit: 'x' })
      assert.equal(missing.statusCode, 404)
      assert.equal(missing.json<{ code: string }>().code, 'NOT_FOUND')
      const twice = await call('POST', '/wire/sources', admin, { name: 'rotating' })
      assert.equal(twice.statusCode, 409)
    })

    it('is for admins only: editors get 403, anonymous callers 401', async () => {
      const editor = (await t.tokenFor('editor')).headers
      assert.equal((await call('GET', '/wire/sources', editor)).statusCode, 403)
      assert.equal((await call('POST', '/wire/sources', editor, { name: 'sneaky' })).statusCode, 403)
      assert.equal((await call('PATCH', '/wire/sources/rotating', editor, { push: true })).statusCode, 403)
      assert.equal((await call('GET', '/wire/sources', {})).statusCode, 401)
    })

    it('refuses a cookie-authenticated admin write without the CSRF token', async () => {
      const session = await t.login('admin')
      const response = await call('POST', '/wire/sources', { cookie: session.cookie }, { name: 'csrf-less' })
      assert.equal(response.statusCode, 403)
      const withToken = await call('POST', '/wire/sources', session.headers, { name: 'csrf-ok' })
      assert.equal(withToken.statusCode, 201)
    })

    it('is described in the OpenAPI document', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
        paths: Record<string, object>
      }>()
      assert.ok(doc.paths['/wire/sources'])
      assert.ok(doc.paths['/wire/sources/{name}'])
    })
  })
})
