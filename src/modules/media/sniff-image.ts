import type { ImageFormat } from './media.js'

/** What the first bytes say a file is; only the five image formats are accepted. */
export type SniffedKind = ImageFormat | 'svg' | 'heic' | 'markup' | 'unknown'

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)))

export function sniffImage(bytes: Uint8Array): SniffedKind {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png'
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif'
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp'
  if (ascii(bytes, 4, 8) === 'ftyp') return sniffIsoBrand(bytes)
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 2048))
    .replace(/^\ufeff/, '')
    .trimStart()
  if (head.startsWith('<')) return /<svg[\s>]/i.test(head) ? 'svg' : 'markup'
  return 'unknown'
}

/** AVIF and HEIC share the ISO media file layout; the ftyp brands tell them apart. */
function sniffIsoBrand(bytes: Uint8Array): SniffedKind {
  const boxSize = readUint32(bytes, 0)
  const brands = [ascii(bytes, 8, 12)]
  for (let at = 16; at + 4 <= Math.min(boxSize, bytes.length, 256); at += 4)
    brands.push(ascii(bytes, at, at + 4))
  if (brands.includes('avif') || brands.includes('avis')) return 'avif'
  if (brands.some((b) => ['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1'].includes(b))) return 'heic'
  return 'unknown'
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] ?? 0) * 0x1000000 +
    ((bytes[at + 1] ?? 0) << 16) +
    ((bytes[at + 2] ?? 0) << 8) +
    (bytes[at + 3] ?? 0)
  )
}

/** How a file ends, by its own structure: whole, cut short, or with something after the image. */
export type Ending = 'complete' | 'truncated' | 'trailing-data'

/**
 * Reads each format's own end marker. Bytes after the end are how polyglots are made
 * (an image that is also a ZIP, HTML or script); a missing end is a cut-off upload.
 */
export function imageEnding(format: ImageFormat, bytes: Uint8Array): Ending {
  switch (format) {
    case 'jpeg':
      return endsWithMarker(bytes, [0xff, 0xd9])
    case 'gif':
      return endsWithMarker(bytes, [0x3b])
    case 'png':
      return pngEnding(bytes)
    case 'webp':
      return riffEnding(bytes)
    case 'avif':
      return isoEnding(bytes)
  }
}

/** Some encoders pad the end with zero bytes; those are allowed, anything else is not. */
function withoutPadding(bytes: Uint8Array): Uint8Array {
  let end = bytes.length
  while (end > 0 && bytes[end - 1] === 0) end--
  return bytes.subarray(0, end)
}

function endsWithMarker(bytes: Uint8Array, marker: number[]): Ending {
  const body = withoutPadding(bytes)
  const tail = body.subarray(body.length - marker.length)
  if (marker.every((b, i) => tail[i] === b)) return 'complete'
  return indexOfBytes(body, marker) === -1 ? 'truncated' : 'trailing-data'
}

function pngEnding(bytes: Uint8Array): Ending {
  const at = lastIndexOfBytes(bytes, [0x49, 0x45, 0x4e, 0x44]) // "IEND"
  if (at === -1 || at + 8 > bytes.length) return 'truncated'
  return at + 8 === bytes.length ? 'complete' : 'trailing-data'
}

function riffEnding(bytes: Uint8Array): Ending {
  const size =
    (bytes[4] ?? 0) + ((bytes[5] ?? 0) << 8) + ((bytes[6] ?? 0) << 16) + (bytes[7] ?? 0) * 0x1000000
  const expected = size + 8 + (size % 2)
  if (bytes.length < size + 8) return 'truncated'
  return bytes.length <= expected ? 'complete' : 'trailing-data'
}

function isoEnding(bytes: Uint8Array): Ending {
  let at = 0
  while (at < bytes.length) {
    if (at + 8 > bytes.length) return 'trailing-data'
    let size = readUint32(bytes, at)
    const type = ascii(bytes, at + 4, at + 8)
    if (!/^[\x20-\x7e]{4}$/.test(type)) return 'trailing-data'
    if (size === 1) {
      if (at + 16 > bytes.length) return 'truncated'
      size = readUint32(bytes, at + 8) * 0x100000000 + readUint32(bytes, at + 12)
    } else if (size === 0) {
      size = bytes.length - at
    }
    if (size < 8) return 'trailing-data'
    if (at + size > bytes.length) return 'truncated'
    at += size
  }
  return 'complete'
}

function indexOfBytes(bytes: Uint8Array, needle: number[], from = 0): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(Buffer.from(needle), from)
}

function lastIndexOfBytes(bytes: Uint8Array, needle: number[]): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).lastIndexOf(Buffer.from(needle))
}

/**
 * Markup or script text anywhere in the file: how an image is made to also be a web
 * page. Compressed pixels essentially never spell these, so a hit is deliberate.
 */
export function findEmbeddedMarkup(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  return /<(script|html|body|iframe|svg|object|embed)[\s>/]|<\?php|<!doctype|javascript:/i.exec(text)?.[0]
}
