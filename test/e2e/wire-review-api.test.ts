import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { findArticleById, toArticleView, updateArticle } from '../../src/modules/articles/index.js'
import { aSection, anEditor } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'
import { ingest, ninjsStory } from '../support/wire.js'

interface QuarantineJson {
  id: number
  origin: string
  size: number
  reason: string
  resolution: string | null
  note: string
  resolvedAt: string | null
}

forEachDialect('wire review API', (dialect) => {
  let t: TestApp
  let editorHeaders: Record<string, string>

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'world')
    editorHeaders = (await t.tokenFor('editor')).headers
  })
  after(() => t.close())

  const api = (method: 'GET' | 'POST', url: string, payload?: object, headers = editorHeaders) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) })

  it('documents every wire review route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>
    }>()
    for (const [path, method] of [
      ['/wire/quarantine', 'get'],
      ['/wire/quarantine/{id}', 'get'],
      ['/wire/quarantine/{id}/original', 'get'],
      ['/wire/quarantine/{id}/rerun', 'post'],
      ['/wire/quarantine/{id}/resolve', 'post'],
      ['/wire/quarantine/{id}/discard', 'post'],
      ['/wire/held', 'get'],
      ['/wire/held/{id}', 'get'],
      ['/wire/held/{id}/accept', 'post'],
      ['/wire/held/{id}/dismiss', 'post'],
      ['/articles/{id}/held-versions', 'get'],
    ] as const) {
      assert.ok(doc.paths[path]?.[method], `lists ${method.toUpperCase()} ${path}`)
    }
  })

  describe('quarantine', () => {
    it('lists a refused document with reason, origin, size and time to editors, and not to contributors', async () => {
      const document = new TextEncoder().encode('{"uri": "urn:q:1", "headline": 7}')
      const [refused] = await ingest(t.ctx, document, { origin: 'drop/q1.json' })
      assert.equal(refused?.status, 'rejected')
      const response = await api('GET', '/wire/quarantine')
      assert.equal(response.statusCode, 200, response.body)
      const entry = response
        .json<{ items: QuarantineJson[] }>()
        .items.find((e) => e.id === refused.quarantineId)
      assert.equal(entry?.origin, 'drop/q1.json')
      assert.equal(entry.size, document.length)
      assert.match(entry.reason, /headline/)
      assert.equal(entry.resolution, null)
      const contributor = await t.tokenFor('contributor')
      const forbidden = await api('GET', '/wire/quarantine', undefined, contributor.headers)
      assert.equal(forbidden.statusCode, 403)
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/wire/quarantine' })
      assert.equal(anonymous.statusCode, 401)
    })

    it('hands out the original bytes as an attachment, never as a page', async () => {
      const hostile = '<rss><channel><item><title>x</title><description><![CDATA[<script>alert(1)</script>'
      const [refused] = await ingest(t.ctx, new TextEncoder().encode(hostile), { origin: 'feed.xml' })
      const response = await api('GET', `/wire/quarantine/${refused!.quarantineId}/original`)
      assert.equal(response.statusCode, 200)
      assert.equal(response.body, hostile)
      assert.equal(response.headers['content-type'], 'application/octet-stream')
      assert.match(String(response.headers['content-disposition']), /^attachment;/)
    })

    it('re-runs with corrected bytes: the story is ingested, the entry resolved, the original kept', async () => {
      const broken = new TextEncoder().encode('{"uri": "urn:q:fix", "headlines": [{"value": "Dam holds"}], ')
      const [refused] = await ingest(t.ctx, broken, { origin: 'push' })
      const id = refused!.quarantineId!
      const stillBroken = await api('POST', `/wire/quarantine/${id}/rerun`, {})
      assert.equal(stillBroken.statusCode, 200)
      const failed = stillBroken.json<{ entry: QuarantineJson; items: { status: string }[] }>()
      assert.equal(failed.entry.resolution, null, 'still open')
      assert.match(failed.entry.reason, /invalid JSON/)
      assert.equal(failed.items[0]?.status, 'rejected')

      const fixed = ninjsStory({ uri: 'urn:q:fix', headlines: [{ value: 'Dam holds' }] })
      const count = async () =>
        (await t.ctx.handle.db.selectFrom('wire_quarantine').select('id').execute()).length
      const entriesBefore = await count()
      const response = await api('POST', `/wire/quarantine/${id}/rerun`, {
        replacement: Buffer.from(fixed).toString('base64'),
        note: 'agency resent it',
      })
      assert.equal(response.statusCode, 200, response.body)
      const body = response.json<{ entry: QuarantineJson; items: { status: string; articleId?: number }[] }>()
      assert.equal(body.items[0]?.status, 'created')
      assert.equal(body.entry.resolution, 'rerun')
      assert.equal(body.entry.note, 'agency resent it')
      assert.equal(await count(), entriesBefore, 'a re-run makes no new quarantine entry')
      const original = await api('GET', `/wire/quarantine/${id}/original`)
      assert.equal(original.body, new TextDecoder().decode(broken))
      const again = await api('POST', `/wire/quarantine/${id}/rerun`, {})
      assert.equal(again.statusCode, 409)
    })

    it('resolves with a note keeping the bytes, and discards deleting them but keeping the record', async () => {
      const [a] = await ingest(t.ctx, new TextEncoder().encode('not json'), { origin: 'a' })
      const [b] = await ingest(t.ctx, new TextEncoder().encode('not json either'), { origin: 'b' })
      const resolved = await api('POST', `/wire/quarantine/${a!.quarantineId}/resolve`, {
        note: 'typed in by hand',
      })
      assert.equal(resolved.json<QuarantineJson>().resolution, 'resolved')
      assert.equal((await api('GET', `/wire/quarantine/${a!.quarantineId}/original`)).body, 'not json')
      const discarded = await api('POST', `/wire/quarantine/${b!.quarantineId}/discard`, { note: 'spam' })
      assert.equal(discarded.json<QuarantineJson>().resolution, 'discarded')
      assert.equal((await api('GET', `/wire/quarantine/${b!.quarantineId}/original`)).body, '')
      const all = (await api('GET', '/wire/quarantine?all=true')).json<{ items: QuarantineJson[] }>().items
      assert.equal(all.find((e) => e.id === b!.quarantineId)?.note, 'spam')
      const open = (await api('GET', '/wire/quarantine')).json<{ items: QuarantineJson[] }>().items
      assert.ok(!open.some((e) => e.id === a!.quarantineId || e.id === b!.quarantineId))
    })
  })

  describe('held versions', () => {
    it('lists, compares and accepts a held version, and answers 409 to a second decision', async () => {
      const uri = 'urn:held:api:1'
      const [first] = await ingest(t.ctx, ninjsStory({ uri }), { publish: true })
      const articleId = first!.article!.id
      const editor = await anEditor(t.ctx)
      const current = await toArticleView(
        t.ctx.handle.db,
        (await findArticleById(t.ctx.handle.db, articleId))!,
      )
      await updateArticle(t.ctx.articles, editor, articleId, {
        version: current.version,
        headline: 'Desk text',
      })
      await ingest(
        t.ctx,
        ninjsStory({
          uri,
          version: '2',
          headlines: [{ value: 'Agency text v2' }],
          firstCreated: '2026-03-02T07:15:00Z',
          versionCreated: '2026-03-02T09:40:00+01:00',
        }),
      )

      const pending = (await api('GET', '/wire/held')).json<{
        items: { id: number; articleId: number; firstCreated: string | null; versionCreated: string | null }[]
      }>()
      const held = pending.items.find((h) => h.articleId === articleId)
      assert.ok(held)
      // When the agency filed the story and this version, beside when it reached us.
      assert.equal(held.firstCreated, '2026-03-02T07:15:00.000Z')
      assert.equal(held.versionCreated, '2026-03-02T08:40:00.000Z')
      const perArticle = await api('GET', `/articles/${articleId}/held-versions`)
      assert.equal(perArticle.json<{ items: unknown[] }>().items.length, 1)
      const compared = await api('GET', `/wire/held/${held.id}`)
      assert.equal(compared.statusCode, 200, compared.body)
      const comparison = compared.json<{
        held: { text: { headline: string }; kind: string }
        current: { headline: string; version: number }
      }>()
      assert.equal(comparison.held.text.headline, 'Agency text v2')
      assert.equal(comparison.held.kind, 'version')
      assert.equal(comparison.current.headline, 'Desk text')

      const accepted = await api('POST', `/wire/held/${held.id}/accept`, {
        articleVersion: comparison.current.version,
      })
      assert.equal(accepted.statusCode, 200, accepted.body)
      assert.equal(accepted.json<{ current: { headline: string } }>().current.headline, 'Agency text v2')
      const page = await t.app.inject({
        method: 'GET',
        url: '/api/v1/articles/' + String(articleId),
        headers: editorHeaders,
      })
      assert.match(page.body, /Agency text v2/)
      const second = await api('POST', `/wire/held/${held.id}/dismiss`, {})
      assert.equal(second.statusCode, 409)
      const contributor = await t.tokenFor('contributor')
      assert.equal((await api('GET', '/wire/held', undefined, contributor.headers)).statusCode, 403)
    })

    it('takes an auto-published story down to 410 on an agency kill pushed over HTTP', async () => {
      const uri = 'urn:held:api:kill'
      const [first] = await ingest(t.ctx, ninjsStory({ uri }), { publish: true })
      const path = first!.article!.path
      assert.equal((await t.app.inject({ method: 'GET', url: path })).statusCode, 200)
      const [kill] = await ingest(t.ctx, ninjsStory({ uri, version: '2', pubStatus: 'canceled' }))
      assert.equal(kill?.status, 'withdrawn')
      assert.equal((await t.app.inject({ method: 'GET', url: path })).statusCode, 410)
    })
  })
})
