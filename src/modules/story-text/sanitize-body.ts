import sanitizeHtml from 'sanitize-html'
import { mendLists } from './mend-lists.js'

/**
 * The rich-text subset a story body may hold. Everything else is removed on the way
 * in, so no reader page ever renders markup an editor or agency did not mean as text.
 */
const BODY_RULES: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'h2',
    'h3',
    'ul',
    'ol',
    'li',
    'blockquote',
    'a',
    'strong',
    'b',
    'em',
    'i',
    'br',
    'figure',
    'figcaption',
    'img',
    'small',
    'sub',
    'sup',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'width', 'height'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'title',
    'iframe',
    'object',
    'embed',
    'svg',
    'math',
    'template',
  ],
  transformTags: {
    h1: 'h2',
    h4: 'h3',
    h5: 'h3',
    h6: 'h3',
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'noopener noreferrer' },
    }),
    img: (tagName, attribs) => ({
      tagName,
      // Every image needs an alt; an empty one at least marks it decorative for screen readers.
      attribs: {
        ...pick(attribs, 'src', isImageSource),
        alt: attribs['alt'] ?? '',
        ...pick(attribs, 'width', isPixelSize),
        ...pick(attribs, 'height', isPixelSize),
        loading: 'lazy',
        decoding: 'async',
      },
    }),
  },
  // Drop paragraphs left empty, images whose source was refused (an <img> without a src
  // is a broken box on the page), and figures left with no image. A link whose address
  // was refused loses its tag and keeps its text: an <a> without href is no link, and HTML
  // checkers flag it.
  exclusiveFilter: (frame) => {
    if (frame.tag === 'a') {
      if (isLinkAddress(frame.attribs['href'])) return false
      // Its text still counts for the element around it, which an excluded tag does not
      // tell by itself: a paragraph holding only such a link is not empty.
      ;(frame as sanitizeHtml.IFrame & { updateParentNodeText?: () => void }).updateParentNodeText?.()
      return 'excludeTag'
    }
    return (
      (frame.tag === 'p' && frame.text.trim() === '' && !frame.mediaChildren?.length) ||
      (frame.tag === 'img' && !frame.attribs['src']) ||
      (frame.tag === 'figure' && !frame.mediaChildren?.length)
    )
  },
}

/**
 * A link's address the rules keep: http(s) or mailto, or a path on this site. Stricter
 * than the sanitiser's own check, which still runs after it: blanks and control characters
 * (which browsers skip inside a scheme) are ignored before the scheme is read.
 */
function isLinkAddress(href: string | undefined): boolean {
  if (href === undefined) return false
  // eslint-disable-next-line no-control-regex
  const bare = href.replace(/[\u0000-\u0020\u007f]+/g, '')
  if (bare === '' || bare.startsWith('//') || bare.startsWith('\\')) return false
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(bare)?.[1]?.toLowerCase()
  return scheme === undefined || scheme === 'http' || scheme === 'https' || scheme === 'mailto'
}

/** Images come from our media library (/media/…) or an http(s) address; nothing else. */
function isImageSource(src: string): boolean {
  return REMOTE_IMAGE.test(src) || (/^\/media\/[\w./-]+$/.test(src) && !src.includes('..'))
}

const REMOTE_IMAGE = /^https?:\/\/[^\s"'<>]+$/i

function isPixelSize(value: string): boolean {
  return /^[1-9]\d{0,4}$/.test(value)
}

function pick(attribs: sanitizeHtml.Attributes, name: string, ok: (value: string) => boolean) {
  const value = attribs[name]
  return value !== undefined && ok(value) ? { [name]: value } : {}
}

// transformTags adds rel/loading after the attribute filter would see them, so allow those too.
BODY_RULES.allowedAttributes = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'width', 'height', 'loading', 'decoding'],
}

// Bodies this returned lately. Wire ingest sanitises a body when it normalises an item and
// the article service again when it stores it, a batch of items later; a body equal to one
// of our own outputs is already clean, so the second pass (the costliest step of ingest)
// is skipped. Bounded: forgetting one only costs sanitising it again.
const recentClean = new Set<string>()
const RECENT_CLEAN_LIMIT = 512

export function sanitizeBody(html: string): string {
  if (recentClean.has(html)) return html
  return clean(html, BODY_RULES)
}

/** Cleans by these rules, lists mended, and remembers the result as clean. */
function clean(html: string, rules: sanitizeHtml.IOptions): string {
  const cleaned = mendLists(sanitizeHtml(html, rules)).trim()
  rememberCleanBody(cleaned)
  return cleaned
}

/** An image an agency's body held: where it points, and what it said of itself. */
export interface BodyImage {
  src: string
  alt: string
  width: number | null
  height: number | null
}

/**
 * An agency's body, cleaned as any body is and without its images, which are returned
 * beside it (the http(s) ones, in order). Agency copy points its inline images at the
 * agency's or a third party's servers (feeds carry tracking pixels among them): kept, every
 * reader's page would fetch them from there, telling those servers who reads what, on
 * licences nobody checked. A picture is fetched and stored here instead, as the story's
 * hero. A figure left without its image goes too, caption and all. The body returned is
 * also a clean body by sanitizeBody's rules.
 */
export function sanitizeAgencyBody(html: string): { html: string; images: BodyImage[] } {
  // A body known clean and holding no image is its own agency body (an agency's version
  // delivered again, say): nothing to clean, no image to report.
  if (recentClean.has(html) && !html.includes('<img')) return { html, images: [] }
  const images: BodyImage[] = []
  const cleaned = clean(html, {
    ...AGENCY_BODY_RULES,
    transformTags: {
      ...AGENCY_BODY_RULES.transformTags,
      img: (tagName, attribs) => {
        const src = attribs['src'] ?? ''
        if (images.length < MAX_BODY_IMAGES && REMOTE_IMAGE.test(src))
          images.push({
            src,
            alt: attribs['alt'] ?? '',
            width: pixels(attribs['width']),
            height: pixels(attribs['height']),
          })
        return { tagName, attribs }
      },
    },
  })
  return { html: cleaned, images }
}

const MAX_BODY_IMAGES = 10

function pixels(value: string | undefined): number | null {
  return value !== undefined && isPixelSize(value) ? Number(value) : null
}

const AGENCY_BODY_RULES: sanitizeHtml.IOptions = {
  ...BODY_RULES,
  allowedTags: (BODY_RULES.allowedTags as string[]).filter((tag) => tag !== 'img'),
}

/** Remembers one of sanitizeBody's outputs, making room by forgetting the rest when full. */
function rememberCleanBody(html: string): void {
  if (recentClean.size >= RECENT_CLEAN_LIMIT) recentClean.clear()
  recentClean.add(html)
}

/**
 * Tells this thread's sanitiser that `bodies` are bodies sanitizeBody returned in another
 * thread (wire documents are parsed in worker threads), so storing them does not clean
 * them again. Only ever for such outputs: whatever is remembered here is stored as it is.
 * A whole batch is kept, however large (`dateline ingest --batch` goes to 10,000): the
 * batch holds the same strings anyway, and forgetting its first bodies while its last are
 * remembered would clean them all over again.
 */
export function rememberCleanBodies(bodies: readonly string[]): void {
  if (recentClean.size + bodies.length > Math.max(RECENT_CLEAN_LIMIT, bodies.length)) recentClean.clear()
  for (const body of bodies) recentClean.add(body)
}
