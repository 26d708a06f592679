import { encodeRaw, entryFromDraft, type WireItemDraft } from './normalise.js'
import {
  attr,
  childElements,
  firstChild,
  innerHtml,
  serializeXml,
  textOf,
  type XmlElement,
} from './safe-xml.js'
import type { ParsedEntry, PictureCandidate } from './wire-item.js'

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom'
const CONTENT_NAMESPACE = 'http://purl.org/rss/1.0/modules/content/'
const DC_NAMESPACE = 'http://purl.org/dc/elements/1.1/'
const MEDIA_NAMESPACE = 'http://search.yahoo.com/mrss/'

interface FeedContext {
  /** The namespace of RSS's own elements: none, or UserLand's; keeps media:title from passing for title. */
  ns: string
  /** Prefix for item ids that are not URIs, so two feeds' "1" never meet. */
  idBase: string
  title: string
  language: string
  author: string
}

/** Reads each item of an RSS 2.0 (or 0.9x) feed. */
export function parseRss(root: XmlElement): ParsedEntry[] {
  const channel = firstChild(root, 'channel')
  if (!channel)
    return [
      { kind: 'refused', reason: 'the RSS document has no <channel>', raw: new Uint8Array(), label: '' },
    ]
  const ns = root.uri
  const context: FeedContext = {
    ns,
    idBase: text(firstChild(channel, 'link', ns)) || text(firstChild(channel, 'title', ns)),
    title: text(firstChild(channel, 'title', ns)),
    language: text(firstChild(channel, 'language', ns)),
    author: text(firstChild(channel, 'managingEditor', ns)),
  }
  return entries(childElements(channel, 'item', ns), (item) => rssDraft(item, context))
}

/** Reads each entry of an Atom 1.0 feed. */
export function parseAtom(root: XmlElement): ParsedEntry[] {
  const context: FeedContext = {
    ns: ATOM_NAMESPACE,
    idBase: text(firstChild(root, 'id', ATOM_NAMESPACE)) || alternateLink(root),
    title: text(firstChild(root, 'title', ATOM_NAMESPACE)),
    language: attr(root, 'xml:lang') ?? '',
    author: authorOf(root),
  }
  return entries(childElements(root, 'entry', ATOM_NAMESPACE), (entry) => atomDraft(entry, context))
}

function entries(items: XmlElement[], toDraft: (item: XmlElement) => WireItemDraft | string): ParsedEntry[] {
  return items.map((item, i) => {
    const raw = encodeRaw(serializeXml(item))
    const draft = toDraft(item)
    if (typeof draft === 'string') return { kind: 'refused', reason: draft, raw, label: `#${i + 1}` }
    return entryFromDraft(draft, raw, '')
  })
}

function rssDraft(item: XmlElement, context: FeedContext): WireItemDraft | string {
  const own = (local: string) => firstChild(item, local, context.ns)
  const id = text(own('guid')) || text(own('link'))
  if (id === '') return 'the feed item has no guid or link to identify it'
  const encoded = firstChild(item, 'encoded', CONTENT_NAMESPACE)
  const description = own('description')
  const date = text(own('pubDate')) || text(firstChild(item, 'date', DC_NAMESPACE))
  return {
    format: 'rss',
    guid: qualifiedId(id, context),
    version: null,
    headline: text(own('title')),
    summaries: encoded && description ? [textOf(description)] : [],
    body: encoded ? { html: textOf(encoded) } : description ? { html: textOf(description) } : undefined,
    byline: text(firstChild(item, 'creator', DC_NAMESPACE)) || rssAuthor(text(own('author'))),
    credit: context.title,
    topics: childElements(item, 'category', context.ns).map((c) => textOf(c)),
    firstCreated: date || undefined,
    versionCreated: date || undefined,
    language: context.language,
    pictures: picturesOf(item, context.ns),
  }
}

function atomDraft(entry: XmlElement, context: FeedContext): WireItemDraft | string {
  const id = text(firstChild(entry, 'id', ATOM_NAMESPACE)) || alternateLink(entry)
  if (id === '') return 'the feed entry has no id or link to identify it'
  const content = firstChild(entry, 'content', ATOM_NAMESPACE)
  const summary = firstChild(entry, 'summary', ATOM_NAMESPACE)
  const body =
    content && attr(content, 'src') === undefined ? atomText(content) : summary && atomText(summary)
  return {
    format: 'atom',
    guid: qualifiedId(id, context),
    version: null,
    headline: atomPlain(firstChild(entry, 'title', ATOM_NAMESPACE)),
    summaries: content && summary ? [atomHtml(summary)] : [],
    body,
    byline: authorOf(entry) || context.author,
    credit: context.title,
    copyright: atomPlain(firstChild(entry, 'rights', ATOM_NAMESPACE)),
    topics: childElements(entry, 'category', ATOM_NAMESPACE).map(
      (c) => attr(c, 'label') ?? attr(c, 'term') ?? '',
    ),
    firstCreated: text(firstChild(entry, 'published', ATOM_NAMESPACE)) || undefined,
    versionCreated: text(firstChild(entry, 'updated', ATOM_NAMESPACE)) || undefined,
    language: attr(entry, 'xml:lang') ?? context.language,
    pictures: picturesOf(entry, ''),
  }
}

/** An Atom text construct as a body: xhtml and html as HTML, text as plain text. */
function atomText(element: XmlElement): { html: string } | { text: string } {
  const type = attr(element, 'type') ?? 'text'
  if (type === 'xhtml') return { html: innerHtml(firstChild(element, 'div') ?? element) }
  if (type === 'html' || type === 'text/html') return { html: textOf(element) }
  return { text: textOf(element) }
}

function atomHtml(element: XmlElement): string {
  const value = atomText(element)
  return 'html' in value ? value.html : value.text
}

/** A title or rights construct as plain text; markup in html titles is dropped later by cleanText. */
function atomPlain(element: XmlElement | undefined): string {
  return element ? atomHtml(element) : ''
}

function authorOf(element: XmlElement): string {
  return childElements(element, 'author', ATOM_NAMESPACE)
    .map((a) => text(firstChild(a, 'name', ATOM_NAMESPACE)))
    .filter((name) => name !== '')
    .join(', ')
}

function alternateLink(element: XmlElement): string {
  const links = childElements(element, 'link', ATOM_NAMESPACE)
  const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0]
  return attr(alternate, 'href') ?? ''
}

/** RSS authors are "email (Name)"; the name is the byline. */
function rssAuthor(author: string): string {
  return /\(([^)]+)\)/.exec(author)?.[1] ?? (author.includes('@') ? '' : author)
}

function qualifiedId(id: string, context: FeedContext): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(id) || context.idBase === '' ? id : `${context.idBase}#${id}`
}

/** Photos offered by Media RSS or an image enclosure. */
function picturesOf(item: XmlElement, rssNamespace: string): PictureCandidate[] {
  const pictures: PictureCandidate[] = []
  const media = [
    ...childElements(item, 'content', MEDIA_NAMESPACE),
    ...childElements(item, 'group', MEDIA_NAMESPACE).flatMap((g) =>
      childElements(g, 'content', MEDIA_NAMESPACE),
    ),
  ]
  for (const content of media) {
    const type = attr(content, 'type') ?? ''
    const medium = attr(content, 'medium') ?? ''
    const href = attr(content, 'url')
    if (!href || (!type.startsWith('image/') && medium !== 'image')) continue
    pictures.push({
      href,
      width: dimension(attr(content, 'width')),
      height: dimension(attr(content, 'height')),
      caption:
        text(firstChild(content, 'description', MEDIA_NAMESPACE)) ||
        text(firstChild(item, 'description', MEDIA_NAMESPACE)),
      credit: text(firstChild(content, 'credit', MEDIA_NAMESPACE)),
      copyright: text(firstChild(content, 'copyright', MEDIA_NAMESPACE)),
    })
  }
  for (const enclosure of childElements(item, 'enclosure', rssNamespace)) {
    const href = attr(enclosure, 'url')
    if (href && (attr(enclosure, 'type') ?? '').startsWith('image/'))
      pictures.push({ href, width: null, height: null, caption: '', credit: '', copyright: '' })
  }
  return pictures
}

function dimension(value: string | undefined): number | null {
  const n = Number(value)
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : null
}

function text(element: XmlElement | undefined): string {
  return textOf(element).trim()
}
