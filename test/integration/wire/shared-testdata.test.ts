import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, it } from 'node:test'
import { findArticleById } from '../../../src/modules/articles/index.js'
import type { IngestOutcome } from '../../../src/modules/wire/index.js'
import { aSection, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'
import { HAS_SHARED_TESTDATA, SHARED_TESTDATA, ingest } from '../../support/wire.js'

const IN_CI = process.env['CI'] === 'true' || process.env['CI'] === '1'
const FOLDERS = ['ninjs/examples', 'ninjs/documentation/includes/examples', 'newsml-g2/examples', 'feeds']

function filesUnder(folder: string): string[] {
  return readdirSync(path.join(SHARED_TESTDATA, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}

// A reason is precise when it says what was wrong, not merely that something was.
function isPrecise(reason: string | undefined): boolean {
  return reason !== undefined && reason.length >= 20 && !/^(error|failed|invalid|refused)$/i.test(reason)
}

if (IN_CI && !HAS_SHARED_TESTDATA)
  throw new Error(`the shared test data is required in CI: ${SHARED_TESTDATA}`)

forEachDialect('wire ingest of every public sample', (dialect) => {
  let ctx: TestContext
  const outcomes = new Map<string, IngestOutcome[]>()

  before(async () => {
    ctx = await createTestContext(dialect)
    await aSection(ctx, 'world')
  })
  after(() => ctx.destroy())

  for (const folder of FOLDERS) {
    it(
      `ingests or refuses with a precise reason every file in ${folder}`,
      { skip: HAS_SHARED_TESTDATA ? false : 'no shared test data beside the repository' },
      async () => {
        const files = filesUnder(folder)
        assert.ok(files.length > 10, `${folder} has its samples`)
        for (const file of files) {
          const result = await ingest(ctx, readFileSync(file), { origin: file })
          outcomes.set(path.relative(SHARED_TESTDATA, file), result)
          assert.ok(result.length > 0, `${file} gives at least one outcome`)
          for (const outcome of result) {
            if (outcome.status === 'rejected') {
              assert.ok(isPrecise(outcome.reason), `${file}: "${outcome.reason}" is a precise reason`)
              assert.ok(outcome.quarantineId, `${file} is quarantined`)
            } else {
              assert.ok(outcome.article, `${file} ${outcome.label} landed on an article (${outcome.status})`)
            }
          }
        }
      },
    )
  }

  it(
    'lands the news items and refuses the rest by what they are',
    { skip: HAS_SHARED_TESTDATA ? false : 'no shared test data beside the repository' },
    async () => {
      const statusOf = (file: string) => outcomes.get(file)?.map((o) => o.status)
      const reasonOf = (file: string) => outcomes.get(file)?.[0]?.reason ?? ''
      assert.deepEqual(statusOf('newsml-g2/examples/LISTING_2_NewsML-G2_Text_Document.xml'), ['created'])
      assert.deepEqual(statusOf('ninjs/examples/2.1/dpa_text.json'), ['created'])
      // The same dpa story in ninjs 3.0 form is the same uri, version and content: nothing new.
      assert.deepEqual(statusOf('ninjs/examples/3.0/dpa_text.json'), ['duplicate'])
      assert.deepEqual(statusOf('ninjs/examples/1.4/ninjsExComplex1.json'), ['created'])
      // The ninjs 1.6 guideline examples name their headline "headline_main" and their body
      // "body_main" or "body_richtext": newer versions of stories the 1.4 examples brought.
      for (const example of ['001_simple_example', '004_simple_text_article', '005_complex_text_article'])
        assert.deepEqual(statusOf(`ninjs/documentation/includes/examples/1.6/${example}.json`), ['updated'])
      assert.ok(statusOf('feeds/node-feedparser-1.1.5/intertwingly.atom')?.every((s) => s === 'created'))
      assert.ok(statusOf('feeds/node-feedparser-1.1.5/compressed.xml')?.every((s) => s === 'created'))
      // iconv.xml is compressed.xml unzipped (windows-1251): every item is already there.
      assert.ok(statusOf('feeds/node-feedparser-1.1.5/iconv.xml')?.every((s) => s === 'duplicate'))
      assert.match(
        reasonOf('newsml-g2/examples/LISTING_17_Planning_Item_a_CCL.xml'),
        /planningItem, not a news item/,
      )
      assert.match(
        reasonOf('newsml-g2/examples/LISTING_13_Complete_Catalog_Item.xml'),
        /catalogItem, not a news item/,
      )
      assert.match(
        reasonOf('newsml-g2/examples/LISTING_11_Person_Concept_conveyed_in_a_NewsML-G2_Concept_Item.xml'),
        /conceptItem/,
      )
      // NTB's story has its text only as a description whose role is "text".
      const [ntb] = outcomes.get('ninjs/examples/2.1/ntb_text.json') ?? []
      assert.equal(ntb?.status, 'created')
      const ntbArticle = await findArticleById(ctx.handle.db, ntb?.article?.id ?? 0)
      assert.match(
        ntbArticle?.bodyHtml ?? '',
        /^<p>IT-giganten Google har kjøpt en tomt på nærmere 2\.000 mål i Skien/,
      )
      // TT's body opens with its headline as a heading, which goes, and a line outside any paragraph.
      const [tt] = outcomes.get('ninjs/examples/3.0/tt_text_image_3.json') ?? []
      const ttArticle = await findArticleById(ctx.handle.db, tt?.article?.id ?? 0)
      assert.match(ttArticle?.bodyHtml ?? '', /^<p>FörsvarTT<\/p><p>Pandemin satte stopp/)
      assert.match(reasonOf('ninjs/examples/3.0/ap_image.json'), /is a picture, not a text story/)
      assert.match(reasonOf('feeds/node-feedparser-1.1.5/notafeed.html'), /an HTML page/)
      assert.match(reasonOf('feeds/rss-parser-2.12.1/rss-1.rss'), /RSS 1\.0/)
    },
  )
})
