import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, it } from 'node:test'
import { loadConfig } from '../../../src/config/load-config.js'
import { buildApp } from '../../../src/http/build-app.js'
import { runCli } from '../../../src/main/cli.js'
import { createContext } from '../../../src/main/context.js'
import { findArticleById, toArticleView } from '../../../src/modules/articles/index.js'
import { listQuarantine } from '../../../src/modules/wire/index.js'
import { fakeIo } from '../../support/cli.js'
import { createTestDatabase, forEachDialect, type TestDatabase } from '../../support/dialects.js'
import { appDepsOf } from '../../support/http.js'
import { testImage } from '../../support/images.js'
import { ninjsPicture, ninjsStory } from '../../support/wire.js'

const XXE = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY f SYSTEM "file:///etc/passwd">]><d>&f;</d>'

forEachDialect('dateline ingest, source and quarantine commands', (dialect) => {
  let dataDir: string
  let drop: string
  let database: TestDatabase | undefined
  let env: Record<string, string>
  const run = async (args: string[]) => {
    const io = fakeIo(env, dataDir)
    const code = await runCli(args, io)
    return { code, ...io }
  }

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dateline-ingest-cli-'))
    drop = path.join(dataDir, 'drop')
    mkdirSync(path.join(drop, 'sub'), { recursive: true })
    writeFileSync(path.join(drop, 'a-story.json'), ninjsStory({ uri: 'urn:cli:1' }))
    writeFileSync(path.join(drop, 'sub', 'b-hostile.xml'), XXE)
    writeFileSync(path.join(drop, '.hidden.json'), 'ignored')
    env = { DATELINE_DATA_DIR: dataDir, PUBLIC_URL: 'http://news.test' }
    if (dialect === 'postgres') {
      database = await createTestDatabase('postgres')
      if (database.config.dialect === 'postgres') env['DATABASE_URL'] = database.config.url
    }
    assert.equal((await run(['sample'])).code, 0)
  })
  after(async () => {
    await database?.destroy()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('prints one line per item, the public URL of a published story and the reason of a refusal, and exits 1', async () => {
    const result = await run(['ingest', '--publish', 'drop'])
    assert.equal(result.code, 1)
    assert.deepEqual(result.stderr, [])
    assert.equal(result.stdout.length, 2, result.stdout.join('\n'))
    assert.match(
      result.stdout[0] ?? '',
      /^created\thttp:\/\/news\.test\/[\w-]+\/harbour-wall-breached-in-overnight-storm\tdrop\/a-story\.json urn:cli:1$/,
    )
    assert.equal(
      result.stdout[1],
      'rejected\tthe DOCTYPE declares entities; external entities and entity expansion are refused\tdrop/sub/b-hostile.xml',
    )
  })

  it('exits 0 for a re-delivery, reporting it as a duplicate', async () => {
    const result = await run(['ingest', 'drop/a-story.json'])
    assert.equal(result.code, 0, result.stderr.join('\n'))
    assert.match(result.stdout[0] ?? '', /^duplicate\thttp:\/\/news\.test\//)
  })

  it('lists the refused document in the quarantine', async () => {
    const result = await run(['quarantine', 'list'])
    assert.equal(result.code, 0)
    assert.equal(result.stdout.length, 1)
    assert.match(
      result.stdout[0] ?? '',
      /^\d+\t\S+\t\d+\tdrop\/sub\/b-hostile\.xml\tthe DOCTYPE declares entities/,
    )
  })

  it('re-runs a quarantined document: still refused it stays open, with a corrected file it is ingested and resolved', async () => {
    const listed = await run(['quarantine', 'list'])
    const id = listed.stdout[0]?.split('\t')[0] ?? ''
    const unchanged = await run(['quarantine', 'rerun', id])
    assert.equal(unchanged.code, 1)
    assert.match(
      unchanged.stdout.at(-1) ?? '',
      new RegExp(`^quarantine ${id}\topen\tthe DOCTYPE declares entities`),
    )
    writeFileSync(path.join(dataDir, 'fixed.json'), ninjsStory({ uri: 'urn:cli:fixed' }))
    const fixed = await run(['quarantine', 'rerun', id, '--file', 'fixed.json', '--note', 'agency resent'])
    assert.equal(fixed.code, 0, fixed.stderr.join('\n'))
    assert.match(fixed.stdout[0] ?? '', /^created\tarticle \d+ \(draft\)\tfixed\.json urn:cli:fixed$/)
    assert.match(fixed.stdout[1] ?? '', new RegExp(`^quarantine ${id}\trerun\t`))
    assert.deepEqual((await run(['quarantine', 'list'])).stdout, [])
    const closed = await run(['quarantine', 'resolve', id])
    assert.equal(closed.code, 1)
    assert.match(closed.stderr[0] ?? '', /already rerun/)
    const discarded = await run(['quarantine', 'discard', id, '--note', 'bytes no longer needed'])
    assert.equal(discarded.code, 0, 'a closed entry can still be discarded, deleting its bytes')
  })

  it('resolves and discards quarantine entries with a note', async () => {
    writeFileSync(path.join(dataDir, 'junk.json'), '{"uri": ')
    writeFileSync(path.join(dataDir, 'junk2.json'), '[1, 2')
    assert.equal((await run(['ingest', 'junk.json', 'junk2.json'])).code, 1)
    const ids = (await run(['quarantine', 'list'])).stdout.map((l) => l.split('\t')[0] ?? '')
    assert.equal(ids.length, 2)
    const resolved = await run(['quarantine', 'resolve', ids[0]!, '--note', 'keyed in by hand'])
    assert.match(resolved.stdout[0] ?? '', /\tresolved\t/)
    const discarded = await run(['quarantine', 'discard', ids[1]!])
    assert.match(discarded.stdout[0] ?? '', /\tdiscarded\t/)
    assert.deepEqual((await run(['quarantine', 'list'])).stdout, [])
    const bad = await run(['quarantine', 'resolve', 'x'])
    assert.equal(bad.code, 2)
  })

  it('prints a refusal whose reason spans lines (invalid JSON quoting the document) on one line, and keeps the reason whole', async () => {
    writeFileSync(
      path.join(dataDir, 'multi-line.json'),
      '{\n  "uri": "urn:cli:ml",\n  "place": [\n    {},\n  ]\n}\n',
    )
    const result = await run(['ingest', 'multi-line.json'])
    assert.equal(result.code, 1)
    assert.equal(result.stdout.length, 1, result.stdout.join('\n'))
    const [status, reason, where] = result.stdout[0]?.split('\t') ?? []
    assert.equal(status, 'rejected')
    assert.match(reason ?? '', /^invalid JSON: .* \/ .* is not valid JSON$/)
    assert.equal(where, 'multi-line.json')
    const listed = await run(['quarantine', 'list'])
    assert.equal(listed.stdout.length, 1, listed.stdout.join('\n'))
    assert.equal(listed.stdout[0]?.split('\t')[4], reason)
    const ctx = await createContext(loadConfig(env, dataDir))
    try {
      const [entry] = await listQuarantine(ctx.handle.db, { limit: 1 })
      assert.match(
        entry?.reason ?? '',
        /^invalid JSON: [^]*\n[^]* is not valid JSON$/,
        'the quarantine keeps the lines',
      )
    } finally {
      await ctx.close()
    }
    assert.equal((await run(['quarantine', 'discard', listed.stdout[0]?.split('\t')[0] ?? ''])).code, 0)
  })

  it('says on stderr how many quarantine entries it shows of how many when --limit leaves some out', async () => {
    for (const n of [1, 2, 3]) writeFileSync(path.join(dataDir, `junk-${n}.json`), `{"uri": ${n}`)
    assert.equal((await run(['ingest', 'junk-1.json', 'junk-2.json', 'junk-3.json'])).code, 1)
    const limited = await run(['quarantine', 'list', '--limit', '2'])
    assert.equal(limited.code, 0)
    assert.equal(limited.stdout.length, 2)
    assert.deepEqual(limited.stderr, ['showing 2 of 3 open entries; --limit N for more (at most 10000)'])
    const all = await run(['quarantine', 'list'])
    assert.equal(all.stdout.length, 3)
    assert.deepEqual(all.stderr, [], 'nothing is said when every entry is shown')
    const withResolved = await run(['quarantine', 'list', '--all', '--limit', '1'])
    assert.match(withResolved.stderr.join('\n'), /^showing 1 of \d+ entries; --limit N for more/)
    const help = await run(['quarantine', 'list', '--help'])
    assert.match(help.stdout.join('\n'), /--limit N lists the newest N \(default 100, at most 10000\)/)
    const tooMany = await run(['quarantine', 'list', '--limit', '10001'])
    assert.equal(tooMany.code, 2)
    for (const line of all.stdout) await run(['quarantine', 'discard', line.split('\t')[0] ?? ''])
  })

  it('creates a source with a push token shown once, lists it, and files its stories as drafts by its policy', async () => {
    const created = await run([
      'source',
      'create',
      '--name',
      'exa',
      '--format',
      'ninjs',
      '--credit',
      'EXA',
      '--push',
    ])
    assert.equal(created.code, 0, created.stderr.join('\n'))
    assert.equal(created.stdout[0], 'Created wire source exa (ninjs, queue)')
    assert.match(created.stdout[1] ?? '', /^dlw_[\w-]{40,}$/)
    const listed = await run(['source', 'list'])
    assert.deepEqual(listed.stdout, ['exa\tninjs\tqueue\t-\tpush\tEXA\t-\t-\t-\t-\t-\t0\t-'])
    writeFileSync(path.join(dataDir, 'c.json'), ninjsStory({ uri: 'urn:cli:2' }))
    const ingested = await run(['ingest', '--source', 'exa', 'c.json'])
    assert.equal(ingested.code, 0, ingested.stderr.join('\n'))
    assert.match(ingested.stdout[0] ?? '', /^created\tarticle \d+ \(draft\)\tc\.json urn:cli:2$/)
  })

  it('makes a picture delivered beside the file the hero, and the site serves the page and the photo', async () => {
    const photos = path.join(dataDir, 'photo-drop')
    mkdirSync(photos)
    writeFileSync(path.join(photos, 'harbour.jpg'), await testImage('jpeg'))
    const associations = [
      ninjsPicture('harbour.jpg', { caption: 'The breach at dawn', copyrightNotice: '© Example Agency' }),
    ]
    writeFileSync(path.join(photos, 'story.json'), ninjsStory({ uri: 'urn:cli:photo', associations }))
    const result = await run(['ingest', '--publish', 'photo-drop/story.json'])
    assert.equal(result.code, 0, result.stderr.join('\n'))
    assert.match(
      result.stdout[0] ?? '',
      /^created\thttp:\/\/news\.test\/[\w-]+\/[\w-]+ \[picture set as hero: harbour\.jpg\]\tphoto-drop\/story\.json urn:cli:photo$/,
    )
    const ctx = await createContext(loadConfig(env, dataDir))
    const app = await buildApp(appDepsOf(ctx), { logger: false })
    try {
      const row = await ctx.handle.db
        .selectFrom('wire_item')
        .select(['article_id', 'picture_status'])
        .where('guid', '=', 'urn:cli:photo')
        .executeTakeFirstOrThrow()
      assert.equal(row.picture_status, 'stored')
      const article = await toArticleView(
        ctx.handle.db,
        (await findArticleById(ctx.handle.db, row.article_id!))!,
      )
      assert.equal(article.hero?.alt, 'The breach at dawn')
      assert.equal(article.hero.credit, '© Example Agency')
      const page = await app.inject({ method: 'GET', url: `/${article.section.slug}/${article.slug}` })
      assert.equal(page.statusCode, 200)
      assert.ok(page.body.includes(`src="${article.hero.src}"`))
      const photo = await app.inject({ method: 'GET', url: article.hero.src })
      assert.equal(photo.statusCode, 200)
      assert.equal(photo.headers['content-type'], 'image/jpeg')
    } finally {
      await app.close()
      await ctx.close()
    }
  })

  it('makes the photo item sent beside a NewsML-G2 story in its news message the hero', async () => {
    const drop = path.join(dataDir, 'g2-drop')
    mkdirSync(drop)
    writeFileSync(path.join(drop, 'quay.jpg'), await testImage('jpeg'))
    const nar = 'http://iptc.org/std/nar/2006-10-01/'
    writeFileSync(
      path.join(drop, 'message.xml'),
      `<newsMessage xmlns="${nar}"><header/><itemSet>
        <newsItem guid="urn:g2:story" version="1">
          <itemMeta><itemClass qcode="ninat:text"/></itemMeta>
          <contentMeta><headline>Quay reopens after storm repairs</headline></contentMeta>
          <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>The quay reopened on Monday.</p></body></html></inlineXML></contentSet>
        </newsItem>
        <newsItem guid="urn:g2:photo" version="1">
          <itemMeta><itemClass qcode="ninat:picture"/></itemMeta>
          <contentMeta><creditline>Ana Ruiz/Agency</creditline><description role="drol:caption">Boats back at the quay</description></contentMeta>
          <contentSet><remoteContent href="quay.jpg" contenttype="image/jpeg" width="64" height="48"/></contentSet>
        </newsItem>
      </itemSet></newsMessage>`,
    )
    const result = await run(['ingest', '--publish', 'g2-drop/message.xml'])
    assert.equal(result.code, 0, result.stderr.join('\n'))
    assert.equal(result.stdout.length, 1, result.stdout.join('\n'))
    assert.match(
      result.stdout[0] ?? '',
      /^created\thttp:\/\/news\.test\/\S+ \[picture set as hero: quay\.jpg\]\t/,
    )
  })

  it('refuses a picture path leading out of the folder, a link leading out and a file that is no image, ingesting each story', async () => {
    const drops = path.join(dataDir, 'hostile-drop')
    mkdirSync(drops)
    writeFileSync(path.join(dataDir, 'outside.jpg'), await testImage('jpeg'))
    symlinkSync(path.join(dataDir, 'outside.jpg'), path.join(drops, 'link.jpg'))
    writeFileSync(path.join(drops, 'notes.jpg'), 'call the desk before 6')
    const cases = [
      ['a-escape', '../outside.jpg'],
      ['b-link', 'link.jpg'],
      ['c-text', 'notes.jpg'],
    ] as const
    for (const [name, href] of cases) {
      const story = ninjsStory({ uri: `urn:cli:${name}`, associations: [ninjsPicture(href)] })
      writeFileSync(path.join(drops, `${name}.json`), story)
    }
    const result = await run(['ingest', 'hostile-drop'])
    assert.equal(result.code, 0, 'a refused picture does not refuse its story')
    assert.equal(result.stdout.length, 3, result.stdout.join('\n'))
    assert.match(result.stderr.join('\n'), /^dateline ingest: left 1 file that is not documents \(\.json/)
    const line = (name: string) => result.stdout.find((l) => l.endsWith(`urn:cli:${name}`)) ?? ''
    assert.match(
      line('a-escape'),
      /^created\tarticle \d+ \(draft\) \[picture refused: "\.\.\/outside\.jpg" leads out of the document's folder; only paths beside it are read\]\t/,
    )
    assert.match(
      line('b-link'),
      /\[picture refused: "link\.jpg" is a link leading out of the document's folder/,
    )
    assert.match(line('c-text'), /\[picture refused: notes\.jpg is not a JPEG, PNG, WebP, AVIF or GIF image/)
  })

  it('fails with one line naming an unknown source, a missing file, an empty path or a bad flag', async () => {
    const unknown = await run(['ingest', '--source', 'nobody', 'c.json'])
    assert.notEqual(unknown.code, 0)
    assert.deepEqual(unknown.stderr, ['dateline ingest: no wire source named "nobody"'])
    const missing = await run(['ingest', 'no-such-file.xml'])
    assert.notEqual(missing.code, 0)
    assert.deepEqual(missing.stderr, ['dateline ingest: no-such-file.xml: no such file or folder'])
    // A name holding a line break or an escape cannot break the line nor drive the terminal.
    const odd = await run(['ingest', 'odd\nname\u001b[2J.xml'])
    assert.deepEqual(odd.stderr, ['dateline ingest: odd / name\\x1B[2J.xml: no such file or folder'])
    // Not the working folder, which holds a drop of documents here.
    const empty = await run(['ingest', ''])
    assert.notEqual(empty.code, 0)
    assert.deepEqual(empty.stdout, [])
    assert.deepEqual(empty.stderr, ['dateline ingest: "": an empty path names no file or folder'])
    const none = await run(['ingest'])
    assert.equal(none.code, 2)
    assert.equal(none.stderr.length, 1)
    const badPolicy = await run(['source', 'create', '--name', 'x', '--policy', 'sometimes'])
    assert.notEqual(badPolicy.code, 0)
    assert.match(badPolicy.stderr[0] ?? '', /policy: must be publish or queue/)
  })
})
