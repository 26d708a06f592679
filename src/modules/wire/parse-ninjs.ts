import { encodeRaw, entryFromDraft, type WireItemDraft } from './normalise.js'
import { findDescendant, innerHtml, NITF_TO_HTML, parseXml } from './safe-xml.js'
import type { ParsedEntry, PictureCandidate } from './wire-item.js'

type Json = Record<string, unknown>

/** A field of the wrong type: the item is refused with this reason. */
class NinjsTypeError extends Error {}

const STORY_TYPES = new Set(['text', 'composite'])
const MEDIA_TYPES = new Set(['picture', 'graphic', 'video', 'audio', 'component'])
// Description roles that summarise the story; they become key points.
const SUMMARY_ROLES = new Set(['', 'summary', 'lead', 'abstract', 'keypoints', 'description'])
// Description roles that say the description is the story's text (ninjs leaves roles to the
// agency). Beside a body it is a teaser cut from it (TT) and is dropped; without one it is
// the text itself (NTB sends its short stories so) and becomes the body.
const TEXT_ROLES = new Set(['text', 'body'])

/**
 * Reads IPTC ninjs 1.x (lower-case, "headline", "body_html"), 2.x (lower-case, arrays of
 * "headlines" and "bodies") and 3.x (camelCase). Field names are matched case-blind, so
 * one reader serves all three. A top-level array is a batch of items.
 */
export function parseNinjs(value: unknown, raw: Uint8Array): ParsedEntry[] {
  if (Array.isArray(value)) {
    return value.map((element, i) => {
      const itemRaw = encodeRaw(JSON.stringify(element))
      return parseOne(element, itemRaw, `#${i + 1}`)
    })
  }
  return [parseOne(value, raw, '')]
}

function parseOne(value: unknown, raw: Uint8Array, label: string): ParsedEntry {
  try {
    if (!isObject(value))
      throw new NinjsTypeError(`a ninjs item must be a JSON object, not ${typeName(value)}`)
    return entryFromDraft(toDraft(value), raw, label)
  } catch (error) {
    if (error instanceof NinjsTypeError) return { kind: 'refused', reason: error.message, raw, label }
    throw error
  }
}

function toDraft(item: Json): WireItemDraft {
  if (get(item, '$schema') !== undefined)
    throw new NinjsTypeError('a JSON Schema, not a ninjs item ("$schema" is set)')
  const type = optionalString(item, 'type')?.toLowerCase()
  if (type === 'event' || (type === undefined && get(item, 'eventDetails') !== undefined))
    throw new NinjsTypeError('the ninjs item is an event (event details, no story), not a news story')
  if (type !== undefined && MEDIA_TYPES.has(type))
    throw new NinjsTypeError(
      `the ninjs item is ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}, not a text story; only text and composite items are ingested`,
    )
  if (type !== undefined && !STORY_TYPES.has(type)) throw new NinjsTypeError(`unknown ninjs type "${type}"`)
  const uri = optionalString(item, 'uri')
  if (uri === undefined || uri.trim() === '') throw new NinjsTypeError('the ninjs item has no "uri"')
  const pubStatus = optionalString(item, 'pubStatus')?.toLowerCase()

  return {
    format: 'ninjs',
    guid: uri.trim(),
    version: versionNumber(get(item, 'version')),
    headline: headlineOf(item),
    summaries: summariesOf(item),
    body: bodyOf(item) ?? textDescription(item),
    byline: optionalString(item, 'by') ?? optionalString(item, 'byline'),
    credit: optionalString(item, 'copyrightHolder') ?? infoSourceName(item),
    copyright: optionalString(item, 'copyrightNotice'),
    topics: [...namesOf(item, 'subjects'), ...namesOf(item, 'subject'), ...keywordsOf(item)],
    urgency: urgencyOf(item),
    firstCreated: optionalString(item, 'firstCreated'),
    versionCreated: optionalString(item, 'versionCreated'),
    embargoed: optionalString(item, 'embargoed'),
    language: optionalString(item, 'language'),
    located: optionalString(item, 'located'),
    pictures: picturesOf(item),
    withdrawn: pubStatus === 'canceled' || pubStatus === 'withheld' ? pubStatus : undefined,
  }
}

function headlineOf(item: Json): string | undefined {
  const headlines = get(item, 'headlines')
  if (headlines !== undefined) {
    const entries = objectArray(headlines, 'headlines')
    const main = entries.find((h) => optionalString(h, 'role') === 'main') ?? entries[0]
    if (main) return requiredString(main, 'value', 'headlines[].value')
  }
  const headline = optionalString(item, 'headline')
  if (headline !== undefined && headline.trim() !== '') return headline
  return extraHeadline(item) ?? headline
}

// ninjs 1.3 to 1.6 take further headlines as properties named by the schema's pattern
// ^headline_[a-zA-Z0-9_]+ (a prefix: the schema's own tests pass "headline_test-bad-…").
// The 1.6 guideline examples carry their only headline that way, as "headline_main".
const EXTRA_HEADLINE = /^headline_[a-z0-9_]/i

/** For an item without "headline": its "headline_main", else its first other non-blank "headline_*". */
function extraHeadline(item: Json): string | undefined {
  const names = Object.keys(item).filter((name) => EXTRA_HEADLINE.test(name))
  const main = names.filter((name) => name.toLowerCase() === 'headline_main')
  for (const name of [...main, ...names.filter((n) => !main.includes(n))]) {
    const value = optionalString(item, name)
    if (value !== undefined && value.trim() !== '') return value
  }
  return undefined
}

function summariesOf(item: Json): string[] {
  const descriptions = get(item, 'descriptions')
  if (descriptions !== undefined) {
    return objectArray(descriptions, 'descriptions')
      .filter((d) => SUMMARY_ROLES.has((optionalString(d, 'role') ?? '').toLowerCase()))
      .map((d) => requiredString(d, 'value', 'descriptions[].value'))
  }
  const html = optionalString(item, 'description_html') ?? optionalString(item, 'description_xhtml')
  const text = optionalString(item, 'description_text')
  return [html ?? text].filter((s): s is string => s !== undefined)
}

/** The richest body offered: HTML, then NITF, then plain text. */
function bodyOf(item: Json): WireItemDraft['body'] {
  const bodies = get(item, 'bodies')
  if (bodies !== undefined) {
    const entries = objectArray(bodies, 'bodies').map((b) => ({
      role: (optionalString(b, 'role') ?? '').toLowerCase(),
      contentType: (optionalString(b, 'contentType') ?? '').toLowerCase(),
      value: requiredString(b, 'value', 'bodies[].value'),
    }))
    const html = entries.find((b) => b.contentType.startsWith('text/html') || b.role.includes('html'))
    if (html) return { html: html.value }
    for (const nitf of entries.filter((b) => b.contentType.includes('nitf') || b.role === 'nitf')) {
      const converted = nitfBody(nitf.value)
      if (converted !== undefined) return { html: converted }
    }
    const text = entries.find((b) => b.contentType === '' || b.contentType === 'text/plain')
    return text && { text: text.value }
  }
  const html = optionalString(item, 'body_html') ?? optionalString(item, 'body_xhtml')
  if (html !== undefined) return { html }
  const text = optionalString(item, 'body_text')
  return text === undefined ? extraBody(item) : { text }
}

// ninjs 1.x names a body "body_<format and/or purpose>" (schema pattern ^body_[a-zA-Z0-9_]+);
// besides body_html, body_xhtml and body_text the 1.6 guideline examples send "body_main"
// (plain text) and "body_richtext" (HTML).
const EXTRA_BODY = /^body_[a-z0-9_]/i
const HTML_PART = /(^|_)(x?html\d*|richtext)(_|$)/i

/** For an item without the usual bodies: a "body_*" naming HTML or rich text, else the first one as text. */
function extraBody(item: Json): WireItemDraft['body'] {
  const names = Object.keys(item).filter((name) => EXTRA_BODY.test(name))
  const html = names.find((name) => HTML_PART.test(name.slice('body_'.length)))
  if (html !== undefined) return { html: requiredString(item, html, html) }
  const [first] = names
  return first === undefined ? undefined : { text: requiredString(item, first, first) }
}

/** The first description whose role says it is the story's text, as HTML or plain text by its content type. */
function textDescription(item: Json): WireItemDraft['body'] {
  const descriptions = get(item, 'descriptions')
  if (descriptions === undefined) return undefined
  const text = objectArray(descriptions, 'descriptions').find((d) =>
    TEXT_ROLES.has((optionalString(d, 'role') ?? '').toLowerCase()),
  )
  if (!text) return undefined
  const value = requiredString(text, 'value', 'descriptions[].value')
  const contentType = (optionalString(text, 'contentType') ?? '').toLowerCase()
  return contentType.includes('html') ? { html: value } : { text: value }
}

/** The NITF body.content of an embedded NITF document, parsed as safely as any XML we take. */
function nitfBody(xml: string): string | undefined {
  const parsed = parseXml(xml)
  if (!parsed.ok) return undefined
  const content = findDescendant(parsed.root, 'body.content')
  return content && innerHtml(content, NITF_TO_HTML)
}

function infoSourceName(item: Json): string | undefined {
  const sources = get(item, 'infoSources')
  if (sources === undefined) return undefined
  return objectArray(sources, 'infoSources')
    .map((s) => optionalString(s, 'name'))
    .find((name) => name !== undefined && name.trim() !== '')
}

function namesOf(item: Json, field: string): string[] {
  const list = get(item, field)
  if (list === undefined) return []
  return objectArray(list, field)
    .map((s) => optionalString(s, 'name'))
    .filter((name): name is string => name !== undefined)
}

function keywordsOf(item: Json): string[] {
  const keywords = get(item, 'keywords')
  if (keywords === undefined) return []
  if (!Array.isArray(keywords) || !keywords.every((k) => typeof k === 'string'))
    throw new NinjsTypeError('"keywords" must be an array of strings')
  return keywords
}

function urgencyOf(item: Json): number | undefined {
  const urgency = get(item, 'urgency')
  if (urgency === undefined || urgency === null) return undefined
  const n = typeof urgency === 'string' ? Number(urgency) : urgency
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new NinjsTypeError(`"urgency" must be a whole number, not ${typeName(urgency)}`)
  return n
}

function versionNumber(version: unknown): number | null {
  if (typeof version === 'number' && Number.isSafeInteger(version) && version >= 0) return version
  if (typeof version === 'string' && /^\d{1,15}$/.test(version.trim())) return Number(version.trim())
  if (version !== undefined && typeof version !== 'string' && typeof version !== 'number')
    throw new NinjsTypeError(`"version" must be a string, not ${typeName(version)}`)
  return null
}

/** Pictures among the associations (an object by name in 1.x, an array in 2.x and 3.x). */
function picturesOf(item: Json): PictureCandidate[] {
  const associations = get(item, 'associations')
  if (associations === undefined || associations === null) return []
  const list = Array.isArray(associations)
    ? associations
    : isObject(associations)
      ? Object.values(associations)
      : []
  const pictures: PictureCandidate[] = []
  for (const association of list) {
    if (!isObject(association)) continue
    const type = optionalString(association, 'type')?.toLowerCase()
    if (type !== 'picture' && type !== 'graphic') continue
    const rendition = bestRendition(get(association, 'renditions'))
    if (!rendition) continue
    const caption = summariesOrCaption(association)[0] ?? headlineOf(association) ?? ''
    pictures.push({
      ...rendition,
      caption,
      credit:
        optionalString(association, 'by') ??
        optionalString(association, 'byline') ??
        optionalString(association, 'copyrightHolder') ??
        '',
      copyright: optionalString(association, 'copyrightNotice') ?? '',
    })
  }
  return pictures
}

function summariesOrCaption(association: Json): string[] {
  const descriptions = get(association, 'descriptions')
  if (Array.isArray(descriptions)) {
    return descriptions
      .filter(isObject)
      .map((d) => optionalString(d, 'value'))
      .filter((v): v is string => v !== undefined)
  }
  const text = optionalString(association, 'description_text')
  return text === undefined ? [] : [text]
}

function bestRendition(renditions: unknown): Pick<PictureCandidate, 'href' | 'width' | 'height'> | undefined {
  const list = Array.isArray(renditions) ? renditions : isObject(renditions) ? Object.values(renditions) : []
  const candidates = list.filter(isObject).flatMap((r) => {
    const href = optionalString(r, 'href')
    if (!href) return []
    const width = get(r, 'width')
    const height = get(r, 'height')
    return [
      {
        href,
        width: typeof width === 'number' ? width : null,
        height: typeof height === 'number' ? height : null,
      },
    ]
  })
  // The largest rendition that is still a sensible web size; else whatever is there.
  const sized = candidates.filter((c) => c.width !== null && c.width <= 2400)
  sized.sort((a, b) => (b.width ?? 0) - (a.width ?? 0))
  return sized[0] ?? candidates[0]
}

function get(object: Json, name: string): unknown {
  if (name in object) return object[name]
  const lower = name.toLowerCase()
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : object[key]
}

function optionalString(object: Json, name: string): string | undefined {
  const value = get(object, name)
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string')
    throw new NinjsTypeError(`"${name}" must be a string, not ${typeName(value)}`)
  return value
}

function requiredString(object: Json, name: string, path: string): string {
  const value = get(object, name)
  if (typeof value !== 'string')
    throw new NinjsTypeError(`"${path}" must be a string, not ${typeName(value)}`)
  return value
}

function objectArray(value: unknown, path: string): Json[] {
  if (!Array.isArray(value)) throw new NinjsTypeError(`"${path}" must be an array, not ${typeName(value)}`)
  if (!value.every(isObject)) throw new NinjsTypeError(`"${path}" must be an array of objects`)
  return value
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value === undefined) return 'missing'
  return `a ${typeof value}`
}
