import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import Fastify from 'fastify'
import { registerNewsroomApp } from '../../src/http/plugins/newsroom-app.js'
import { testApp, type TestApp } from '../support/http.js'

// The app's static files do not touch the database, so one dialect is enough here.
describe('the newsroom app at /newsroom/', () => {
  let t: TestApp
  let assets: string[]

  before(async () => {
    t = await testApp('sqlite')
    const html = (await t.app.inject({ url: '/newsroom/' })).body
    assets = [...html.matchAll(/(?:src|href)="(\/newsroom\/assets\/[^"]+)"/g)].map((m) => m[1]!)
  })

  after(async () => {
    await t?.close()
  })

  it('redirects /newsroom to /newsroom/', async () => {
    const res = await t.app.inject({ url: '/newsroom' })
    assert.equal(res.statusCode, 301)
    assert.equal(res.headers.location, '/newsroom/')
  })

  it('serves index.html for the app and for any screen address, revalidated on every load', async () => {
    for (const url of ['/newsroom/', '/newsroom/stories/42', '/newsroom/stories?status=draft']) {
      const res = await t.app.inject({ url })
      assert.equal(res.statusCode, 200, url)
      assert.match(String(res.headers['content-type']), /^text\/html/, url)
      assert.equal(res.headers['cache-control'], 'no-cache', url)
      assert.match(res.body, /<div id="app">/, url)
    }
  })

  it('keeps the strict CSP: only script files from our origin, no inline script or style', async () => {
    const res = await t.app.inject({ url: '/newsroom/' })
    const csp = String(res.headers['content-security-policy'])
    assert.match(csp, /script-src 'self';/)
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/)
    assert.doesNotMatch(res.body, /<script(?![^>]*\ssrc=)[^>]*>/, 'an inline script')
    assert.doesNotMatch(res.body, /<style|\sstyle="/, 'inline style')
    assert.ok(
      assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')),
      'js and css files',
    )
  })

  it('serves the hashed assets with a year-long immutable cache', async () => {
    for (const asset of assets) {
      const res = await t.app.inject({ url: asset })
      assert.equal(res.statusCode, 200, asset)
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', asset)
      assert.match(String(res.headers['content-type']), asset.endsWith('.js') ? /javascript/ : /text\/css/)
    }
  })

  it('answers 404 for an asset that does not exist, not the app', async () => {
    const res = await t.app.inject({ url: '/newsroom/assets/index-gone.js' })
    assert.equal(res.statusCode, 404)
  })

  it('says how to build the app when it has not been built', async () => {
    const app = Fastify({ logger: false })
    await registerNewsroomApp(app, '/nonexistent/newsroom')
    const res = await app.inject({ url: '/newsroom/' })
    await app.close()
    assert.equal(res.statusCode, 503)
    assert.match(res.body, /npm run build:newsroom/)
  })
})
