import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, it } from 'node:test'
import {
  findArticleById,
  listRevisions,
  toArticleView,
  updateArticle,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import {
  acceptHeldVersion,
  dismissHeldVersion,
  getHeldVersion,
  listHeldVersions,
  type IngestOutcome,
} from '../../../src/modules/wire/index.js'
import { aSection, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { HAS_SHARED_TESTDATA, SHARED_TESTDATA, ingest, ninjsStory, rssFeed } from '../../support/wire.js'

let counter = 0
function newUri(): string {
  counter += 1
  return `urn:newsml:example-agency.test:20260303:review-${counter}`
}

function only(outcomes: IngestOutcome[]): IngestOutcome {
  assert.equal(outcomes.length, 1, JSON.stringify(outcomes))
  return outcomes[0]!
}

/** A NewsML-G2 news item with the given pubStatus; a kill notice carries little else. */
function g2Item(guid: string, version: number, pubStatus: string, headline = ''): Uint8Array {
  return new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="${guid}" version="${version}" standard="NewsML-G2" standardversion="2.35">
  <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:EXA"/><versionCreated>2026-03-03T09:0${version}:00Z</versionCreated><pubStatus qcode="${pubStatus}"/></itemMeta>
  <contentMeta>${headline && `<headline>${headline}</headline>`}</contentMeta>
  ${headline && '<contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Crews are on the scene.</p></body></html></inlineXML></contentSet>'}
</newsItem>`)
}

forEachDialect('wire review: kill notices and held versions', (dialect) => {
  let ctx: TestContext
  let editor: Actor

  const view = async (id: number) => toArticleView(ctx.handle.db, (await findArticleById(ctx.handle.db, id))!)
  const editHeadline = async (id: number, headline: string) => {
    const current = await view(id)
    return updateArticle(ctx.articles, editor, id, { version: current.version, headline })
  }

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
    await aSection(ctx, 'world')
  })
  after(() => ctx.destroy())

  it('takes down an auto-published story when the agency cancels it, recording the kill in a revision', async () => {
    const uri = newUri()
    const first = only(await ingest(ctx, ninjsStory({ uri }), { publish: true }))
    assert.equal(first.article?.status, 'published')
    const kill = only(await ingest(ctx, ninjsStory({ uri, version: '2', pubStatus: 'canceled' })))
    assert.equal(kill.status, 'withdrawn')
    assert.equal(kill.article?.status, 'unpublished')
    const revisions = await listRevisions(ctx.handle.db, first.article.id)
    assert.equal(revisions.at(0)?.kind, 'unpublished', 'the newest revision records the take-down')
    const again = only(await ingest(ctx, ninjsStory({ uri, version: '2', pubStatus: 'canceled' })))
    assert.equal(again.status, 'duplicate', 'the same kill delivered twice changes nothing')
  })

  it('takes down a story on a NewsML-G2 stat:withheld notice carrying the same version number', async () => {
    const guid = newUri()
    const first = only(
      await ingest(ctx, g2Item(guid, 1, 'stat:usable', 'Fire at the docks'), { publish: true }),
    )
    assert.equal(first.article?.status, 'published')
    const kill = only(await ingest(ctx, g2Item(guid, 1, 'stat:withheld')))
    assert.equal(kill.status, 'withdrawn')
    assert.equal((await view(first.article.id)).status, 'unpublished')
  })

  it('holds a kill for a story an editor changed, and takes it down only when an editor accepts', async () => {
    const guid = newUri()
    const first = only(
      await ingest(ctx, g2Item(guid, 1, 'stat:usable', 'Fire at the docks'), { publish: true }),
    )
    await editHeadline(first.article!.id, 'Fire at the docks: what we know')
    const kill = only(await ingest(ctx, g2Item(guid, 2, 'stat:canceled')))
    assert.equal(kill.status, 'held')
    assert.match(kill.reason ?? '', /canceled notice is held/)
    assert.equal((await view(first.article!.id)).status, 'published', 'not silently unpublished')

    const [pending] = await listHeldVersions(ctx.handle.db, { articleId: first.article!.id, limit: 10 })
    assert.equal(pending?.kind, 'withdrawal')
    const accepted = await acceptHeldVersion(ctx.wire, editor, pending.id, { note: 'agency legal kill' })
    assert.equal(accepted.current.status, 'unpublished')
    const [revision] = await listRevisions(ctx.handle.db, first.article!.id)
    assert.equal(revision?.kind, 'unpublished')
    assert.equal(revision?.userId, editor.userId, 'the take-down is recorded against the editor')
  })

  it('keeps a kill notice for a story we never had, and ingests the samples from the ninjs test suite', async () => {
    if (!HAS_SHARED_TESTDATA) return
    const suite = path.join(SHARED_TESTDATA, 'ninjs/validation/test_suite/1.0/should_pass')
    const canceled = readFileSync(path.join(suite, '023_pubstatus_canceled.json'))
    const withheld = readFileSync(path.join(suite, '022_pubstatus_withheld.json'))
    const unknown = only(await ingest(ctx, canceled))
    assert.equal(unknown.status, 'withdrawn')
    assert.match(unknown.reason ?? '', /no story of ours/)

    const story = only(
      await ingest(ctx, ninjsStory({ uri: '022_pubstatus_withheld', version: undefined }), { publish: true }),
    )
    assert.equal(story.article?.status, 'published')
    const kill = only(await ingest(ctx, withheld))
    assert.equal(kill.status, 'withdrawn')
    assert.equal((await view(story.article.id)).status, 'unpublished')
  })

  it('does not read an item gone from a feed as a kill', async () => {
    const items = [
      {
        guid: 'https://gazette.test/a',
        title: 'Bridge reopens',
        body: '<p>Traffic flows.</p>',
        pubDate: 'Tue, 03 Mar 2026 08:00:00 GMT',
      },
      {
        guid: 'https://gazette.test/b',
        title: 'Library extends hours',
        body: '<p>Open late.</p>',
        pubDate: 'Tue, 03 Mar 2026 08:05:00 GMT',
      },
    ]
    const firstFetch = await ingest(ctx, rssFeed(items), { publish: true })
    assert.deepEqual(
      firstFetch.map((o) => o.status),
      ['created', 'created'],
    )
    const secondFetch = await ingest(ctx, rssFeed(items.slice(0, 1)), { publish: true })
    assert.deepEqual(
      secondFetch.map((o) => o.status),
      ['duplicate'],
    )
    assert.equal((await view(firstFetch[1]!.article!.id)).status, 'published')
  })

  it('shows a held version beside the current text, and accepting it makes a revision by the editor', async () => {
    const uri = newUri()
    const first = only(await ingest(ctx, ninjsStory({ uri }), { publish: true }))
    const id = first.article!.id
    await editHeadline(id, 'Desk headline')
    const held = only(
      await ingest(ctx, ninjsStory({ uri, version: '2', headlines: [{ value: 'Agency headline v2' }] })),
    )
    assert.equal(held.status, 'held')

    const pending = await listHeldVersions(ctx.handle.db, { limit: 100 })
    const entry = pending.find((p) => p.articleId === id)
    assert.ok(entry, 'listed among all pending held versions')
    const comparison = await getHeldVersion(ctx.wire, entry.id)
    assert.equal(comparison.held.item.headline, 'Agency headline v2')
    assert.equal(comparison.current.headline, 'Desk headline')

    await assert.rejects(
      acceptHeldVersion(ctx.wire, editor, entry.id, { articleVersion: comparison.current.version - 1 }),
      /changed since you looked/,
    )
    const accepted = await acceptHeldVersion(ctx.wire, editor, entry.id, {
      articleVersion: comparison.current.version,
    })
    assert.equal(accepted.current.headline, 'Agency headline v2')
    const [revision] = await listRevisions(ctx.handle.db, id)
    assert.equal(revision?.userId, editor.userId)
    assert.ok(revision?.changedFields.includes('headline'))
    assert.deepEqual(await listHeldVersions(ctx.handle.db, { articleId: id, limit: 10 }), [])
    await assert.rejects(dismissHeldVersion(ctx.wire, editor, entry.id), /already accepted/)

    const next = only(
      await ingest(ctx, ninjsStory({ uri, version: '3', headlines: [{ value: 'Agency headline v3' }] })),
    )
    assert.equal(next.status, 'updated', 'once accepted, later agency versions apply again')
    assert.equal((await view(id)).headline, 'Agency headline v3')
  })

  it("dismissing keeps the editor's text and later versions stay held", async () => {
    const uri = newUri()
    const first = only(await ingest(ctx, ninjsStory({ uri }), { publish: true }))
    const id = first.article!.id
    await editHeadline(id, 'Desk headline kept')
    only(await ingest(ctx, ninjsStory({ uri, version: '2', headlines: [{ value: 'Agency v2' }] })))
    const [entry] = await listHeldVersions(ctx.handle.db, { articleId: id, limit: 10 })
    const dismissed = await dismissHeldVersion(ctx.wire, editor, entry!.id, { note: 'our version is better' })
    assert.equal(dismissed.current.headline, 'Desk headline kept')
    const history = await listHeldVersions(ctx.handle.db, { articleId: id, includeReviewed: true, limit: 10 })
    assert.equal(history[0]?.review, 'dismissed')
    assert.equal(history[0]?.reviewNote, 'our version is better')
    const next = only(
      await ingest(ctx, ninjsStory({ uri, version: '3', headlines: [{ value: 'Agency v3' }] })),
    )
    assert.equal(next.status, 'held')
    assert.equal((await view(id)).headline, 'Desk headline kept')
  })
})
