import assert from 'node:assert/strict'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, it } from 'node:test'
import { scanWatchFolders, type WatchDeps } from '../../../src/jobs/watch-wire-folders.js'
import { startWireIntake } from '../../../src/jobs/wire-intake.js'
import { findArticleById, toArticleView } from '../../../src/modules/articles/index.js'
import { createSource, findQuarantinedBytes, listQuarantine } from '../../../src/modules/wire/index.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { aSection, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { testImage } from '../../support/images.js'
import { ninjsPicture, ninjsStory } from '../../support/wire.js'

const XXE = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY f SYSTEM "file:///etc/passwd">]><d>&f;</d>'
const SETTLE_MS = 2000

forEachDialect('wire watch folders', (dialect) => {
  let ctx: TestContext
  let root: string
  let folder: string
  let deps: WatchDeps

  /** Writes a file as a finished delivery: last modified a minute ago by the test clock. */
  const drop = (name: string, body: string | Uint8Array, ageMs = 60_000) => {
    const file = path.join(folder, name)
    writeFileSync(file, body)
    const when = new Date(ctx.clock.now().getTime() - ageMs)
    utimesSync(file, when, when)
  }
  const listing = (sub = '') => readdirSync(path.join(folder, sub)).sort()

  before(async () => {
    ctx = await createTestContext(dialect)
    await aSection(ctx, 'world')
    root = mkdtempSync(path.join(tmpdir(), 'dateline-watch-'))
    folder = path.join(root, 'agency')
    deps = { wire: ctx.wire, watchRoot: root, settleMs: SETTLE_MS }
    await createSource({ ...ctx.wire, watchRoot: root }, { name: 'agency', watchFolder: 'agency' })
    await scanWatchFolders(deps)
  })
  after(async () => {
    await ctx.destroy()
    rmSync(root, { recursive: true, force: true })
  })

  it('creates the watch folder on the first scan', () => {
    assert.deepEqual(listing(), [])
  })

  it('ingests finished documents, moves them to processed/ or quarantined/, and leaves every other file alone', async () => {
    drop('harbour.json', ninjsStory({ uri: 'urn:folder:1' }))
    drop('hostile.xml', XXE)
    drop('harbour-photo.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))
    drop('notes.txt', 'for the desk')
    drop('next.xml.part', '<newsItem')
    drop('.next.json', '{')
    drop('arriving.json', ninjsStory({ uri: 'urn:folder:2' }), 0)

    const reports = await scanWatchFolders(deps)
    assert.deepEqual(
      reports.map((r) => [r.file, r.movedTo, r.outcomes.map((o) => o.status).join()]),
      [
        ['harbour.json', 'processed/harbour.json', 'created'],
        ['hostile.xml', 'quarantined/hostile.xml', 'rejected'],
      ],
    )
    assert.deepEqual(listing(), [
      '.next.json',
      'arriving.json',
      'harbour-photo.jpg',
      'next.xml.part',
      'notes.txt',
      'processed',
      'quarantined',
    ])
    assert.deepEqual(listing('quarantined'), ['hostile.xml', 'hostile.xml.reason.txt'])
    assert.match(
      readFileSync(path.join(folder, 'quarantined', 'hostile.xml.reason.txt'), 'utf8'),
      /the DOCTYPE declares entities/,
    )
    const [entry] = await listQuarantine(ctx.handle.db, { limit: 1 })
    assert.equal(entry?.origin, 'agency/hostile.xml')
    assert.equal(entry?.source, 'agency')
    assert.deepEqual(await findQuarantinedBytes(ctx.handle.db, entry.id), new TextEncoder().encode(XXE))
  })

  it('takes a file still being written once it has stayed unchanged for the settle time', async () => {
    assert.deepEqual(await scanWatchFolders(deps), [])
    ctx.clock.advance(SETTLE_MS)
    const [report] = await scanWatchFolders(deps)
    assert.equal(report?.file, 'arriving.json')
    assert.equal(report.outcomes[0]?.status, 'created')
    assert.ok(!existsSync(path.join(folder, 'arriving.json')))
  })

  it('keeps an earlier file of the same name in processed/ when a re-delivery arrives', async () => {
    drop('harbour.json', ninjsStory({ uri: 'urn:folder:1' }))
    const [report] = await scanWatchFolders(deps)
    assert.equal(report?.movedTo, 'processed/harbour-2.json')
    assert.equal(report.outcomes[0]?.status, 'duplicate')
    assert.deepEqual(listing('processed'), ['arriving.json', 'harbour-2.json', 'harbour.json'])
  })

  it('takes files left in the folder while the server was down in its first round after start', async () => {
    drop('overnight.json', ninjsStory({ uri: 'urn:folder:3' }))
    const intake = startWireIntake({
      poll: { ...ctx.wire, fetcher: ctx.fetcher },
      watch: deps,
      logger: silentLogger,
      everyMs: 60_000,
    })
    await intake.stop()
    assert.ok(existsSync(path.join(folder, 'processed', 'overnight.json')))
    const row = await ctx.handle.db
      .selectFrom('wire_item')
      .select('guid')
      .where('guid', '=', 'urn:folder:3')
      .executeTakeFirst()
    assert.equal(row?.guid, 'urn:folder:3')
  })

  it('makes the picture delivered beside a document its hero, reading it before the document is moved', async () => {
    drop('pier-photo.jpg', await testImage('jpeg'))
    const associations = [ninjsPicture('pier-photo.jpg', { caption: 'The pier at low tide' })]
    drop('pier.json', ninjsStory({ uri: 'urn:folder:pier', associations }))
    const [report] = await scanWatchFolders(deps)
    assert.equal(report?.movedTo, 'processed/pier.json')
    const outcome = report.outcomes[0]
    assert.deepEqual(outcome?.picture, { status: 'set', detail: 'pier-photo.jpg' })
    const article = await findArticleById(ctx.handle.db, outcome.article!.id)
    const hero = (await toArticleView(ctx.handle.db, article!)).hero
    assert.equal(hero?.alt, 'The pier at low tide')
    assert.ok(hero.stored, 'the photo is in the media library')
    assert.ok(existsSync(path.join(folder, 'pier-photo.jpg')), 'the picture stays where it was delivered')
  })
})
