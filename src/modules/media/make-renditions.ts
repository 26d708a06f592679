import { createHash } from 'node:crypto'
import sharp from 'sharp'
import { EXTENSIONS, type ImageFormat, type Rendition } from './media.js'

/** Widths of the derived sizes; an image is never made larger than it is. */
export const RENDITION_WIDTHS = [480, 800, 1200, 1600] as const

/** The widths to make for an image this wide: every listed one below it, and its own when it fits. */
export function renditionWidths(width: number): number[] {
  const smaller = RENDITION_WIDTHS.filter((w) => w < width)
  const top = RENDITION_WIDTHS[RENDITION_WIDTHS.length - 1]!
  return width <= top ? [...smaller, width] : smaller
}

/** The content-addressed key of some bytes: "ab/ab12…ef.webp". */
export function contentKey(bytes: Uint8Array, format: ImageFormat): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 40)
  return `${hash.slice(0, 2)}/${hash}.${EXTENSIONS[format]}`
}

export interface RenditionFile extends Rendition {
  body: Buffer
}

/**
 * The derived sizes of one stripped original: WebP at every width, and the fallback
 * format (PNG when the image has transparency or was drawn as PNG/GIF, else JPEG) at the
 * widths below the original, which itself serves as the largest fallback.
 */
export async function makeRenditionFiles(
  original: Uint8Array,
  format: ImageFormat,
): Promise<RenditionFile[]> {
  const info = await sharp(original, { failOn: 'error' }).metadata()
  const fallback: ImageFormat = info.hasAlpha || format === 'png' || format === 'gif' ? 'png' : 'jpeg'
  const files: RenditionFile[] = []
  for (const width of renditionWidths(info.width)) {
    files.push(await encode(original, width, 'webp'))
    if (width < info.width) files.push(await encode(original, width, fallback))
  }
  return files
}

async function encode(original: Uint8Array, width: number, format: ImageFormat): Promise<RenditionFile> {
  const resized = sharp(original, { failOn: 'error' }).resize({ width, withoutEnlargement: true })
  const output =
    format === 'webp'
      ? resized.webp({ quality: 80 })
      : format === 'png'
        ? resized.png({ compressionLevel: 8 })
        : resized.jpeg({ quality: 82, mozjpeg: true })
  const { data, info } = await output.toBuffer({ resolveWithObject: true })
  return {
    key: contentKey(data, format),
    format,
    width: info.width,
    height: info.height,
    bytes: data.byteLength,
    body: data,
  }
}
