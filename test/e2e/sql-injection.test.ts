import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import { createArticle, publishArticle } from '../../src/modules/articles/index.js'
import { aSection, aUser } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'
import { hasSqlmap, sqlmapFindings } from '../support/tools.js'

const HAS_SQLMAP = hasSqlmap()

/** A page that pastes its query into SQL, as no page of ours may: sqlmap must catch it. */
function vulnerableServer(): Promise<Server> {
  const db = new DatabaseSync(':memory:')
  db.exec(
    "create table story (id integer primary key, headline text); insert into story (headline) values ('Bridge reopens')",
  )
  const server = createServer((request, response) => {
    const q = new URL(request.url ?? '/', 'http://localhost').searchParams.get('q') ?? ''
    try {
      const rows = db.prepare(`select headline from story where id = ${q}`).all() as { headline: string }[]
      response.end(rows.map((r) => r.headline).join('\n'))
    } catch {
      response.statusCode = 500
      response.end('error')
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

describe('SQL injection, probed by sqlmap', { skip: !HAS_SQLMAP && 'sqlmap not available' }, () => {
  it('finds the injection in a page built to have one (so it can find one)', async () => {
    const server = await vulnerableServer()
    try {
      const { port } = server.address() as AddressInfo
      const { injectable, log } = await sqlmapFindings(`http://127.0.0.1:${port}/?q=1`)
      assert.ok(injectable.length > 0, log.slice(-2000))
    } finally {
      server.close()
    }
  })

  forEachDialect('our query parameters', (dialect) => {
    let t: TestApp
    let base: string
    let token: string

    before(async () => {
      t = await testApp(dialect)
      await aSection(t.ctx, 'world')
      const editor = await aUser(t.ctx, 'editor')
      const story = await createArticle(t.ctx.articles, editor, {
        headline: 'Bridge reopens after repairs',
        section: 'world',
        bodyHtml: '<p>Traffic flows again.</p>',
      })
      await publishArticle(t.ctx.articles, editor, story.id)
      token = (await t.tokenFor('editor')).headers['authorization']!
      base = await t.app.listen({ port: 0, host: '127.0.0.1' })
    })
    after(() => t.close())

    it('finds none in reader search', async () => {
      const { injectable, log } = await sqlmapFindings(`${base}/search?q=bridge`)
      assert.deepEqual(injectable, [], log.slice(-2000))
      assert.match(log, /all tested parameters do not appear to be injectable/)
    })

    it('finds none in the newsroom story list search and filters', async () => {
      const { injectable, log } = await sqlmapFindings(
        `${base}/api/v1/articles?list=published&q=bridge&section=world`,
        [`Authorization: ${token}`],
      )
      assert.deepEqual(injectable, [], log.slice(-2000))
      assert.match(log, /all tested parameters do not appear to be injectable/)
      assert.match(
        log,
        /testing if GET parameter 'q' is dynamic/,
        'it got past authentication to the parameters',
      )
      assert.doesNotMatch(log, /401 \(Unauthorized\)/, 'the token was accepted')
    })
  })
})
