/** The formats an upload may be in, named as sharp names them (AVIF is "heif" to sharp). */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif'

export const CONTENT_TYPES: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
}

export const EXTENSIONS: Record<ImageFormat, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
  gif: 'gif',
}

/** Limits an image must keep to; past them an upload is refused (413). */
export interface ImageLimits {
  maxBytes: number
  /** Width × height (× frames for an animation), checked from the header before decoding. */
  maxPixels: number
  /** The longest side in pixels. */
  maxSide: number
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxBytes: 25 * 1024 * 1024,
  maxPixels: 60_000_000,
  maxSide: 12_000,
}

/** A smaller copy made by the renditions job. */
export interface Rendition {
  key: string
  format: ImageFormat
  width: number
  height: number
  bytes: number
}

/** A modern-format set for <picture><source type srcset>. */
export interface ImageSource {
  type: string
  srcset: string
}

export type RenditionStatus = 'none' | 'pending' | 'done' | 'failed'

/** A photo in the media library: the stripped original, its texts and its renditions. */
export interface MediaItem {
  id: number
  /** The public address of the stripped original: /media/KEY. */
  src: string
  /** Null for photos a story named by address rather than stored here. */
  storageKey: string | null
  width: number
  height: number
  contentType: string
  byteSize: number
  /** Smaller renditions in the fallback format (JPEG or PNG): "url 480w, url 800w". */
  srcset: string
  /** The same sizes in modern formats. */
  sources: ImageSource[]
  renditions: Rendition[]
  renditionStatus: RenditionStatus
  alt: string
  caption: string
  credit: string
  /** Where it came from: "upload", or the agency for wire pictures. */
  origin: string
  uploadedBy: number | null
  createdAt: Date
}

/** A story that shows the photo, as its hero or inside its body. */
export interface MediaUse {
  articleId: number
  headline: string
  status: string
  as: 'hero' | 'inline'
}

export function mediaUrl(key: string): string {
  return `/media/${key}`
}

/** Keys are lower-case hex paths with one of our extensions; nothing else is ever served. */
export const MEDIA_KEY = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*\.(jpg|png|webp|avif|gif)$/

export function contentTypeOfKey(key: string): string | undefined {
  const ext = key.slice(key.lastIndexOf('.') + 1)
  const format = (Object.keys(EXTENSIONS) as ImageFormat[]).find((f) => EXTENSIONS[f] === ext)
  return format && CONTENT_TYPES[format]
}
