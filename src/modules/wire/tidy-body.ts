import { sanitizeBody } from '../story-text/index.js'
import { storedText } from '../../platform/text.js'

// The block elements of a clean body; everything else it may hold sits inside a line of text.
const BLOCKS = new Set(['p', 'h2', 'h3', 'ul', 'ol', 'blockquote', 'figure'])
const VOID = new Set(['br', 'img'])
const HEADINGS = new Set(['h2', 'h3'])
// A clean body's tags are whole and its text has "<" and ">" escaped, so tags can be read alone.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g
// Where tidying may be needed: a heading or anything but a block first, or text or an inline
// element after a block's end. Most bodies have neither and are passed by one search.
const BLOCK_NAMES = [...BLOCKS].join('|')
const MAY_NEED_TIDYING = new RegExp(
  `^\\s*(?:<h[23][\\s>]|(?!<(?:${BLOCK_NAMES})[\\s>])\\S)|</(?:${BLOCK_NAMES})>\\s*(?:[^<\\s]|<(?!/|(?:${BLOCK_NAMES})[\\s>]))`,
)

interface Part {
  /** The block element's name; undefined for a run of text and inline elements between blocks. */
  block: string | undefined
  html: string
}

/**
 * A clean wire body as a story body should read. Agencies that send a whole HTML page (TT's
 * "html5" body: an <h1> with the headline, then a vignette and source in spans, then the text)
 * leave, once cleaned, a heading repeating the headline and text standing outside any
 * paragraph. A leading heading equal to the headline is dropped, and text between blocks is
 * put in paragraphs. A body needing neither comes back as it was (its content hash with it).
 */
export function tidyBody(cleanHtml: string, headline: string): string {
  if (!MAY_NEED_TIDYING.test(cleanHtml)) return cleanHtml
  const parts = topLevelParts(cleanHtml)
  const first = parts.findIndex((part) => part.block !== undefined || hasText(part.html))
  let changed = false
  const lead = parts[first]
  if (lead?.block !== undefined && HEADINGS.has(lead.block) && headline !== '') {
    if (storedText(lead.html, lead.html.length) === headline) {
      parts.splice(first, 1)
      changed = true
    }
  }
  for (const part of parts) {
    if (part.block !== undefined || !hasText(part.html)) continue
    part.html = `<p>${part.html.trim()}</p>`
    changed = true
  }
  // Cleaned again so the result is a known clean body: the article service stores it as it is.
  return changed ? sanitizeBody(parts.map((part) => part.html).join('')) : cleanHtml
}

/** The body cut into its top-level blocks and the runs of text and inline elements between them. */
function topLevelParts(html: string): Part[] {
  const parts: Part[] = []
  let depth = 0
  let start = 0
  let block: string | undefined
  const endRun = (at: number) => {
    if (at > start) parts.push({ block, html: html.slice(start, at) })
    start = at
  }
  for (const match of html.matchAll(TAG)) {
    const name = (match[2] ?? '').toLowerCase()
    if (VOID.has(name)) continue
    const at = match.index
    if (match[1] === '') {
      if (depth === 0 && BLOCKS.has(name)) {
        endRun(at)
        block = name
      }
      depth += 1
    } else {
      depth = Math.max(0, depth - 1)
      if (depth === 0 && block !== undefined) {
        const end = at + match[0].length
        parts.push({ block, html: html.slice(start, end) })
        start = end
        block = undefined
      }
    }
  }
  endRun(html.length)
  return parts
}

/** Whether a run holds words; one without (a line break, a link left empty) stays as it is. */
function hasText(html: string): boolean {
  if (!/[<&]/.test(html)) return html.trim() !== ''
  return storedText(html, html.length) !== ''
}
