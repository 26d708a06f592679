import { decodeDocument } from './decode-document.js'
import { ATOM_NAMESPACE, parseAtom, parseRss } from './parse-feed.js'
import { NAR_NAMESPACE, parseNewsmlG2 } from './parse-newsml-g2.js'
import { parseNinjs } from './parse-ninjs.js'
import { DEFAULT_XML_LIMITS, parseXml, type XmlElement, type XmlLimits } from './safe-xml.js'
import type { ParsedEntry, WireFormat } from './wire-item.js'

// Old UserLand feeds put RSS 2.0 in this namespace; the elements are the same.
const USERLAND_RSS_NAMESPACE = 'http://backend.userland.com/rss2'
// Parts of a G2 item that the guidelines show on their own, without the item around them.
const G2_PARTS = new Set(['contentSet', 'contentMeta', 'itemMeta', 'groupSet', 'rightsInfo', 'itemSet'])

export interface WireLimits {
  /** Largest document, in bytes, before and after gzip. */
  maxBytes: number
  xml: XmlLimits
}

export const DEFAULT_WIRE_LIMITS: WireLimits = { maxBytes: 10 * 1024 * 1024, xml: DEFAULT_XML_LIMITS }

/** Kept of a document over the size limit, so the quarantine shows what it was. */
export const OVERSIZE_PREFIX_BYTES = 64 * 1024

/** A whole document refused (unreadable, hostile, not news), or the entries it holds. */
export type ParsedDocument =
  { ok: true; format: WireFormat; entries: ParsedEntry[] } | { ok: false; reason: string }

const DOCUMENT_FILE_NAME = /^[^.~][^/]*\.(json|xml|rss|atom|ninjs)(\.gz)?$/i

/**
 * Whether a file in a delivered folder is a document, by its name: `.json`, `.xml`, `.rss`,
 * `.atom` or `.ninjs`, optionally `.gz`, and not a hidden or temporary name. Anything else in
 * a drop (the pictures its items name, notes) is not ingested; the content, not the name,
 * still decides a document's format.
 */
export function isDocumentFileName(name: string): boolean {
  return DOCUMENT_FILE_NAME.test(name)
}

/**
 * Reads any document we ingest and tells its format from the content, not the file name:
 * JSON is ninjs; XML is NewsML-G2, RSS or Atom by its root element. With an expected
 * format (a source's), a document of another format is refused.
 */
export function parseWireDocument(
  bytes: Uint8Array,
  options: { expect?: WireFormat | undefined; limits?: WireLimits | undefined } = {},
): ParsedDocument {
  const limits = options.limits ?? DEFAULT_WIRE_LIMITS
  const decoded = decodeDocument(bytes, limits)
  if (!decoded.ok) return decoded
  const parsed =
    decoded.syntax === 'json' ? readJson(decoded.text, bytes) : readXml(decoded.text, bytes, limits)
  if (!parsed.ok) return parsed
  if (options.expect && parsed.format !== options.expect)
    return { ok: false, reason: `the source takes ${options.expect}, but this document is ${parsed.format}` }
  if (parsed.entries.length === 0)
    return { ok: false, reason: `the ${parsed.format} document holds no items` }
  return parsed
}

function readJson(text: string, bytes: Uint8Array): ParsedDocument {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` }
  }
  return { ok: true, format: 'ninjs', entries: parseNinjs(value, bytes) }
}

function readXml(text: string, bytes: Uint8Array, limits: WireLimits): ParsedDocument {
  if (/^\s*(<\?xml[^>]*>\s*)?<!DOCTYPE\s+html[\s>]/i.test(text) || /^\s*<(html|head|body)[\s>]/i.test(text))
    return { ok: false, reason: 'an HTML page, not a news document or feed' }
  // A feed served with blank lines before its XML declaration is common and harmless.
  const parsed = parseXml(text.replace(/^\s+(?=<\?xml)/, ''), limits.xml)
  if (!parsed.ok) return parsed
  return classify(parsed.root, bytes)
}

function classify(root: XmlElement, bytes: Uint8Array): ParsedDocument {
  if (root.uri === NAR_NAMESPACE)
    return { ok: true, format: 'newsml-g2', entries: parseNewsmlG2(root, bytes) }
  if (root.local === 'rss' && (root.uri === '' || root.uri === USERLAND_RSS_NAMESPACE))
    return { ok: true, format: 'rss', entries: parseRss(root) }
  if (root.local === 'feed' && root.uri === ATOM_NAMESPACE)
    return { ok: true, format: 'atom', entries: parseAtom(root) }
  if (root.local === 'RDF')
    return { ok: false, reason: 'an RSS 1.0 (RDF) feed; only RSS 2.0 and Atom 1.0 feeds are ingested' }
  if (root.local === 'NewsML')
    return { ok: false, reason: 'a NewsML 1.x document; only NewsML-G2 news items are ingested' }
  if (G2_PARTS.has(root.local))
    return { ok: false, reason: `a NewsML-G2 fragment <${root.name}>, not a complete news item` }
  if (root.local === 'html') return { ok: false, reason: 'an HTML page, not a news document or feed' }
  const namespace = root.uri === '' ? '' : ` in namespace ${root.uri}`
  return {
    ok: false,
    reason: `unrecognised XML: the root element <${root.name}>${namespace} is not a NewsML-G2 item, RSS or Atom`,
  }
}
