import { encodeRaw, entryFromDraft, type WireItemDraft } from './normalise.js'
import {
  attr,
  childElements,
  findDescendant,
  firstChild,
  innerHtml,
  NITF_TO_HTML,
  serializeXml,
  textOf,
  type XmlElement,
} from './safe-xml.js'
import type { ParsedEntry } from './wire-item.js'

type PictureDraft = WireItemDraft['pictures'][number]

export const NAR_NAMESPACE = 'http://iptc.org/std/nar/2006-10-01/'

const OTHER_ITEMS = new Set(['packageItem', 'conceptItem', 'knowledgeItem', 'planningItem', 'catalogItem'])
const STORY_CLASSES = new Set(['text', 'composite'])
const SUMMARY_ROLES = new Set(['', 'summary', 'abstract', 'lead'])

class G2Refusal extends Error {}

/**
 * Reads a NewsML-G2 news item, or each news item of a news message. Other G2 items
 * (packages, concepts, knowledge, planning, catalogs) and fragments are refused by name.
 */
export function parseNewsmlG2(root: XmlElement, raw: Uint8Array): ParsedEntry[] {
  if (root.local === 'newsItem') return [parseNewsItem(root, raw, '', [])]
  if (root.local === 'newsMessage') {
    const itemSet = firstChild(root, 'itemSet', NAR_NAMESPACE)
    const items = itemSet ? childElements(itemSet) : []
    if (items.length === 0) return [refused('the NewsML-G2 news message carries no items', raw, '')]
    const attach = picturesOfMessage(items)
    return items.flatMap((element, i) => {
      if (attach.taken.has(element)) return []
      const itemRaw = encodeRaw(serializeXml(element))
      const label = `#${i + 1}`
      return element.local === 'newsItem'
        ? [parseNewsItem(element, itemRaw, label, attach.picturesFor(element))]
        : [refused(notANewsItem(element.local), itemRaw, label)]
    })
  }
  return [refused(notANewsItem(root.local), raw, '')]
}

/**
 * Agencies send a story's photos as picture news items beside it in one news message.
 * A text item takes the pictures it links to (itemMeta/link residref); when it links to
 * none and is the message's only text item, it takes them all. A picture taken so is not
 * an item of its own; one no text item takes is refused like any picture item.
 */
function picturesOfMessage(items: XmlElement[]): {
  taken: Set<XmlElement>
  picturesFor: (item: XmlElement) => PictureDraft[]
} {
  const pictures = new Map<string, { element: XmlElement; picture: PictureDraft }>()
  for (const element of items) {
    if (element.local !== 'newsItem' || !PICTURE_CLASSES.has(itemClassOf(element))) continue
    const guid = attr(element, 'guid')?.trim()
    const picture = pictureOf(element)
    if (guid && picture) pictures.set(guid, { element, picture })
  }
  const texts = items.filter((e) => e.local === 'newsItem' && !PICTURE_CLASSES.has(itemClassOf(e)))
  const chosen = new Map<XmlElement, string[]>()
  for (const text of texts) {
    const meta = firstChild(text, 'itemMeta', NAR_NAMESPACE)
    const linked = (meta ? childElements(meta, 'link') : [])
      .map((link) => attr(link, 'residref')?.trim() ?? '')
      .filter((guid) => pictures.has(guid))
    chosen.set(text, linked.length > 0 || texts.length > 1 ? linked : [...pictures.keys()])
  }
  const taken = new Set([...chosen.values()].flat().map((guid) => pictures.get(guid)!.element))
  return {
    taken,
    picturesFor: (item) => (chosen.get(item) ?? []).map((guid) => pictures.get(guid)!.picture),
  }
}

const PICTURE_CLASSES = new Set(['picture', 'graphic'])

function itemClassOf(item: XmlElement): string {
  const itemMeta = firstChild(item, 'itemMeta', NAR_NAMESPACE)
  return codeOf(attr(firstChild(itemMeta ?? item, 'itemClass'), 'qcode'))
}

/**
 * A picture item as a picture candidate: its largest image rendition (remoteContent),
 * its caption, credit line (or photographer) and copyright notice. None without an image.
 */
function pictureOf(item: XmlElement): PictureDraft | undefined {
  const contentSet = firstChild(item, 'contentSet', NAR_NAMESPACE)
  const images = (contentSet ? childElements(contentSet, 'remoteContent') : [])
    .map((r) => ({
      href: (attr(r, 'href') ?? attr(r, 'residref') ?? '').trim(),
      type: (attr(r, 'contenttype') ?? '').toLowerCase(),
      width: wholeNumber(attr(r, 'width')),
      height: wholeNumber(attr(r, 'height')),
    }))
    .filter((r) => r.href !== '' && (r.type === '' || r.type.startsWith('image/')))
    .sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0))
  const image = images[0]
  if (!image) return undefined
  const meta = firstChild(item, 'contentMeta', NAR_NAMESPACE) ?? item
  const rights = firstChild(item, 'rightsInfo', NAR_NAMESPACE)
  const descriptions = childElements(meta, 'description')
  const caption =
    descriptions.find((d) => codeOf(attr(d, 'role')) === 'caption') ??
    descriptions[0] ??
    firstChild(meta, 'headline')
  return {
    href: image.href,
    width: image.width,
    height: image.height,
    caption: textOf(caption),
    credit: textOf(firstChild(meta, 'creditline')) || bylineOf(meta, undefined),
    copyright: textOf(rights && firstChild(rights, 'copyrightNotice')),
  }
}

function wholeNumber(value: string | undefined): number | null {
  return value !== undefined && /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : null
}

function notANewsItem(local: string): string {
  if (OTHER_ITEMS.has(local)) return `a NewsML-G2 ${local}, not a news item; only news items are ingested`
  return `a NewsML-G2 fragment <${local}>, not a complete news item`
}

function refused(reason: string, raw: Uint8Array, label: string): ParsedEntry {
  return { kind: 'refused', reason, raw, label }
}

function parseNewsItem(
  item: XmlElement,
  raw: Uint8Array,
  label: string,
  pictures: PictureDraft[],
): ParsedEntry {
  try {
    return entryFromDraft({ ...toDraft(item), pictures }, raw, label)
  } catch (error) {
    if (error instanceof G2Refusal) return refused(error.message, raw, label || (attr(item, 'guid') ?? ''))
    throw error
  }
}

function toDraft(item: XmlElement): WireItemDraft {
  const guid = attr(item, 'guid')?.trim()
  if (!guid) throw new G2Refusal('the NewsML-G2 news item has no guid attribute')
  const itemMeta = firstChild(item, 'itemMeta', NAR_NAMESPACE)
  const contentMeta = firstChild(item, 'contentMeta', NAR_NAMESPACE)
  const itemClass = itemClassOf(item)
  if (itemClass !== '' && !STORY_CLASSES.has(itemClass))
    throw new G2Refusal(
      `the NewsML-G2 news item is ${/^[aeiou]/.test(itemClass) ? 'an' : 'a'} ${itemClass} (itemClass), not a text story`,
    )
  const pubStatus = codeOf(attr(firstChild(itemMeta ?? item, 'pubStatus'), 'qcode'))
  const meta = contentMeta ?? item
  const language =
    attr(firstChild(meta, 'language'), 'tag') ?? attr(contentMeta, 'xml:lang') ?? attr(item, 'xml:lang') ?? ''
  const nitf = nitfOf(item)
  const rights = firstChild(item, 'rightsInfo', NAR_NAMESPACE)

  return {
    format: 'newsml-g2',
    guid,
    version: versionOf(attr(item, 'version')),
    headline: textOf(firstChild(meta, 'headline')) || textOf(nitf && findDescendant(nitf, 'hl1')),
    summaries: childElements(meta, 'description')
      .filter((d) => SUMMARY_ROLES.has(codeOf(attr(d, 'role'))))
      .map((d) => textOf(d)),
    body: bodyOf(item, nitf),
    byline: bylineOf(meta, nitf),
    credit:
      textOf(rights && findDescendant(rights, 'copyrightHolder')) ||
      providerOf(itemMeta) ||
      textOf(firstChild(meta, 'creditline')),
    copyright: textOf(rights && firstChild(rights, 'copyrightNotice')),
    topics: [
      ...childElements(meta, 'subject').map((s) => nameOf(s, language)),
      ...childElements(meta, 'keyword').map((k) => textOf(k)),
    ],
    urgency: urgencyOf(firstChild(meta, 'urgency')),
    firstCreated: textOf(itemMeta && firstChild(itemMeta, 'firstCreated')) || undefined,
    versionCreated: textOf(itemMeta && firstChild(itemMeta, 'versionCreated')) || undefined,
    embargoed: textOf(itemMeta && firstChild(itemMeta, 'embargoed')) || undefined,
    language,
    located: locatedOf(meta, language),
    pictures: [],
    withdrawn: pubStatus === 'canceled' || pubStatus === 'withheld' ? pubStatus : undefined,
  }
}

/** The local code of a QCode: "ninat:text" → "text". */
function codeOf(qcode: string | undefined): string {
  if (!qcode) return ''
  return qcode.slice(qcode.indexOf(':') + 1).trim()
}

function versionOf(value: string | undefined): number | null {
  if (value === undefined) return null
  if (!/^\s*\d{1,15}\s*$/.test(value)) throw new G2Refusal(`version "${value}" is not a whole number`)
  return Number(value)
}

function urgencyOf(element: XmlElement | undefined): number | undefined {
  if (!element) return undefined
  const text = textOf(element).trim()
  if (!/^\d$/.test(text)) throw new G2Refusal(`urgency "${text}" is not a number from 1 to 9`)
  return Number(text)
}

function nameOf(element: XmlElement, language: string): string {
  const names = childElements(element, 'name')
  const preferred = names.find((n) => attr(n, 'xml:lang') === language) ?? names[0]
  return textOf(preferred)
}

function providerOf(itemMeta: XmlElement | undefined): string {
  const provider = itemMeta && firstChild(itemMeta, 'provider')
  if (!provider) return ''
  return textOf(firstChild(provider, 'name')) || attr(provider, 'literal') || codeOf(attr(provider, 'qcode'))
}

function bylineOf(meta: XmlElement, nitf: XmlElement | undefined): string {
  const creators = childElements(meta, 'creator')
    .map((c) => textOf(firstChild(c, 'name')).trim())
    .filter((name) => name !== '')
  if (creators.length > 0) return creators.join(', ')
  const byline = nitf && findDescendant(nitf, 'byline')
  return byline ? textOf(byline) : ''
}

/** "Berlin, Germany" from located and its broader places; else the dateline text. */
function locatedOf(meta: XmlElement, language: string): string {
  const located = firstChild(meta, 'located')
  if (located) {
    const names = [
      nameOf(located, language),
      ...childElements(located, 'broader').map((b) => nameOf(b, language)),
    ]
      .map((n) => n.trim())
      .filter((n, i, all) => n !== '' && all.indexOf(n) === i)
    if (names.length > 0) return names.join(', ')
  }
  return textOf(firstChild(meta, 'dateline'))
}

function nitfOf(item: XmlElement): XmlElement | undefined {
  const contentSet = firstChild(item, 'contentSet', NAR_NAMESPACE)
  const inline = contentSet && firstChild(contentSet, 'inlineXML')
  return inline && childElements(inline).find((e) => e.local === 'nitf')
}

/** The body from contentSet: NITF or XHTML in inlineXML, or text/HTML in inlineData. */
function bodyOf(item: XmlElement, nitf: XmlElement | undefined): WireItemDraft['body'] {
  if (nitf) {
    const content = findDescendant(nitf, 'body.content')
    return content ? { html: innerHtml(content, NITF_TO_HTML) } : undefined
  }
  const contentSet = firstChild(item, 'contentSet', NAR_NAMESPACE)
  if (!contentSet) return undefined
  const inline = firstChild(contentSet, 'inlineXML')
  if (inline) {
    const type = (attr(inline, 'contenttype') ?? '').toLowerCase()
    // An empty NITF placeholder (the guidelines' own example has one) is a story without a body.
    if (type.includes('nitf')) return undefined
    if (!type.includes('html')) {
      throw new G2Refusal(
        `the body is ${type || 'XML of no stated type'}; only NITF and XHTML bodies are ingested`,
      )
    }
    const html = childElements(inline).find((e) => e.local === 'html')
    const body = html ? firstChild(html, 'body') : undefined
    return { html: innerHtml(body ?? inline) }
  }
  const data = firstChild(contentSet, 'inlineData')
  if (!data) return undefined
  const type = (attr(data, 'contenttype') ?? 'text/plain').toLowerCase()
  return type.includes('html') ? { html: textOf(data) } : { text: textOf(data) }
}
