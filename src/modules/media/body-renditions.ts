import type { Db } from '../../platform/database.js'
import type { ImageSource } from './media.js'

const BODY_SIZES = '(min-width: 60rem) 44rem, 100vw'
const LIBRARY_IMG = /<img src="(\/media\/[\w./-]+)"([^>]*)>/g
const LIBRARY_IMG_START = '<img src="/media/'

interface BodyImage {
  width: number
  srcset: string
  sources: ImageSource[]
}

/**
 * A story body's library photos in every size they have: each `<img src="/media/…">`
 * whose renditions exist becomes a <picture> with a WebP source and a srcset of its
 * own. The body is stored as written; this runs when a page is rendered, so photos
 * gain their sizes when the renditions job finishes. Our own keys are all it inserts.
 */
export async function withBodyRenditions(db: Db, html: string): Promise<string> {
  // Most bodies have no library photo: one substring search instead of running the pattern.
  if (!html.includes(LIBRARY_IMG_START)) return html
  const srcs = [...new Set([...html.matchAll(LIBRARY_IMG)].map((m) => m[1]!))]
  if (srcs.length === 0) return html
  const rows = await db
    .selectFrom('media')
    .select(['src', 'width', 'srcset', 'sources'])
    .where('src', 'in', srcs)
    .where('storage_key', 'is not', null)
    .where('rendition_status', '=', 'done')
    .execute()
  const found = new Map<string, BodyImage>(
    rows.map((r) => [
      r.src,
      { width: r.width, srcset: r.srcset, sources: JSON.parse(r.sources) as ImageSource[] },
    ]),
  )
  return html.replace(LIBRARY_IMG, (tag, src: string, rest: string) => {
    const image = found.get(src)
    if (!image) return tag
    const srcset = image.srcset ? `${image.srcset}, ${src} ${image.width}w` : `${src} ${image.width}w`
    const sources = image.sources
      .filter((s) => s.srcset !== '')
      .map((s) => `<source type="${s.type}" srcset="${s.srcset}" sizes="${BODY_SIZES}" />`)
      .join('')
    return `<picture>${sources}<img src="${src}" srcset="${srcset}" sizes="${BODY_SIZES}"${rest}></picture>`
  })
}
