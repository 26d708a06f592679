import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import {
  createWorkerDocumentParser,
  type WorkerDocumentParser,
} from '../../../src/adapters/wire-parser/worker-document-parser.js'
import {
  DEFAULT_WIRE_LIMITS,
  findQuarantinedBytes,
  OVERSIZE_PREFIX_BYTES,
  ingestStream,
  parseWireDocument,
  type DocumentParser,
  type FileToIngest,
  type IngestInput,
  type IngestOutcome,
  type WireFormat,
} from '../../../src/modules/wire/index.js'
import { silentLogger } from '../../../src/platform/logger.js'
import { aSection, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { HAS_SHARED_TESTDATA, SHARED_TESTDATA, ninjsStory, rssFeed } from '../../support/wire.js'

const bytes = (text: string) => new TextEncoder().encode(text)
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/wire/', import.meta.url))
const FAILING_WORKER = new URL('../../support/failing-parse-worker.js', import.meta.url)

/** Good, bad and hostile documents of every format. */
function hostileAndPlain(): { name: string; bytes: Uint8Array }[] {
  return [
    { name: 'a ninjs story', bytes: ninjsStory() },
    { name: 'invalid JSON', bytes: bytes('{"uri": "u:1", "headline": ') },
    { name: 'no headline', bytes: ninjsStory({ uri: 'u:2', headlines: undefined }) },
    { name: 'a wrong type', bytes: ninjsStory({ uri: 'u:3', urgency: [1] }) },
    {
      name: 'a script in the body',
      bytes: ninjsStory({
        uri: 'u:4',
        bodies: [{ role: 'html', value: '<p>Calm</p><script>alert(1)</script><p onclick="x()">Storm</p>' }],
      }),
    },
    {
      name: 'a ninjs batch with one bad item',
      bytes: bytes(`[${new TextDecoder().decode(ninjsStory({ uri: 'u:5' }))}, {"uri": "u:6"}]`),
    },
    {
      name: 'an entity bomb',
      bytes: bytes(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' +
          '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="b"><x>&lol2;</x></newsItem>',
      ),
    },
    {
      name: 'an external entity',
      bytes: bytes('<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>'),
    },
    { name: 'an HTML page', bytes: bytes('<!DOCTYPE html><html><body>Not news</body></html>') },
    {
      name: 'an RSS feed',
      bytes: rssFeed([
        {
          guid: 'https://gazette.test/1',
          title: 'Fair opens',
          body: '<p>Rides</p>',
          pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT',
        },
      ]),
    },
    { name: 'gzip that is not', bytes: new Uint8Array([0x1f, 0x8b, 0x08, 0, 1, 2, 3]) },
    { name: 'empty', bytes: new Uint8Array() },
  ]
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full) : [full]
  })
}

function samples(): { name: string; bytes: Uint8Array }[] {
  const files = [...filesUnder(FIXTURES), ...(HAS_SHARED_TESTDATA ? filesUnder(SHARED_TESTDATA) : [])]
  return [
    ...hostileAndPlain(),
    // As plain bytes: a Buffer read here would come back from a worker as the Uint8Array it also is.
    ...files
      .filter((f) => !f.endsWith('.md'))
      .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(f)) })),
  ]
}

describe('wire documents parsed in worker threads', () => {
  let parser: WorkerDocumentParser

  before(() => {
    parser = createWorkerDocumentParser({ workers: 2, logger: silentLogger })
  })
  after(() => parser.close())

  it('answers exactly what parsing on this thread answers, for every sample and hostile document', async () => {
    const all = samples()
    assert.ok(all.length > hostileAndPlain().length, 'the fixtures were found')
    for (const expect of [undefined, 'ninjs'] as (WireFormat | undefined)[]) {
      const options = { expect, limits: DEFAULT_WIRE_LIMITS }
      const answers = await Promise.all(all.map((sample) => parser.parse(sample.bytes, options)))
      all.forEach((sample, i) =>
        assert.deepEqual(answers[i], parseWireDocument(sample.bytes, options), `${sample.name} (${expect})`),
      )
    }
  })

  for (const [name, script] of [
    ['', undefined],
    [' (its worker dead: read and parsed on this thread)', FAILING_WORKER],
  ] as const) {
    it(`reads files where it parses them, answering what reading and parsing here answers${name}`, async () => {
      // The dead worker's pool says so once, when the worker stops; the live one never does.
      const stopped: unknown[] = []
      const logger = { ...silentLogger, warn: (...args: unknown[]) => void stopped.push(args) }
      const files = script ? createWorkerDocumentParser({ workers: 1, logger, script }) : parser
      const dir = mkdtempSync(path.join(tmpdir(), 'dateline-parse-files-'))
      try {
        // Every answer's bytes are moved back from the thread: each document's and each
        // of its items' must arrive whole, the empty file's too.
        const all = samples()
        const written = all.map((sample, i) => {
          const file = path.join(dir, `${i}.doc`)
          writeFileSync(file, sample.bytes)
          return file
        })
        assert.ok(
          all.some((s) => s.bytes.length > 0 && s.bytes.length < 4096),
          'some files are small',
        )
        const options = { expect: undefined, limits: DEFAULT_WIRE_LIMITS }
        const answers = await Promise.all(written.map((file) => files.parseFile(file, options)))
        all.forEach((sample, i) =>
          assert.deepEqual(
            answers[i],
            {
              bytes: sample.bytes,
              originalSize: sample.bytes.length,
              parsed: parseWireDocument(sample.bytes, options),
            },
            sample.name,
          ),
        )

        // Over the limit: only its start is read, and it is not parsed.
        const large = new Uint8Array(OVERSIZE_PREFIX_BYTES + 5000).fill(0x20)
        writeFileSync(path.join(dir, 'large.json'), large)
        const small = { expect: undefined, limits: { ...DEFAULT_WIRE_LIMITS, maxBytes: 1000 } }
        assert.deepEqual(await files.parseFile(path.join(dir, 'large.json'), small), {
          bytes: large.subarray(0, OVERSIZE_PREFIX_BYTES),
          originalSize: large.length,
          parsed: undefined,
        })
        await assert.rejects(files.parseFile(path.join(dir, 'gone.json'), options), /ENOENT: no such file/)
        assert.equal(stopped.length, script ? 1 : 0, 'the files were read where the test says')
      } finally {
        rmSync(dir, { recursive: true, force: true })
        if (files !== parser) await files.close()
      }
    })
  }

  it('parses on this thread, with the same answers, once its worker has died', async () => {
    const failing = createWorkerDocumentParser({ workers: 1, logger: silentLogger, script: FAILING_WORKER })
    try {
      const options = { expect: undefined, limits: DEFAULT_WIRE_LIMITS }
      const first = hostileAndPlain()
      const answers = await Promise.all(first.map((sample) => failing.parse(sample.bytes, options)))
      const later = await failing.parse(ninjsStory({ uri: 'u:later' }), options)
      first.forEach((sample, i) =>
        assert.deepEqual(answers[i], parseWireDocument(sample.bytes, options), sample.name),
      )
      assert.deepEqual(later, parseWireDocument(ninjsStory({ uri: 'u:later' }), options))
    } finally {
      await failing.close()
    }
  })
})

forEachDialect('wire ingest with documents parsed in worker threads', (dialect) => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext(dialect)
    await aSection(ctx, 'world')
  })
  after(() => ctx.destroy())

  /** Ingests the documents as bytes, or as files for the parser to read (`dir`). */
  async function ingestAll(parser: DocumentParser, documents: Uint8Array[], tag: string, dir?: string) {
    const results: IngestOutcome[][] = []
    async function* inputs(): AsyncGenerator<IngestInput | FileToIngest> {
      for (const [i, document] of documents.entries()) {
        const origin = `${tag}/${i}.json`
        if (!dir) {
          yield { bytes: document, origin, publish: true }
          continue
        }
        const file = path.join(dir, `${i}.json`)
        writeFileSync(file, document)
        yield { file, size: document.length, origin, publish: true }
      }
    }
    await ingestStream(ctx.wire, inputs(), (_, outcomes) => results.push(outcomes), {
      parser,
      batchItems: 3,
      batchMs: 60_000,
    })
    return results
  }

  function batch(tag: string): Uint8Array[] {
    return [
      ninjsStory({ uri: `urn:${tag}:1`, headlines: [{ role: 'main', value: `Ferry strike ${tag}` }] }),
      bytes('{"uri": "u:1", "headline": '),
      ninjsStory({ uri: `urn:${tag}:2`, headlines: undefined }),
      ninjsStory({
        uri: `urn:${tag}:3`,
        headlines: [{ role: 'main', value: `Storm ${tag}` }],
        bodies: [{ role: 'html', value: '<p>Calm</p><script>alert(1)</script>' }],
      }),
      ninjsStory({ uri: `urn:${tag}:1`, headlines: [{ role: 'main', value: `Ferry strike ${tag}` }] }),
    ]
  }

  for (const [name, script, files] of [
    ['', undefined, false],
    [' (its worker dead: parsed on this thread)', FAILING_WORKER, false],
    [' (files read by the parse thread)', undefined, true],
    [' (files read on this thread, its worker dead)', FAILING_WORKER, true],
  ] as const) {
    it(`quarantines each bad item with its bytes and precise reason, and stores the rest${name}`, async () => {
      const parser = createWorkerDocumentParser({ workers: 1, logger: silentLogger, script })
      const tag = `${script ? 'dead' : 'live'}${files ? '-files' : ''}`
      const documents = batch(tag)
      const dir = files ? mkdtempSync(path.join(tmpdir(), 'dateline-ingest-files-')) : undefined
      let results: IngestOutcome[][]
      try {
        results = await ingestAll(parser, documents, tag, dir)
      } finally {
        await parser.close()
        if (dir) rmSync(dir, { recursive: true, force: true })
      }
      assert.deepEqual(
        results.map((outcomes) => outcomes.map((o) => o.status)),
        [['created'], ['rejected'], ['rejected'], ['created'], ['duplicate']],
      )
      assert.match(results[1]![0]!.reason ?? '', /^invalid JSON: /)
      assert.equal(
        results[2]![0]!.reason,
        'the item has no headline ("headlines" (or "headline" in ninjs 1.x))',
      )
      for (const i of [1, 2])
        assert.deepEqual(
          await findQuarantinedBytes(ctx.handle.db, results[i]![0]!.quarantineId!),
          documents[i],
        )
      const body = await ctx.handle.db
        .selectFrom('article')
        .select('body_html')
        .where('id', '=', results[3]![0]!.article!.id)
        .executeTakeFirstOrThrow()
      assert.equal(body.body_html, '<p>Calm</p>')
    })
  }
})
