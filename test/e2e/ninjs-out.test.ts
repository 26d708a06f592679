import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, it } from 'node:test'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { createArticle, publishArticle, type ArticleView } from '../../src/modules/articles/index.js'
import { parseWireDocument } from '../../src/modules/wire/index.js'
import { aSection, aUser } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'
import { SHARED_TESTDATA } from '../support/wire.js'

const readJson = (file: string) =>
  JSON.parse(readFileSync(path.join(SHARED_TESTDATA, 'ninjs', file), 'utf8')) as object
const SCHEMA = readJson('specification/ninjs-schema_3.0.json')
// The schema names GeoJSON by its $id; the conformance suite ships a copy, so no fetch.
const GEOJSON = readJson('validation/test_suite/GeoJSON-schema.json')

forEachDialect('stories as ninjs', (dialect) => {
  let t: TestApp
  let editor: Record<string, string>
  let story: ArticleView

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'world')
    const author = await aUser(t.ctx, 'editor', { displayName: 'Ana Ruiz' })
    editor = (await t.tokenFor('editor')).headers
    const created = await createArticle(t.ctx.articles, author, {
      headline: 'Dam inspectors find cracks <after> the storm & floods',
      section: 'world',
      keyPoints: ['Three cracks were found', 'The reservoir is being lowered'],
      bodyHtml:
        '<p>Inspectors found three cracks in the dam wall.</p><h2>Next steps</h2>' +
        '<p>Read <a href="/world">more from World</a>.</p>',
      topics: ['Dams', 'Floods'],
      byline: 'Ana Ruiz',
      dateline: 'Lisbon, Portugal',
      breaking: true,
      hero: {
        src: 'https://images.test/dam.jpg',
        width: 1600,
        height: 900,
        alt: 'A concrete dam wall',
        caption: 'The dam wall after the storm',
        credit: 'Ana Ruiz/Dateline',
      },
    })
    story = await publishArticle(t.ctx.articles, author, created.id)
  })
  after(() => t.close())

  const ninjsOf = (id: number, headers = editor) =>
    t.app.inject({ method: 'GET', url: `/api/v1/articles/${id}/ninjs`, headers })

  it('writes ninjs 3.0 that the IPTC schema accepts', async () => {
    const res = await ninjsOf(story.id)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.headers['content-type'], 'application/ninjs+json; charset=utf-8')
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    addFormats.default(ajv)
    ajv.addSchema(GEOJSON)
    const validate = ajv.compile(SCHEMA)
    assert.equal(validate({ uri: 'not a uri at all' }), false, 'the schema can refuse')
    const ninjs = res.json<Record<string, unknown>>()
    assert.ok(validate(ninjs), JSON.stringify(validate.errors, null, 2))
    assert.equal(ninjs['uri'], `http://news.test/s/${story.shortCode}`)
    assert.equal(ninjs['pubStatus'], 'usable')
    assert.deepEqual(ninjs['renditions'], [
      { name: 'html', href: `http://news.test/world/${story.slug}`, contentType: 'text/html' },
    ])
  })

  it('reads back through our own wire ingest as the same story', async () => {
    const parsed = parseWireDocument((await ninjsOf(story.id)).rawPayload)
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason)
    const entry = parsed.entries[0]
    assert.equal(entry?.kind, 'item', entry?.kind === 'refused' ? entry.reason : '')
    const item = entry.item
    assert.equal(item.format, 'ninjs')
    assert.equal(item.headline, story.headline)
    assert.deepEqual(item.keyPoints, story.keyPoints)
    assert.deepEqual(item.topics, ['Dams', 'Floods'])
    assert.equal(item.byline, 'Ana Ruiz')
    assert.equal(item.located, 'Lisbon, Portugal')
    assert.equal(item.breaking, true)
    assert.match(item.bodyHtml, /<h2>Next steps<\/h2>/)
    assert.match(item.bodyHtml, /<a href="http:\/\/news\.test\/world"[^>]*>more from World<\/a>/)
    assert.equal(item.pictures[0]?.href, 'https://images.test/dam.jpg')
    assert.equal(item.pictures[0]?.caption, 'The dam wall after the storm')
  })

  it('shows a contributor only what they may see, and 404 for a story that does not exist', async () => {
    const contributor = (await t.tokenFor('contributor')).headers
    assert.equal((await ninjsOf(story.id, contributor)).statusCode, 200, 'a published story')
    const editorActor = await aUser(t.ctx, 'editor')
    const draft = await createArticle(t.ctx.articles, editorActor, { headline: 'Draft', section: 'world' })
    assert.equal((await ninjsOf(draft.id, contributor)).statusCode, 404)
    assert.equal((await ninjsOf(999_999)).statusCode, 404)
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/articles/${story.id}/ninjs` })).statusCode,
      401,
    )
  })
})
