import { readdirSync } from 'node:fs'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import sharp from 'sharp'

export type TestFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif'

/** Text planted in a photo's metadata; none of it may survive an upload. */
export const SECRET_ARTIST = 'Secret Photographer 4471'
export const SECRET_XMP_WORD = 'HiddenLocationKilpisjarvi'

const XMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>${SECRET_XMP_WORD}</dc:description></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`

/**
 * A small photo-like test image (a gradient with a sun) in the format, carrying EXIF
 * with GPS and XMP where the format can hold them, made at test time with sharp.
 */
export async function testImage(
  format: TestFormat,
  options: { width?: number; height?: number; orientation?: number; alpha?: boolean } = {},
): Promise<Buffer> {
  const width = options.width ?? 64
  const height = options.height ?? 48
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b6ea5"/><stop offset="1" stop-color="#e9c46a"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"${options.alpha ? ' fill-opacity="0.5"' : ''}/>
    <circle cx="${width * 0.7}" cy="${height * 0.3}" r="${Math.max(2, height / 8)}" fill="#f4a261"/></svg>`
  let image = sharp(Buffer.from(svg))
  if (!options.alpha) image = image.flatten({ background: '#ffffff' })
  if (format !== 'gif') {
    image = image
      .withExif({
        IFD0: { Artist: SECRET_ARTIST, Copyright: SECRET_ARTIST, Make: 'TestCam' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '69/1 2/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '20/1 48/1 0/1',
        },
      })
      .withXmp(XMP)
  }
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation })
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality: 80 }).toBuffer()
    case 'png':
      return image.png().toBuffer()
    case 'webp':
      return image.webp({ quality: 80 }).toBuffer()
    case 'avif':
      return image.avif({ quality: 50, effort: 0 }).toBuffer()
    case 'gif':
      return image.gif().toBuffer()
  }
}

/** An animated GIF of three frames. */
export async function animatedGif(): Promise<Buffer> {
  const frames = await Promise.all(
    ['#c00', '#0c0', '#00c'].map((background) =>
      sharp({ create: { width: 24, height: 16, channels: 3, background } })
        .png()
        .toBuffer(),
    ),
  )
  return sharp(frames, { join: { animated: true } })
    .gif({ delay: [100, 100, 100] })
    .toBuffer()
}

/**
 * A PNG that is a few hundred bytes but whose header claims a huge size: what a
 * decompression bomb looks like to a server that reads the header first.
 */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
    .png()
    .toBuffer()
  const out = Buffer.from(png)
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC covers type and data.
  out.writeUInt32BE(width, 16)
  out.writeUInt32BE(height, 20)
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29)
  return out
}

/** A multipart/form-data body as a browser sends it: one file and some text fields. */
export function uploadForm(
  file: { data: Buffer; type?: string; filename?: string } | undefined,
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----dateline${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    )
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename ?? 'photo.jpg'}"\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** Every file under a folder, as relative paths: to prove a refused upload left nothing. */
export function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
      .sort()
  } catch {
    return []
  }
}
