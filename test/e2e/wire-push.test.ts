import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createSource, DEFAULT_WIRE_LIMITS, OVERSIZE_PREFIX_BYTES } from '../../src/modules/wire/index.js'
import { aSection } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'
import { ninjsStory } from '../support/wire.js'

forEachDialect('wire push endpoint', (dialect) => {
  let t: TestApp
  let token: string

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'world')
    const created = await createSource(t.ctx.wire, { name: 'example-agency', push: true, policy: 'publish' })
    token = created.token!
  })
  after(() => t.close())

  const push = (body: string | Uint8Array, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/ingest', payload: Buffer.from(body), headers })

  describe('POST /api/v1/ingest', () => {
    it('takes a ninjs document pushed with the source token and publishes it by the source policy', async () => {
      const response = await push(ninjsStory(), {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      })
      assert.equal(response.statusCode, 200, response.body)
      const body = response.json<{ items: { status: string; article?: { status: string; url: string } }[] }>()
      const item = body.items[0]
      assert.equal(item?.status, 'created')
      assert.equal(item.article?.status, 'published')
      const url = item.article?.url ?? ''
      const page = await t.app.inject({ method: 'GET', url: new URL(url).pathname })
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Harbour wall breached in overnight storm/)
    })

    it('answers the same delivery again as a duplicate, changing nothing', async () => {
      const response = await push(ninjsStory(), {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      })
      assert.equal(response.statusCode, 200)
      assert.equal(response.json<{ items: { status: string }[] }>().items[0]?.status, 'duplicate')
    })

    it('answers a broken document with 422 and its reason, keeping it in quarantine', async () => {
      const before = await t.ctx.handle.db.selectFrom('wire_quarantine').select('id').execute()
      const response = await push('<newsItem><unclosed>', {
        authorization: `Bearer ${token}`,
        'content-type': 'application/xml',
      })
      assert.equal(response.statusCode, 422)
      const [item] = response.json<{ items: { status: string; reason?: string }[] }>().items
      assert.equal(item?.status, 'rejected')
      assert.ok(item?.reason && item.reason.length > 0)
      const afterRows = await t.ctx.handle.db.selectFrom('wire_quarantine').select('id').execute()
      assert.equal(afterRows.length, before.length + 1)
    })

    it('answers a document over the size limit with 413, keeping its first part and the reason in quarantine', async () => {
      const limit = DEFAULT_WIRE_LIMITS.maxBytes
      const huge = Buffer.alloc(limit + 1024 * 1024, ' ')
      huge.write('{"uri": "urn:example:huge", "headline": "Too much"')
      const response = await push(huge, {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      })
      assert.equal(response.statusCode, 413, response.body)
      const [item] = response.json<{ items: { status: string; reason?: string }[] }>().items
      assert.equal(item?.status, 'rejected')
      assert.match(
        item?.reason ?? '',
        new RegExp(`the document is ${huge.length} bytes; the limit is ${limit} bytes`),
      )
      const kept = await t.ctx.handle.db
        .selectFrom('wire_quarantine')
        .select(['size', 'bytes', 'origin'])
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      assert.equal(kept.size, huge.length)
      assert.equal(kept.origin, 'push')
      assert.deepEqual(Buffer.from(kept.bytes), huge.subarray(0, OVERSIZE_PREFIX_BYTES))
    })

    it('refuses a push without a token, with a staff API token, or with an unknown token', async () => {
      const staff = await t.tokenFor('editor')
      for (const headers of [{}, staff.headers, { authorization: 'Bearer dlw_not-a-real-token' }]) {
        const response = await push(ninjsStory({ uri: 'urn:example:other' }), {
          ...headers,
          'content-type': 'application/json',
        })
        assert.equal(response.statusCode, 401)
        assert.equal(response.json<{ code: string }>().code, 'UNAUTHENTICATED')
      }
    })

    it('refuses an empty body naming it', async () => {
      const response = await push('', {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      })
      assert.equal(response.statusCode, 400)
      assert.match(response.json<{ message: string }>().message, /body/)
    })
  })
})
