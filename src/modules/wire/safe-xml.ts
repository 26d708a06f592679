import { SaxesParser, type SaxesTagNS } from 'saxes'

/** An element of a parsed document, namespace-resolved. */
export interface XmlElement {
  /** The name as written, with its prefix: "nitf:p". */
  name: string
  local: string
  /** Namespace URI; '' for none. */
  uri: string
  attributes: XmlAttribute[]
  children: XmlNode[]
  /** Prefix → URI for every namespace in scope here, for re-serialising one element alone. */
  scope: Readonly<Record<string, string>>
}

export interface XmlAttribute {
  name: string
  local: string
  uri: string
  value: string
}

export type XmlNode = XmlElement | string

export interface XmlLimits {
  maxDepth: number
  maxElements: number
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 100, maxElements: 200_000 }

export type XmlParseResult = { ok: true; root: XmlElement } | { ok: false; reason: string }

class XmlRefused extends Error {}

/**
 * Parses a whole XML document into a tree, safely: no DTD is read or fetched, no entity
 * beyond the five predefined ones (and character references) is expanded, and a DOCTYPE
 * that declares entities is refused outright, so neither external entities (XXE) nor
 * expansion bombs can do anything. Depth and element count are bounded.
 */
export function parseXml(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlParseResult {
  const parser = new SaxesParser({ xmlns: true, position: true })
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  let elements = 0

  parser.on('error', (error) => {
    throw new XmlRefused(`invalid XML at ${describeSaxesError(error.message)}`)
  })
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) {
      throw new XmlRefused(
        'the DOCTYPE declares entities; external entities and entity expansion are refused',
      )
    }
  })
  parser.on('opentag', (tag) => {
    elements += 1
    if (elements > limits.maxElements)
      throw new XmlRefused(`the XML has more than ${limits.maxElements} elements`)
    if (stack.length >= limits.maxDepth)
      throw new XmlRefused(`the XML nests deeper than ${limits.maxDepth} elements`)
    const parent = stack.at(-1)
    const element = toElement(tag, parent?.scope ?? {})
    if (parent) parent.children.push(element)
    else root = element
    stack.push(element)
  })
  parser.on('closetag', () => {
    stack.pop()
  })
  const onText = (text: string) => {
    const parent = stack.at(-1)
    if (!parent) return
    const last = parent.children.at(-1)
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + text
    else parent.children.push(text)
  }
  parser.on('text', onText)
  parser.on('cdata', onText)

  try {
    parser.write(text).close()
  } catch (error) {
    if (error instanceof XmlRefused) return { ok: false, reason: error.message }
    throw error
  }
  if (!root) return { ok: false, reason: 'the XML has no root element' }
  return { ok: true, root }
}

function toElement(tag: SaxesTagNS, parentScope: Readonly<Record<string, string>>): XmlElement {
  const declared = Object.keys(tag.ns).length > 0
  const attributes = Object.values(tag.attributes)
    .filter((a) => a.prefix !== 'xmlns' && a.name !== 'xmlns')
    .map((a) => ({ name: a.name, local: a.local, uri: a.uri, value: a.value }))
  return {
    name: tag.name,
    local: tag.local,
    uri: tag.uri,
    attributes,
    children: [],
    scope: declared ? { ...parentScope, ...tag.ns } : parentScope,
  }
}

// saxes reports "file:line:column: message"; without a file name it is "line:column: message".
function describeSaxesError(message: string): string {
  const match = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(message)
  if (!match) return `an unknown position: ${message}`
  const detail = (match[3] ?? '').replace(/\.$/, '')
  return `line ${match[1]}, column ${match[2]}: ${detail}`
}

/** Children that are elements, optionally only those with this local name (and namespace). */
export function childElements(element: XmlElement, local?: string, uri?: string): XmlElement[] {
  return element.children.filter(
    (c): c is XmlElement =>
      typeof c !== 'string' &&
      (local === undefined || c.local === local) &&
      (uri === undefined || c.uri === uri),
  )
}

export function firstChild(element: XmlElement, local: string, uri?: string): XmlElement | undefined {
  return childElements(element, local, uri)[0]
}

/** The first element with this local name anywhere below, depth first. */
export function findDescendant(element: XmlElement, local: string, uri?: string): XmlElement | undefined {
  const pending = [...childElements(element)].reverse()
  while (pending.length > 0) {
    const next = pending.pop()!
    if (next.local === local && (uri === undefined || next.uri === uri)) return next
    pending.push(...childElements(next).reverse())
  }
  return undefined
}

/** All text below an element, concatenated. */
export function textOf(element: XmlElement | undefined): string {
  if (!element) return ''
  let text = ''
  const pending: XmlNode[] = [...element.children].reverse()
  while (pending.length > 0) {
    const node = pending.pop()!
    if (typeof node === 'string') text += node
    else pending.push(...[...node.children].reverse())
  }
  return text
}

/** An attribute in no namespace (or the xml: one for "xml:lang"), by name. */
export function attr(element: XmlElement | undefined, name: string): string | undefined {
  return element?.attributes.find((a) => a.name === name)?.value
}

/**
 * Writes an element's content as HTML: element local names (renamed through `rename`,
 * e.g. NITF's hl2 to h2), un-namespaced attributes. Used for XHTML and NITF bodies,
 * which then go through the body sanitiser.
 */
export function innerHtml(element: XmlElement, rename: Readonly<Record<string, string>> = {}): string {
  return element.children.map((c) => (typeof c === 'string' ? escapeText(c) : outerHtml(c, rename))).join('')
}

function outerHtml(element: XmlElement, rename: Readonly<Record<string, string>>): string {
  const name = rename[element.local] ?? element.local
  const attributes = element.attributes
    .filter((a) => a.uri === '')
    .map((a) => ` ${a.local}="${escapeAttribute(a.value)}"`)
    .join('')
  return `<${name}${attributes}>${innerHtml(element, rename)}</${name}>`
}

/** NITF body elements that have an HTML equivalent under another name. */
export const NITF_TO_HTML: Readonly<Record<string, string>> = { hl2: 'h2', bq: 'blockquote', credit: 'small' }

/** Re-serialises one element as a standalone XML document, declaring the namespaces in scope. */
export function serializeXml(element: XmlElement): string {
  return writeElement(element, {})
}

function writeElement(element: XmlElement, outerScope: Readonly<Record<string, string>>): string {
  const declarations = Object.entries(element.scope)
    .filter(([prefix, uri]) => outerScope[prefix] !== uri)
    .map(([prefix, uri]) => ` ${prefix === '' ? 'xmlns' : `xmlns:${prefix}`}="${escapeAttribute(uri)}"`)
    .join('')
  const attributes = element.attributes.map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`).join('')
  const inner = element.children
    .map((c) => (typeof c === 'string' ? escapeText(c) : writeElement(c, element.scope)))
    .join('')
  return `<${element.name}${declarations}${attributes}>${inner}</${element.name}>`
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;')
}
