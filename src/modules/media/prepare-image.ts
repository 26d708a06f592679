import type { Metadata } from 'sharp'
import { AppError } from '../../platform/app-error.js'
import { loadSharp } from './load-sharp.js'
import { CONTENT_TYPES, type ImageFormat, type ImageLimits } from './media.js'
import { findEmbeddedMarkup, imageEnding, sniffImage } from './sniff-image.js'

/** An upload that passed every check, re-encoded without its metadata. */
export interface PreparedImage {
  bytes: Buffer
  format: ImageFormat
  contentType: string
  width: number
  height: number
  animated: boolean
  hasAlpha: boolean
}

const ACCEPTED = 'JPEG, PNG, WebP, AVIF or GIF'

function refuse(message: string): never {
  throw new AppError('INVALID_INPUT', `file: ${message}`, {
    details: { problems: [{ field: 'file', message }] },
  })
}

function tooLarge(message: string): never {
  throw new AppError('PAYLOAD_TOO_LARGE', `file: ${message}`, {
    details: { problems: [{ field: 'file', message }] },
  })
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`
}

/** sharp's name for each of our formats. */
const SHARP_FORMAT: Record<ImageFormat, string> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'heif',
  gif: 'gif',
}

/**
 * Checks an upload by its content, never its name: the magic bytes, the declared type
 * if any, the format's own end marker, the header's size against the limits, then a
 * full decode. What passes is re-encoded in its own format, turned upright by its EXIF
 * orientation, with every EXIF, GPS, XMP and IPTC block left behind.
 */
export async function prepareImage(
  input: Uint8Array,
  limits: ImageLimits,
  declaredType?: string,
): Promise<PreparedImage> {
  if (input.byteLength === 0) refuse('is empty')
  if (input.byteLength > limits.maxBytes)
    tooLarge(`is ${megabytes(input.byteLength)}; the limit is ${megabytes(limits.maxBytes)}`)
  const format = checkKind(input)
  checkDeclaredType(format, declaredType)
  const markup = findEmbeddedMarkup(input)
  if (markup)
    refuse(`contains web page or script text ("${markup}"); it may be a polyglot file and is refused`)

  const meta = await readHeader(input, format, limits)
  const animated = format === 'gif' && (meta.pages ?? 1) > 1
  const encoded = await reencode(input, format, limits, animated)
  const ending = imageEnding(format, input)
  if (ending === 'truncated') refuse('is cut short (truncated): upload the whole file')
  if (ending === 'trailing-data')
    refuse('has data after the end of the image (a polyglot or damaged file); save it again as a plain image')
  const sharp = await loadSharp()
  const info = await sharp(encoded, { animated }).metadata()
  return {
    bytes: encoded,
    format,
    contentType: CONTENT_TYPES[format],
    width: info.width,
    height: animated ? (info.pageHeight ?? info.height) : info.height,
    animated,
    hasAlpha: info.hasAlpha,
  }
}

function checkKind(input: Uint8Array): ImageFormat {
  const kind = sniffImage(input)
  switch (kind) {
    case 'svg':
      return refuse(`SVG is not accepted (it can carry scripts); upload a ${ACCEPTED} instead`)
    case 'heic':
      return refuse(`HEIC/HEIF photos are not accepted; export it as ${ACCEPTED}`)
    case 'markup':
      return refuse(`is HTML or XML text, not an image; upload a ${ACCEPTED}`)
    case 'unknown':
      return refuse(`is not a ${ACCEPTED} image (its content matches none of them)`)
    default:
      return kind
  }
}

/** A declared type is optional, but when one is given it must agree with the content. */
function checkDeclaredType(format: ImageFormat, declaredType: string | undefined): void {
  const declared = declaredType?.split(';')[0]?.trim().toLowerCase()
  if (!declared || declared === 'application/octet-stream') return
  const expected = CONTENT_TYPES[format]
  if (declared === expected || (format === 'jpeg' && declared === 'image/jpg')) return
  refuse(`was sent as ${declared.slice(0, 60)} but its content is ${expected}; the two must agree`)
}

async function readHeader(input: Uint8Array, format: ImageFormat, limits: ImageLimits) {
  const sharp = await loadSharp()
  let meta: Metadata
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata()
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `file: is damaged: its ${format.toUpperCase()} header cannot be read`,
      {
        cause: error,
        details: { problems: [{ field: 'file', message: 'is damaged: the header cannot be read' }] },
      },
    )
  }
  if (meta.format !== SHARP_FORMAT[format])
    refuse(`starts like ${format.toUpperCase()} but is ${String(meta.format).toUpperCase()} inside`)
  const width = meta.width
  const height = meta.pageHeight ?? meta.height
  const frames = format === 'gif' ? (meta.pages ?? 1) : 1
  if (width > limits.maxSide || height > limits.maxSide)
    tooLarge(`is ${width}×${height} pixels; neither side may be over ${limits.maxSide}`)
  const pixels = width * height * frames
  if (pixels > limits.maxPixels) {
    const what = frames > 1 ? `${frames} frames of ${width}×${height}` : `${width}×${height}`
    tooLarge(
      `is ${what} pixels (${Math.round(pixels / 1e6)} megapixels); the limit is ${Math.round(limits.maxPixels / 1e6)} megapixels`,
    )
  }
  return meta
}

async function reencode(
  input: Uint8Array,
  format: ImageFormat,
  limits: ImageLimits,
  animated: boolean,
): Promise<Buffer> {
  // failOn 'warning' refuses what libvips would otherwise patch over: truncated scans, bad CRCs.
  const sharp = await loadSharp()
  const image = sharp(input, { limitInputPixels: limits.maxPixels, failOn: 'warning', animated }).autoOrient()
  try {
    switch (format) {
      case 'jpeg':
        return await image.jpeg({ quality: 90 }).toBuffer()
      case 'png':
        return await image.png({ compressionLevel: 8 }).toBuffer()
      case 'webp':
        return await image.webp({ quality: 90 }).toBuffer()
      case 'avif':
        return await image.avif({ quality: 70, effort: 3 }).toBuffer()
      case 'gif':
        return await image.gif().toBuffer()
    }
  } catch (error) {
    const ending = imageEnding(format, input)
    const message =
      ending === 'truncated'
        ? 'is cut short (truncated): upload the whole file'
        : 'is damaged and cannot be decoded'
    throw new AppError('INVALID_INPUT', `file: ${message}`, {
      cause: error,
      details: { problems: [{ field: 'file', message }] },
    })
  }
}
