import { MAX_ALT_LENGTH, MAX_CAPTION_LENGTH, MAX_CREDIT_LENGTH } from '../media/index.js'
import { truncate } from '../../platform/text.js'
import type { PictureCandidate } from './wire-item.js'

/** Where a picture is read from: fetched over http(s), or read beside the delivered file. */
export type PictureAddress = { kind: 'url'; url: string } | { kind: 'file'; path: string }

/** What a document's delivery lets a picture address be resolved against. */
export interface PictureBase {
  /** The document was fetched from this URL (a polled feed, `dateline ingest <url>`). */
  documentUrl?: string | undefined
  /** The document was delivered as a file, and the files beside it can be read. */
  besideFile: boolean
}

export type PictureChoice =
  | { kind: 'none' }
  | { kind: 'refused'; href: string; reason: string }
  | { kind: 'chosen'; candidate: PictureCandidate; address: PictureAddress }

/**
 * The hero picture an item offers: its first candidate whose address we can use. An item
 * whose candidates are all unusable (a data: URI, a relative path pushed with no file to
 * find it beside) is refused with the first one's reason; the story goes on without.
 */
export function choosePicture(pictures: readonly PictureCandidate[], base: PictureBase): PictureChoice {
  let refused: { href: string; reason: string } | undefined
  for (const candidate of pictures) {
    const address = locatePicture(candidate.href, base)
    if ('kind' in address) return { kind: 'chosen', candidate, address }
    refused ??= { href: candidate.href, reason: address.refused }
  }
  return refused ? { kind: 'refused', ...refused } : { kind: 'none' }
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i
const DRIVE = /^[a-z]:[\\/]/i

/**
 * An absolute http(s) URL is fetched. A relative address resolves against the URL the
 * document was fetched from, or else names a file beside the delivered document; a path
 * that is absolute or climbs out with `..` is refused here, before anything is read.
 */
export function locatePicture(href: string, base: PictureBase): PictureAddress | { refused: string } {
  const text = href.trim()
  if (text === '') return { refused: 'the picture has no address' }
  if (DRIVE.test(text) || text.startsWith('\\'))
    return { refused: `${shown(text)} is an absolute path; only paths beside the document are read` }
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase()
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https')
    return { refused: `a ${scheme}: address; only http(s) pictures are fetched` }
  if (scheme !== undefined) return absoluteUrl(text)
  if (base.documentUrl !== undefined) return absoluteUrl(text, base.documentUrl)
  if (text.startsWith('/'))
    return { refused: `${shown(text)} is an absolute path; only paths beside the document are read` }
  if (!base.besideFile)
    return {
      refused: `${shown(text)} is a relative address, and the document came with no file or URL to read it beside`,
    }
  const segments = text.split(/[\\/]/).filter((s) => s !== '' && s !== '.')
  if (segments.includes('..') || text.includes('\0'))
    return { refused: `${shown(text)} leads out of the document's folder; only paths beside it are read` }
  if (segments.length === 0) return { refused: 'the picture has no file name' }
  return { kind: 'file', path: segments.join('/') }
}

function absoluteUrl(text: string, base?: string): PictureAddress | { refused: string } {
  try {
    const url = new URL(text, base)
    if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'url', url: url.href }
    return { refused: `a ${url.protocol} address; only http(s) pictures are fetched` }
  } catch {
    return { refused: 'the picture address is not a valid URL' }
  }
}

function shown(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)
}

/** The texts a wire picture brings to the hero and the media library. */
export interface HeroTexts {
  alt: string
  caption: string
  credit: string
}

/**
 * Alt text is required for a hero: the picture's caption (agencies write it as a
 * description of the photo), else the story's headline. The credit joins the picture's
 * credit and copyright notice, once when one already says the other.
 */
export function heroTextsOf(candidate: PictureCandidate, headline: string): HeroTexts {
  const caption = candidate.caption.trim()
  return {
    alt: truncate(caption || headline.trim() || 'Agency photo', MAX_ALT_LENGTH),
    caption: truncate(caption, MAX_CAPTION_LENGTH),
    credit: truncate(creditLine(candidate.credit, candidate.copyright), MAX_CREDIT_LENGTH),
  }
}

/** "AP Photo/Jane Doe" and "© 2026 AP" become "AP Photo/Jane Doe; © 2026 AP"; "AP" and "© AP" become "© AP". */
export function creditLine(credit: string, copyright: string): string {
  const a = credit.trim()
  const b = copyright.trim()
  if (a === '' || b === '') return a || b
  const [la, lb] = [a.toLowerCase(), b.toLowerCase()]
  if (la.includes(lb)) return a
  if (lb.includes(la)) return b
  return `${a}; ${b}`
}
