import { transcode } from 'node:buffer'
import sanitizeHtml from 'sanitize-html'

/**
 * Plain-text fields (headline, key points, captions, names) keep their text but lose
 * control characters and any markup, which is never meant in them.
 */
export function cleanText(text: string): string {
  // Without "<" or "&" there is no markup and no entity: only the characters go (most
  // headlines, names and topics, so the HTML parser below is spared for them).
  if (!MARKUP_OR_ENTITY.test(text)) return collapse(text)
  // A "<" that opens no complete tag is text ("x<y", "a <b"): escaped first, so the HTML
  // parser below cannot read it as the start of an element and swallow what follows.
  const literalLessThan = text.replace(/<(?!\/?[a-zA-Z][^<>]*>|!--)/g, '&lt;')
  const withoutTags = sanitizeHtml(literalLessThan, {
    allowedTags: [],
    allowedAttributes: {},
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'noscript', 'iframe', 'template'],
  })
  return collapse(decodeEntities(withoutTags))
}

const MARKUP_OR_ENTITY = /[<&]/

function collapse(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '').replace(/\s+/g, ' ').trim()
}

// Control characters are exactly what cleanText strips, so the pattern must name them.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\u2028\u2029]/g

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

/** The words of some HTML as plain text, blocks kept apart by a space. */
export function htmlToText(html: string): string {
  return cleanText(html.replace(/<\/(p|h2|h3|li|blockquote|figcaption)>/g, ' '))
}

/**
 * The opening words of a stored body as plain text, at most `max` characters, ending in
 * "…" when cut: for meta descriptions and feed summaries. Stored bodies were sanitized on
 * the way in, so their tags are whole and their only entities are the escapes of & < > "
 * and ': dropping the tags and decoding those gives the text, without the HTML parser
 * htmlToText needs for text of unknown origin (150 µs for a 5 KB body). Only as much of a
 * long body is read as gives `max` characters.
 */
export function openingText(html: string, max: number): string {
  for (let end = 2 * max + 512; ; end *= 4) {
    const whole = end >= html.length
    const cut = whole ? html.length : html.lastIndexOf('>', end) + 1
    const text = collapse(decodeEntities(html.slice(0, cut).replace(TAG, wordBreak)))
    if (text.length > max || whole) return shorten(text, max)
  }
}

/**
 * `text` as it is when it has at most `max` characters, else its first `max - 3` and "…"
 * (without a space before it);
 * never cut between the two halves of a character outside the BMP (an emoji), which would
 * leave half a character that no encoding can carry.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  const end = max - 3
  const beforeCut = text.charCodeAt(end - 1)
  return `${text.slice(0, beforeCut >= 0xd800 && beforeCut <= 0xdbff ? end - 1 : end).trimEnd()}…`
}

const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g
/** Elements whose edges separate words; inline ones (a, em, strong) sit inside words. */
const BLOCKS = new Set([
  'p',
  'h2',
  'h3',
  'ul',
  'ol',
  'li',
  'blockquote',
  'figure',
  'figcaption',
  'br',
  'img',
  'hr',
])

function wordBreak(_tag: string, name: string): string {
  return BLOCKS.has(name.toLowerCase()) ? ' ' : ''
}

/** Text for HTML or XML, in content or a quoted attribute: the five special characters escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Room for the UTF-16 of any text up to 256 Ki characters, reused by every call. */
const utf16Scratch = Buffer.allocUnsafeSlow(2 * 256 * 1024)

/**
 * Text as UTF-8 bytes, for pages and feeds that are encoded once and sent many times.
 * V8 keeps a string as Latin-1 or as UTF-16, and a rendered page holding one curly quote
 * is UTF-16 throughout; Buffer.from measures and encodes that a character at a time
 * (about 90 µs for a 30 KB page). Copying the UTF-16 out and transcoding it costs about
 * 20 µs whatever the text. The copy goes to one scratch buffer, so each page allocates
 * only its result: every allocation of outside memory brings V8's next full garbage
 * collection closer. Lone surrogates, which transcode refuses, take Buffer.from, which
 * writes U+FFFD for them.
 */
export function utf8(text: string): Buffer {
  if (2 * text.length > utf16Scratch.length) return Buffer.from(text)
  const length = utf16Scratch.write(text, 0, 'utf16le')
  try {
    return transcode(utf16Scratch.subarray(0, length), 'utf16le', 'utf8')
  } catch {
    return Buffer.from(text)
  }
}
