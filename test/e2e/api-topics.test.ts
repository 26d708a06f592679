import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createSource } from '../../src/modules/wire/index.js'
import { aSection } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'
import { pushStory, topicSlugsOf } from '../support/wire.js'

interface TopicJson {
  slug: string
  name: string
  aliases: string[]
}
interface ErrorJson {
  code: string
  message: string
  problems?: { field: string; message: string }[]
}

forEachDialect('topics API: editing names and aliases', (dialect) => {
  let t: TestApp
  let editor: Record<string, string>
  let pushToken: string

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'world')
    editor = (await t.tokenFor('editor')).headers
    const source = await createSource(t.ctx.wire, { name: 'example-agency', push: true, policy: 'publish' })
    pushToken = source.token!
  })
  after(() => t.close())

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers = editor) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) })

  const push = (guid: string, subjects: string[], overrides?: Record<string, unknown>) =>
    pushStory(t.app, pushToken, guid, subjects, overrides)
  const topicsOf = (articleId: number) => topicSlugsOf(t.app, editor, articleId)

  it('documents editing and merging topics in the OpenAPI document, with their request schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >
    }>()
    const schemaOf = (path: string, method: string) =>
      doc.paths[path]?.[method]?.requestBody?.content['application/json']?.schema as
        { properties?: Record<string, unknown>; required?: string[] } | undefined
    const patch = schemaOf('/topics/{slug}', 'patch')
    assert.ok(patch, 'lists PATCH /topics/{slug}')
    assert.deepEqual(Object.keys(patch.properties ?? {}).sort(), ['aliases', 'name', 'slug'])
    const merge = schemaOf('/topics/{slug}/merge', 'post')
    assert.ok(merge, 'lists POST /topics/{slug}/merge')
    assert.deepEqual(merge.required, ['from'])
  })

  it('adds and removes aliases: a spelling leads to the topic, wire copy included, only while it is one', async () => {
    const created = await api('POST', '/topics', { name: 'Climate crisis', aliases: ['Global warming'] })
    assert.equal(created.statusCode, 201, created.body)

    const response = await api('PATCH', '/topics/climate-crisis', {
      aliases: ['Climate change', 'Global heating'],
    })
    assert.equal(response.statusCode, 200, response.body)
    assert.deepEqual(response.json<TopicJson>(), {
      slug: 'climate-crisis',
      name: 'Climate crisis',
      aliases: ['Climate change', 'Global heating'],
    })
    assert.equal((await api('GET', '/topics/climate-change')).json<TopicJson>().slug, 'climate-crisis')
    assert.equal(
      (await api('GET', '/topics/global-warming')).statusCode,
      404,
      'a removed alias leads nowhere',
    )

    const filed = await push('heating-1', ['Global heating'])
    assert.equal(filed.status, 'created', filed.reason)
    assert.deepEqual(await topicsOf(filed.article!.id), ['climate-crisis'])
  })

  it('renames a topic: the slug follows the name, the old one redirects, and wire updates still apply', async () => {
    const first = await push('summit-1', ['Cop29', 'Baku'])
    assert.equal(first.status, 'created', first.reason)

    const response = await api('PATCH', '/topics/cop29', { name: 'COP29 climate summit' })
    assert.equal(response.statusCode, 200, response.body)
    assert.deepEqual(response.json<TopicJson>(), {
      slug: 'cop29-climate-summit',
      name: 'COP29 climate summit',
      aliases: ['Cop29'],
    })
    const old = await t.app.inject({ method: 'GET', url: '/topic/cop29' })
    assert.equal(old.statusCode, 301)
    assert.equal(old.headers.location, '/topic/cop29-climate-summit')
    assert.deepEqual(await topicsOf(first.article!.id), ['cop29-climate-summit', 'baku'])

    // The story's topics show the new slug, yet nobody edited it: the agency's next version applies.
    const second = await push('summit-1', ['Cop29', 'Baku'], {
      version: '2',
      versionCreated: '2026-03-02T09:00:00Z',
      headlines: [{ role: 'main', value: 'Story summit-1, updated' }],
    })
    assert.equal(second.status, 'updated', second.reason)
    assert.deepEqual(await topicsOf(first.article!.id), ['cop29-climate-summit', 'baku'])
  })

  it('answers 409 naming the topic an alias or a new name already leads to, and changes nothing', async () => {
    assert.equal((await api('POST', '/topics', { name: 'United Kingdom', aliases: ['UK'] })).statusCode, 201)
    assert.equal((await api('POST', '/topics', { name: 'Ukraine' })).statusCode, 201)

    const alias = await api('PATCH', '/topics/ukraine', { aliases: ['Kyiv', 'UK'] })
    assert.equal(alias.statusCode, 409, alias.body)
    const body = alias.json<ErrorJson>()
    assert.equal(body.code, 'CONFLICT')
    assert.match(body.message, /"UK" already names topic "United Kingdom" \(united-kingdom\)/)
    assert.deepEqual(
      body.problems?.map((p) => p.field),
      ['aliases/1'],
    )
    assert.equal(
      (await api('GET', '/topics/kyiv')).statusCode,
      404,
      'no alias of the refused change was kept',
    )

    const renamed = await api('PATCH', '/topics/ukraine', { name: 'UK' })
    assert.equal(renamed.statusCode, 409, renamed.body)
    assert.deepEqual(
      renamed.json<ErrorJson>().problems?.map((p) => [p.field, p.message]),
      [['name', '"UK" already names topic "United Kingdom" (united-kingdom); merge the two instead']],
    )
    assert.deepEqual((await api('GET', '/topics/ukraine')).json<TopicJson>(), {
      slug: 'ukraine',
      name: 'Ukraine',
      aliases: [],
    })
  })

  it('answers 400 naming every field at fault', async () => {
    assert.equal((await api('POST', '/topics', { name: 'Elections' })).statusCode, 201)
    const response = await api('PATCH', '/topics/elections', {
      name: '',
      slug: 'Not A Slug',
      aliases: ['Polls', '', 'x'.repeat(81)],
      colour: 'red',
    })
    assert.equal(response.statusCode, 400, response.body)
    const body = response.json<ErrorJson>()
    assert.equal(body.code, 'INVALID_INPUT')
    assert.deepEqual(body.problems?.map((p) => p.field).sort(), [
      'aliases/1',
      'aliases/2',
      'colour',
      'name',
      'slug',
    ])

    const noWords = await api('PATCH', '/topics/elections', { name: '!!!', aliases: ['Polls', '???'] })
    assert.equal(noWords.statusCode, 400, noWords.body)
    assert.deepEqual(
      noWords.json<ErrorJson>().problems?.map((p) => [p.field, p.message]),
      [
        ['name', 'must contain a letter or a digit'],
        ['aliases/1', 'must contain a letter or a digit'],
      ],
    )
    assert.equal((await api('PATCH', '/topics/elections', {})).statusCode, 400, 'an empty change')
    assert.equal((await api('PATCH', '/topics/no-such-topic', { aliases: [] })).statusCode, 404)
  })

  it('lets editors and admins edit and merge topics, and nobody else', async () => {
    assert.equal((await api('POST', '/topics', { name: 'Fisheries' })).statusCode, 201)
    const contributor = (await t.tokenFor('contributor')).headers
    assert.equal(
      (await api('PATCH', '/topics/fisheries', { aliases: ['Fishing'] }, contributor)).statusCode,
      403,
    )
    assert.equal((await api('PATCH', '/topics/fisheries', { aliases: ['Fishing'] }, {})).statusCode, 401)
    assert.equal(
      (await api('POST', '/topics/fisheries/merge', { from: 'elections' }, contributor)).statusCode,
      403,
    )
    const admin = (await t.tokenFor('admin')).headers
    const response = await api('PATCH', '/topics/fisheries', { aliases: ['Fishing'] }, admin)
    assert.equal(response.statusCode, 200, response.body)
    assert.deepEqual(response.json<TopicJson>().aliases, ['Fishing'])
    assert.equal((await api('POST', '/topics', { name: 'Trawlers' })).statusCode, 201)
    assert.equal((await api('POST', '/topics/fisheries/merge', { from: 'trawlers' }, {})).statusCode, 401)
    const merged = await api('POST', '/topics/fisheries/merge', { from: 'trawlers' }, admin)
    assert.equal(merged.statusCode, 200, merged.body)
    assert.deepEqual(merged.json<TopicJson>().aliases, ['Fishing', 'Trawlers'])
  })
})
