import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../src/main/context.js'
import type { ArticleView } from '../../src/modules/articles/index.js'
import { ingestDocument, type IngestOutcome, type WireSource } from '../../src/modules/wire/index.js'

/** A real-shaped ninjs 2.x text item; every field can be overridden, or removed with undefined. */
export function ninjsStory(overrides: Record<string, unknown> = {}): Uint8Array {
  const item: Record<string, unknown> = {
    uri: 'urn:newsml:example-agency.test:20260302:harbour',
    type: 'text',
    version: '1',
    versionCreated: '2026-03-02T08:00:00Z',
    firstCreated: '2026-03-02T08:00:00Z',
    pubStatus: 'usable',
    urgency: 3,
    copyrightHolder: 'Example Agency',
    copyrightNotice: 'Copyright 2026 Example Agency',
    language: 'en',
    by: 'Sam Reporter',
    located: 'Westmere',
    headlines: [{ role: 'main', value: 'Harbour wall breached in overnight storm' }],
    descriptions: [{ role: 'summary', value: 'Sea water reached the high street' }],
    bodies: [
      {
        role: 'html',
        contentType: 'text/html',
        value:
          '<p>Storms breached the harbour wall overnight.</p><p>Residents were moved to the school hall.</p>',
      },
    ],
    subjects: [{ name: 'Weather' }, { name: 'Westmere' }],
    ...overrides,
  }
  return new TextEncoder().encode(JSON.stringify(item))
}

/** A ninjs picture association for `ninjsStory({ associations: [...] })`: one rendition at `href`. */
export function ninjsPicture(
  href: string,
  texts: { caption?: string; by?: string; copyrightNotice?: string } = {},
): Record<string, unknown> {
  return {
    name: 'main-picture',
    type: 'picture',
    renditions: [{ name: 'web', href, contentType: 'image/jpeg', width: 64, height: 48 }],
    ...(texts.caption !== undefined && { descriptions: [{ role: 'caption', value: texts.caption }] }),
    ...(texts.by !== undefined && { by: texts.by }),
    ...(texts.copyrightNotice !== undefined && { copyrightNotice: texts.copyrightNotice }),
  }
}

/** An RSS 2.0 feed with these items. */
export function rssFeed(
  items: { guid: string; title?: string; body: string; pubDate: string }[],
): Uint8Array {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Town Gazette</title><link>https://gazette.test/</link>
${items
  .map(
    (i) =>
      `<item>${i.title === undefined ? '' : `<title>${i.title}</title>`}<guid>${i.guid}</guid>` +
      `<pubDate>${i.pubDate}</pubDate><description><![CDATA[${i.body}]]></description></item>`,
  )
  .join('\n')}
</channel></rss>`
  return new TextEncoder().encode(xml)
}

/** Ingests one document through the context's wire deps. */
export function ingest(
  ctx: AppContext,
  bytes: Uint8Array,
  options: { source?: WireSource; publish?: boolean; origin?: string } = {},
): Promise<IngestOutcome[]> {
  return ingestDocument(ctx.wire, {
    bytes,
    origin: options.origin ?? 'test',
    source: options.source,
    publish: options.publish,
  })
}

/** The shared test data beside the repository (../shared/testdata), if this machine has it. */
export const SHARED_TESTDATA = fileURLToPath(new URL('../../../../shared/testdata/', import.meta.url))
export const HAS_SHARED_TESTDATA = existsSync(SHARED_TESTDATA)

/**
 * A story's fingerprint as wire rows stored it before the `f2:` mark (the text alone),
 * written out here rather than taken from the code, so tests of rows from those releases
 * stay true to what the releases stored.
 */
export function textOnlyFingerprint(view: ArticleView): string {
  const text = {
    headline: view.headline,
    keyPoints: view.keyPoints,
    bodyHtml: view.bodyHtml,
    byline: view.byline,
    sourceCredit: view.sourceCredit,
    topics: view.topics.map((t) => t.slug),
  }
  return createHash('sha256').update(JSON.stringify(text)).digest('hex')
}

/** One item's outcome as POST /api/v1/ingest answers it. */
export interface PushedOutcome {
  status: string
  reason?: string
  article?: { id: number }
}

/**
 * Pushes one agency story, filed under these subjects, through POST /api/v1/ingest with a
 * source's push token, and answers its one outcome.
 */
export async function pushStory(
  app: FastifyInstance,
  pushToken: string,
  guid: string,
  subjects: string[],
  overrides: Record<string, unknown> = {},
): Promise<PushedOutcome> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    headers: { authorization: `Bearer ${pushToken}`, 'content-type': 'application/json' },
    payload: Buffer.from(
      ninjsStory({
        uri: `urn:example:${guid}`,
        headlines: [{ role: 'main', value: `Story ${guid}` }],
        subjects: subjects.map((name) => ({ name })),
        ...overrides,
      }),
    ),
  })
  assert.equal(response.statusCode, 200, response.body)
  return response.json<{ items: PushedOutcome[] }>().items[0]!
}

/** The slugs of a story's topics, in order, as the API answers them. */
export async function topicSlugsOf(
  app: FastifyInstance,
  headers: Record<string, string>,
  articleId: number,
): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: `/api/v1/articles/${articleId}`, headers })
  assert.equal(response.statusCode, 200, response.body)
  return response.json<{ topics: { slug: string }[] }>().topics.map((topic) => topic.slug)
}
