import { gunzipSync } from 'node:zlib'

export interface DecodeLimits {
  /** Largest document accepted, before and after gzip decompression. */
  maxBytes: number
}

export type DecodedDocument =
  { ok: true; syntax: 'json' | 'xml'; text: string } | { ok: false; reason: string }

/**
 * Turns delivered bytes into text and says whether it is JSON or XML. Gzip is undone
 * within the same size limit (so a small bomb cannot expand), the character encoding is
 * taken from the BOM or the XML declaration, and bytes invalid in it are refused rather
 * than replaced, so nothing is silently garbled.
 */
export function decodeDocument(bytes: Uint8Array, limits: DecodeLimits): DecodedDocument {
  if (bytes.length === 0) return { ok: false, reason: 'the document is empty' }
  if (bytes.length > limits.maxBytes) return { ok: false, reason: tooLarge(bytes.length, limits.maxBytes) }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let inflated: Uint8Array
    try {
      inflated = gunzipSync(bytes, { maxOutputLength: limits.maxBytes })
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        return { ok: false, reason: `the gzip data expands beyond the ${limits.maxBytes}-byte limit` }
      return { ok: false, reason: `the gzip data is corrupt (${(error as Error).message})` }
    }
    if (inflated[0] === 0x1f && inflated[1] === 0x8b)
      return { ok: false, reason: 'gzip inside gzip is refused' }
    return decodeDocument(inflated, limits)
  }
  const bom = byteOrderMark(bytes)
  const start = firstSignificantByte(bytes, bom?.length ?? 0)
  const first = bom && bom.encoding !== 'utf-8' ? sniffUtf16(bytes, bom) : bytes[start]
  let syntax: 'json' | 'xml'
  if (first === 0x7b || first === 0x5b) syntax = 'json'
  else if (first === 0x3c) syntax = 'xml'
  else return { ok: false, reason: `not JSON or XML: it begins with ${describeStart(bytes, start)}` }

  const encoding = bom?.encoding ?? (syntax === 'xml' ? declaredEncoding(bytes) : undefined) ?? 'utf-8'
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(encoding, { fatal: true })
  } catch {
    return { ok: false, reason: `unsupported character encoding "${encoding}"` }
  }
  try {
    return { ok: true, syntax, text: decoder.decode(bytes) }
  } catch {
    return { ok: false, reason: `the document is not valid ${encoding} text` }
  }
}

export function tooLarge(size: number, limit: number): string {
  return `the document is ${size} bytes; the limit is ${limit} bytes`
}

function byteOrderMark(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 }
  return undefined
}

function sniffUtf16(bytes: Uint8Array, bom: { encoding: string; length: number }): number | undefined {
  const text = new TextDecoder(bom.encoding).decode(bytes.subarray(0, 200))
  return text.trimStart().charCodeAt(0)
}

function firstSignificantByte(bytes: Uint8Array, from: number): number {
  let i = from
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++
  return i
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 300)).toString('latin1')
  return /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1]?.toLowerCase()
}

function describeStart(bytes: Uint8Array, start: number): string {
  const head = bytes.subarray(start, start + 12)
  const printable = head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09)
  if (printable) return JSON.stringify(Buffer.from(head).toString('latin1'))
  return `the bytes ${[...head.subarray(0, 4)].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ')}`
}
