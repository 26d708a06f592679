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
  // Text cleaned once already (the wire's, stored again by the article service) has nothing
  // to collapse: one test instead of two replacements and a trim.
  if (!NEEDS_COLLAPSE.test(text)) return text
  return text.replace(CONTROL_CHARACTERS, '').replace(/\s+/g, ' ').trim()
}

// Control characters are exactly what cleanText strips, so the pattern must name them.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\u2028\u2029]/g
// What collapse changes: a control character, whitespace other than a lone space, or
// whitespace at either end.
const NEEDS_COLLAPSE = new RegExp(`${CONTROL_CHARACTERS.source}|[^\\S ]|\\s\\s|^\\s|\\s$`)

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
 * The text of a stored body's opening, at least `length` characters of it when it has
 * them: for meta descriptions, feed summaries and the wire's teaser check. Stored bodies
 * were sanitized on the way in, so their tags are whole and their only entities are the
 * escapes of & < > " and ': dropping the tags and decoding those gives the text, without
 * the HTML parser htmlToText needs for text of unknown origin (150 µs for a 5 KB body).
 * Only as many whole tags of a long body are read as give that many characters.
 */
export function storedText(html: string, length: number): string {
  for (let end = 2 * length + 512; ; end *= 4) {
    const whole = end >= html.length
    const cut = whole ? html.length : html.lastIndexOf('>', end) + 1
    const text = collapse(decodeEntities(html.slice(0, cut).replace(TAG, wordBreak)))
    if (text.length > length || whole) return text
  }
}

/**
 * Text cut to at most `limit` characters: at a sentence end when one is near the limit,
 * else at a word with an ellipsis, never between the two halves of a character outside
 * the BMP (an emoji), which no encoding could carry.
 */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text
  const last = text.charCodeAt(limit - 2)
  const cut = text.slice(0, last >= 0xd800 && last <= 0xdbff ? limit - 2 : limit - 1)
  const sentence = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '))
  if (sentence > limit * 0.6) return cut.slice(0, sentence + 1)
  const word = cut.lastIndexOf(' ')
  return `${(word > limit * 0.6 ? cut.slice(0, word) : cut).trimEnd()}…`
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
