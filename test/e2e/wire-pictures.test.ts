import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  findArticleById,
  listRevisions,
  toArticleView,
  updateArticle,
  type ArticleView,
} from '../../src/modules/articles/index.js'
import type { Actor } from '../../src/modules/auth/index.js'
import { deleteMedia } from '../../src/modules/media/index.js'
import { countJobs } from '../../src/modules/queue/index.js'
import {
  createSource,
  PICTURE_FETCH_ATTEMPTS,
  WIRE_PICTURE_JOB,
  type IngestOutcome,
  type WireSource,
} from '../../src/modules/wire/index.js'
import { aSection, anEditor } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { startFeedServer, type FeedServer } from '../support/feed-server.js'
import { testApp, type TestApp } from '../support/http.js'
import { SECRET_ARTIST, testImage } from '../support/images.js'
import { ingest, ninjsPicture, ninjsStory } from '../support/wire.js'

let storyCounter = 0

function newUri(): string {
  storyCounter += 1
  return `urn:newsml:example-agency.test:20260302:picture-${storyCounter}`
}

function only(outcomes: IngestOutcome[]): IngestOutcome & { article: NonNullable<IngestOutcome['article']> } {
  assert.equal(outcomes.length, 1, JSON.stringify(outcomes))
  const [outcome] = outcomes
  assert.ok(outcome?.article, JSON.stringify(outcome))
  return { ...outcome, article: outcome.article }
}

const CAPTION = 'Waves break over the harbour wall at high tide'

forEachDialect('wire pictures become the hero', (dialect) => {
  let t: TestApp
  let server: FeedServer
  let editor: Actor
  let local: WireSource
  let publicOnly: WireSource
  let jpeg: Buffer

  const view = async (id: number): Promise<ArticleView> =>
    toArticleView(t.ctx.handle.db, (await findArticleById(t.ctx.handle.db, id))!)
  const wireRows = (guid: string) =>
    t.ctx.handle.db.selectFrom('wire_item').selectAll().where('guid', '=', guid).orderBy('version').execute()
  const fetchesOf = (path: string) => server.requests.filter((r) => r.path === path).length
  const serve = (path: string, body: Uint8Array | string, contentType = 'image/jpeg') =>
    server.routes.set(path, { body, contentType })
  /** A ninjs story with one picture at `path` on the test server. */
  const story = (uri: string, path: string, more: Record<string, unknown> = {}) =>
    ninjsStory({
      uri,
      associations: [
        ninjsPicture(`${server.origin}${path}`, {
          caption: CAPTION,
          by: 'Jo Lens',
          copyrightNotice: '© 2026 Example Agency',
        }),
      ],
      ...more,
    })
  const page = async (article: NonNullable<IngestOutcome['article']>) => {
    const response = await t.app.inject({ method: 'GET', url: article.path })
    assert.equal(response.statusCode, 200)
    return response.body
  }

  before(async () => {
    t = await testApp(dialect)
    server = await startFeedServer()
    editor = await anEditor(t.ctx)
    await aSection(t.ctx, 'world')
    local = (
      await createSource(t.ctx.wire, { name: 'local-photos', policy: 'publish', allowPrivateNetwork: true })
    ).source
    publicOnly = (await createSource(t.ctx.wire, { name: 'public-only', policy: 'publish' })).source
    jpeg = await testImage('jpeg')
  })
  after(async () => {
    await server.close()
    await t.close()
  })

  describe('a picture at an http URL', () => {
    const uri = newUri()
    let first: ReturnType<typeof only>

    it('is queued without holding up the story, which is published at once', async () => {
      serve('/photos/harbour.jpg', jpeg)
      first = only(await ingest(t.ctx, story(uri, '/photos/harbour.jpg'), { source: local }))
      assert.equal(first.status, 'created')
      assert.equal(first.article.status, 'published')
      assert.deepEqual(first.picture, {
        status: 'queued',
        detail: `${server.origin}/photos/harbour.jpg`,
      })
      assert.equal((await view(first.article.id)).hero, null)
      assert.equal(fetchesOf('/photos/harbour.jpg'), 0, 'nothing is fetched during ingest')
      assert.doesNotMatch(await page(first.article), /<figure class="hero">/)
    })

    it('becomes the hero once the job runs, as a minor wire revision, and the page shows it', async () => {
      const before = await view(first.article.id)
      await t.ctx.jobs.runDue()
      assert.equal(fetchesOf('/photos/harbour.jpg'), 1)
      const request = server.requests.find((r) => r.path === '/photos/harbour.jpg')
      assert.match(String(request?.headers.accept), /^image\//)
      const after = await view(first.article.id)
      assert.ok(after.hero?.stored, 'the photo is in the media library')
      assert.equal(after.hero.alt, CAPTION)
      assert.equal(after.hero.caption, CAPTION)
      assert.equal(after.hero.credit, 'Jo Lens; © 2026 Example Agency')
      assert.equal(after.publicUpdatedAt?.getTime(), before.publicUpdatedAt?.getTime())
      const [revision] = await listRevisions(t.ctx.handle.db, first.article.id)
      assert.equal(revision?.kind, 'minor')
      assert.equal(revision.userId, null)
      assert.deepEqual(revision.changedFields, ['hero'])

      const html = await page(first.article)
      assert.match(html, /<figure class="hero">/)
      assert.ok(html.includes(after.hero.src), 'the cached page was dropped for the new hero')
      assert.match(html, /<span class="credit">\(Jo Lens; © 2026 Example Agency\)<\/span>/)
      const image = await t.app.inject({ method: 'GET', url: after.hero.src })
      assert.equal(image.statusCode, 200)
      assert.equal(image.headers['content-type'], 'image/jpeg')
      assert.ok(!image.rawPayload.includes(SECRET_ARTIST), 'EXIF is stripped from wire pictures too')

      const [row] = await wireRows(uri)
      assert.equal(row?.picture_status, 'stored')
      assert.equal(row.picture_media_id, after.hero.id)
    })

    it('is not fetched again for a newer version offering the same picture', async () => {
      const hero = (await view(first.article.id)).hero
      const jobs = await countJobs(t.ctx.handle.db, WIRE_PICTURE_JOB)
      const next = only(
        await ingest(t.ctx, story(uri, '/photos/harbour.jpg', { version: '2', located: 'Eastmere' }), {
          source: local,
        }),
      )
      assert.equal(next.status, 'updated')
      assert.equal(next.picture, undefined)
      await t.ctx.jobs.runDue()
      assert.deepEqual(await countJobs(t.ctx.handle.db, WIRE_PICTURE_JOB), jobs)
      assert.equal(fetchesOf('/photos/harbour.jpg'), 1)
      assert.equal((await view(first.article.id)).hero?.id, hero?.id)
      assert.equal((await wireRows(uri))[1]?.picture_status, 'stored')
    })

    it('is replaced by a new picture on a newer version, since the wire set it', async () => {
      const sunset = await testImage('png', { width: 80, height: 60 })
      serve('/photos/sunset.png', sunset, 'image/png')
      const next = only(
        await ingest(t.ctx, story(uri, '/photos/sunset.png', { version: '3' }), { source: local }),
      )
      assert.equal(next.picture?.status, 'queued')
      await t.ctx.jobs.runDue()
      const hero = (await view(first.article.id)).hero
      assert.equal(hero?.width, 80)
      assert.match(hero.src, /\.png$/)
    })

    it('is left alone on a newer version once an editor changed the story', async () => {
      const current = await view(first.article.id)
      await updateArticle(t.ctx.articles, editor, current.id, {
        headline: 'Harbour wall breached: the desk rewrote this',
        version: current.version,
      })
      serve('/photos/other.jpg', jpeg)
      const next = only(
        await ingest(t.ctx, story(uri, '/photos/other.jpg', { version: '4' }), { source: local }),
      )
      assert.equal(next.status, 'held')
      await t.ctx.jobs.runDue()
      assert.equal(fetchesOf('/photos/other.jpg'), 0)
      assert.equal((await view(first.article.id)).hero?.id, current.hero?.id)
    })
  })

  it('fetches a picture again for a later version once its photo was deleted from the library', async () => {
    const uri = newUri()
    serve('/photos/quay.jpg', await testImage('jpeg', { width: 90, height: 60 }))
    serve('/photos/dusk.jpg', await testImage('jpeg', { width: 91, height: 60 }))
    const first = only(await ingest(t.ctx, story(uri, '/photos/quay.jpg'), { source: local }))
    await t.ctx.jobs.runDue()
    const quay = (await view(first.article.id)).hero!
    only(await ingest(t.ctx, story(uri, '/photos/dusk.jpg', { version: '2' }), { source: local }))
    await t.ctx.jobs.runDue()
    assert.equal((await view(first.article.id)).hero?.width, 91)
    await deleteMedia(t.ctx.media, quay.id)

    const again = only(
      await ingest(t.ctx, story(uri, '/photos/quay.jpg', { version: '3' }), { source: local }),
    )
    assert.equal(again.picture?.status, 'queued')
    await t.ctx.jobs.runDue()
    assert.equal(fetchesOf('/photos/quay.jpg'), 2)
    assert.equal((await view(first.article.id)).hero?.width, 90)
    assert.equal((await wireRows(uri))[2]?.picture_status, 'stored')
  })

  it("never replaces a hero whose caption an editor changed, though the agency's text still applies", async () => {
    const uri = newUri()
    serve('/photos/pier.jpg', await testImage('jpeg', { width: 70 }))
    const created = only(await ingest(t.ctx, story(uri, '/photos/pier.jpg'), { source: local }))
    await t.ctx.jobs.runDue()
    const wireSet = await view(created.article.id)
    assert.ok(wireSet.hero)
    await updateArticle(t.ctx.articles, editor, wireSet.id, {
      hero: { ...wireSet.hero, caption: 'The pier, seen from the lifeboat station' },
      version: wireSet.version,
    })
    serve('/photos/pier-2.jpg', jpeg)
    const next = only(
      await ingest(t.ctx, story(uri, '/photos/pier-2.jpg', { version: '2', located: 'Pier End' }), {
        source: local,
      }),
    )
    assert.equal(next.status, 'updated')
    assert.equal(next.picture?.status, 'skipped')
    await t.ctx.jobs.runDue()
    assert.equal(fetchesOf('/photos/pier-2.jpg'), 0)
    const after = await view(created.article.id)
    assert.equal(after.dateline, 'Pier End')
    assert.equal(after.hero?.id, wireSet.hero.id)
    assert.equal(after.hero.caption, 'The pier, seen from the lifeboat station')
  })

  it('keeps a picture that lands after an editor changed the story in the library, not on the story', async () => {
    const uri = newUri()
    serve('/photos/late.jpg', await testImage('jpeg', { width: 72 }))
    const created = only(await ingest(t.ctx, story(uri, '/photos/late.jpg'), { source: local }))
    const draft = await view(created.article.id)
    await updateArticle(t.ctx.articles, editor, draft.id, {
      bodyHtml: '<p>Rewritten.</p>',
      version: draft.version,
    })
    await t.ctx.jobs.runDue()
    assert.equal((await view(created.article.id)).hero, null)
    const [row] = await wireRows(uri)
    assert.equal(row?.picture_status, 'skipped')
    assert.match(row.picture_reason, /an editor changed the story/)
    assert.ok(row.picture_media_id !== null, 'the photo waits in the media library')
  })

  it('refuses a loopback picture when the source does not allow private networks; the story stays, without hero', async () => {
    const uri = newUri()
    serve('/photos/inside.jpg', jpeg)
    const created = only(await ingest(t.ctx, story(uri, '/photos/inside.jpg'), { source: publicOnly }))
    assert.equal(created.status, 'created')
    assert.equal(created.article.status, 'published')
    const totals = await t.ctx.jobs.runDue()
    assert.equal(totals.failed, 1, 'given up at once, not retried')
    assert.equal(fetchesOf('/photos/inside.jpg'), 0)
    assert.equal((await view(created.article.id)).hero, null)
    const [row] = await wireRows(uri)
    assert.equal(row?.picture_status, 'refused')
    assert.match(row.picture_reason, /^127\.0\.0\.1 is a loopback address; only public addresses are fetched/)
    assert.equal((await t.ctx.jobs.runDue()).failed, 0)
  })

  it('refuses a file that is not an image, and one cut short, each with its reason and without retrying', async () => {
    serve('/photos/page.jpg', '<!doctype html><html><body>Not found</body></html>')
    serve('/photos/cut.jpg', (await testImage('jpeg', { width: 200, height: 150 })).subarray(0, 1500))
    const reasons: string[] = []
    for (const path of ['/photos/page.jpg', '/photos/cut.jpg']) {
      const uri = newUri()
      const created = only(await ingest(t.ctx, story(uri, path), { source: local }))
      assert.equal((await t.ctx.jobs.runDue()).failed, 1)
      assert.equal(fetchesOf(path), 1)
      assert.equal((await view(created.article.id)).hero, null)
      const [row] = await wireRows(uri)
      assert.equal(row?.picture_status, 'refused')
      reasons.push(row.picture_reason)
    }
    assert.match(
      reasons[0] ?? '',
      /\/photos\/page\.jpg (is HTML or XML text, not an image|contains web page)/,
    )
    assert.match(reasons[1] ?? '', /\/photos\/cut\.jpg is cut short \(truncated\)/)
  })

  it('tries a picture server that does not answer again with back-off, then sets the hero', async () => {
    const uri = newUri()
    server.routes.set('/photos/busy.jpg', { status: 503, body: 'busy' })
    const created = only(await ingest(t.ctx, story(uri, '/photos/busy.jpg'), { source: local }))
    assert.equal((await t.ctx.jobs.runDue()).retried, 1)
    const [waiting] = await wireRows(uri)
    assert.equal(waiting?.picture_status, 'pending')
    assert.match(
      waiting.picture_reason,
      new RegExp(`^try 1 of ${PICTURE_FETCH_ATTEMPTS} failed.*answered 503`),
    )
    serve('/photos/busy.jpg', jpeg)
    assert.equal((await t.ctx.jobs.runDue()).done, 0, 'not before the back-off')
    t.ctx.clock.advance(31_000)
    await t.ctx.jobs.runDue()
    assert.ok((await view(created.article.id)).hero)
  })

  it('gives up on a picture server that keeps failing after the last try, keeping the reason', async () => {
    const uri = newUri()
    server.routes.set('/photos/down.jpg', { status: 502, body: 'bad gateway' })
    only(await ingest(t.ctx, story(uri, '/photos/down.jpg'), { source: local }))
    for (let attempt = 1; attempt <= PICTURE_FETCH_ATTEMPTS; attempt++) {
      await t.ctx.jobs.runDue()
      t.ctx.clock.advance(2 * 60 * 60 * 1000)
    }
    assert.equal(fetchesOf('/photos/down.jpg'), PICTURE_FETCH_ATTEMPTS)
    const [row] = await wireRows(uri)
    assert.equal(row?.picture_status, 'refused')
    assert.match(
      row.picture_reason,
      new RegExp(`^gave up after ${PICTURE_FETCH_ATTEMPTS} tries: .*answered 502`),
    )
    await t.ctx.jobs.runDue()
    assert.equal(fetchesOf('/photos/down.jpg'), PICTURE_FETCH_ATTEMPTS, 'not tried again')
  })

  it('refuses a relative picture path in a pushed document, which has no folder to read it from', async () => {
    const created = only(
      await ingest(t.ctx, ninjsStory({ uri: newUri(), associations: [ninjsPicture('harbour.jpg')] }), {
        source: local,
      }),
    )
    assert.equal(created.status, 'created')
    assert.equal(created.picture?.status, 'refused')
    assert.match(created.picture.detail, /relative address, and the document came with no file or URL/)
  })
})
