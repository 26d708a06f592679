import {
  MAX_BODY_LENGTH,
  MAX_KEY_POINT_LENGTH,
  MAX_KEY_POINTS,
  sanitizeAgencyBody,
  type BodyImage,
} from '../story-text/index.js'
import { cleanText, storedText, truncate } from '../../platform/text.js'
import type { ParsedEntry, PictureCandidate, WireFormat, WireItem } from './wire-item.js'
import { escapeText } from './safe-xml.js'
import { tidyBody } from './tidy-body.js'
import { contentHash } from './wire-versions.js'

/** What a format parser extracts, before our rules: raw strings, the body as HTML or plain text. */
export interface WireItemDraft {
  format: WireFormat
  guid: string
  version: number | null
  headline: string | undefined
  /** Summaries or descriptions, HTML or text; they become key points. */
  summaries: string[]
  body: { html: string } | { text: string } | undefined
  byline?: string | undefined
  credit?: string | undefined
  copyright?: string | undefined
  topics: string[]
  /** 1 (flash) to 9; ninjs and NewsML-G2 urgency. */
  urgency?: number | undefined
  firstCreated?: string | undefined
  versionCreated?: string | undefined
  embargoed?: string | undefined
  language?: string | undefined
  located?: string | undefined
  pictures: PictureCandidate[]
  /** The agency withdrew the story: ninjs pubStatus, NewsML-G2 pubStatus "canceled" or "withheld". */
  withdrawn?: 'canceled' | 'withheld' | undefined
}

const HEADLINE_FIELD: Record<WireFormat, string> = {
  ninjs: '"headlines" (or "headline" in ninjs 1.x)',
  'newsml-g2': 'contentMeta/headline',
  rss: 'title',
  atom: 'title',
}

const MAX_HEADLINE = 200
const MAX_TOPICS = 12
const MAX_TOPIC_NAME = 80

export type NormaliseResult = { ok: true; item: WireItem } | { ok: false; reason: string }

/** Applies our rules to a draft: clean text, sanitised body, key points, topics, dates. */
export function normaliseWireItem(draft: WireItemDraft): NormaliseResult {
  const headline = truncate(cleanText(draft.headline ?? ''), MAX_HEADLINE)
  // A kill notice names the story by its guid; agencies often send nothing else.
  if (headline === '' && !draft.withdrawn)
    return refuse(`the item has no headline (${HEADLINE_FIELD[draft.format]})`)

  const dates: Record<string, Date | null> = {}
  for (const [name, value] of [
    ['firstCreated', draft.firstCreated],
    ['versionCreated', draft.versionCreated],
    ['embargoed', draft.embargoed],
  ] as const) {
    const parsed = parseDate(value)
    if (parsed === 'invalid') return refuse(`${name} "${clip(value ?? '')}" is not a date`)
    dates[name] = parsed
  }

  const body =
    draft.body === undefined ? { html: '', images: [] } : sanitizeAgencyBody(bodyToHtml(draft.body))
  const bodyHtml = tidyBody(body.html, headline)
  if (bodyHtml.length > MAX_BODY_LENGTH)
    return refuse(`the body is ${bodyHtml.length} characters after cleaning; the limit is ${MAX_BODY_LENGTH}`)

  return {
    ok: true,
    item: {
      format: draft.format,
      guid: draft.guid,
      version: draft.version,
      headline,
      keyPoints: keyPointsFrom(draft.summaries, bodyHtml),
      bodyHtml,
      byline: truncate(cleanText(draft.byline ?? ''), 200),
      credit: truncate(cleanText(draft.credit ?? ''), 120),
      copyright: truncate(cleanText(draft.copyright ?? ''), 500),
      topics: topicsFrom(draft.topics),
      breaking: draft.urgency !== undefined && draft.urgency >= 1 && draft.urgency <= 2,
      firstCreated: dates['firstCreated'] ?? null,
      versionCreated: dates['versionCreated'] ?? null,
      embargoedUntil: dates['embargoed'] ?? null,
      language: cleanText(draft.language ?? '').slice(0, 35),
      located: truncate(cleanText(draft.located ?? ''), 200),
      withdrawn: draft.withdrawn ?? null,
      pictures: (draft.pictures.length > 0 ? draft.pictures : picturesInBody(body.images))
        .slice(0, 10)
        .map((p) => ({
          ...p,
          caption: truncate(cleanText(p.caption), 1000),
          credit: truncate(cleanText(p.credit), 200),
          copyright: truncate(cleanText(p.copyright), 500),
        })),
    },
  }
}

/**
 * An item that offers no picture of its own but shows one in its body (as many feeds do)
 * offers that one, as a candidate for its hero, fetched like any other: the first image
 * larger than a tracking pixel (one whose size it gives as 2 pixels or less), its alt text
 * as the caption.
 */
function picturesInBody(images: readonly BodyImage[]): PictureCandidate[] {
  const isPixel = (size: number | null) => size !== null && size <= 2
  const picture = images.find((image) => !isPixel(image.width) && !isPixel(image.height))
  if (!picture) return []
  return [
    {
      href: picture.src,
      width: picture.width,
      height: picture.height,
      caption: picture.alt,
      credit: '',
      copyright: '',
    },
  ]
}

/** A parser's draft as an entry of its document, labelled by its guid when the batch gives no label. */
export function entryFromDraft(draft: WireItemDraft, raw: Uint8Array, label: string): ParsedEntry {
  const result = normaliseWireItem(draft)
  const name = label || draft.guid
  return result.ok
    ? { kind: 'item', item: result.item, raw, label: name, contentHash: contentHash(result.item) }
    : { kind: 'refused', reason: result.reason, raw, label: name }
}

const UTF8 = new TextEncoder()

/** The bytes kept for one item of a batch, for its wire_item row or the quarantine. */
export function encodeRaw(text: string): Uint8Array {
  return UTF8.encode(text)
}

function refuse(reason: string): NormaliseResult {
  return { ok: false, reason }
}

/** Plain text becomes paragraphs: blank lines separate them, or single newlines when there are none. */
export function textToHtml(text: string): string {
  const normalised = text.replace(/\r\n?/g, '\n').trim()
  const blocks = /\n\s*\n/.test(normalised) ? normalised.split(/\n\s*\n/) : normalised.split('\n')
  return blocks
    .map((b) => b.trim())
    .filter((b) => b !== '')
    .map((b) => `<p>${escapeText(b).replace(/\n/g, '<br>')}</p>`)
    .join('')
}

function bodyToHtml(body: { html: string } | { text: string }): string {
  return 'html' in body ? body.html : textToHtml(body.text)
}

/**
 * Summaries become key points: list items each, otherwise one point per summary. A
 * summary the body merely opens with (a feed teaser) adds nothing and is dropped.
 */
function keyPointsFrom(summaries: string[], bodyHtml: string): string[] {
  if (summaries.length === 0) return []
  const longest = Math.max(...summaries.map((s) => s.length))
  const bodyText = storedText(bodyHtml, longest)
  const points: string[] = []
  for (const summary of summaries) {
    const items = /<li[\s>]/i.test(summary)
      ? [...summary.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/gi)].map((m) => m[1] ?? '')
      : [summary]
    for (const raw of items) {
      const text = cleanText(raw)
      if (text === '' || bodyText.startsWith(text.replace(/[.…\s]+$/, ''))) continue
      const point = truncate(text, MAX_KEY_POINT_LENGTH)
      if (!points.includes(point)) points.push(point)
    }
  }
  return points.slice(0, MAX_KEY_POINTS)
}

function topicsFrom(names: string[]): string[] {
  const seen = new Set<string>()
  const topics: string[] = []
  for (const name of names) {
    const clean = cleanText(name)
    const key = clean.toLowerCase()
    if (clean === '' || clean.length > MAX_TOPIC_NAME || seen.has(key)) continue
    seen.add(key)
    topics.push(clean)
  }
  return topics.slice(0, MAX_TOPICS)
}

function parseDate(value: string | undefined): Date | null | 'invalid' {
  if (value === undefined || value.trim() === '') return null
  const date = new Date(value.trim())
  return Number.isNaN(date.getTime()) ? 'invalid' : date
}

/** Shortens text to a limit at a sentence end if one is near, else at a word, with an ellipsis. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}
