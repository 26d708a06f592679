import { constants } from 'node:fs'
import { open, readFile, realpath, stat, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import {
  DEFAULT_WIRE_LIMITS,
  ingestDocument,
  OVERSIZE_PREFIX_BYTES,
  type IngestOutcome,
  type PictureFileReader,
  type PictureRead,
  type WireDeps,
  type WireSource,
} from '../modules/wire/index.js'

/** Ingests one delivered file; one over the size limit is read only in part and quarantined. */
export async function ingestFile(
  deps: WireDeps,
  file: string,
  origin: string,
  options: { source: WireSource | undefined; publish?: boolean; size?: number },
): Promise<IngestOutcome[]> {
  const { size, ...rest } = options
  const read = await readWireFile(deps, file, size)
  return ingestDocument(deps, { ...read, origin, ...rest })
}

/**
 * A delivered file's bytes, or only its start when it is over the size limit: that much
 * is kept in the quarantine with the reason. `size` saves a second stat when the caller has
 * one. With them comes the reader of the pictures its items name beside it.
 */
export async function readWireFile(
  deps: Pick<WireDeps, 'limits' | 'media'>,
  file: string,
  size?: number,
): Promise<{ bytes: Uint8Array; originalSize: number; readPicture: PictureFileReader }> {
  const limit = (deps.limits ?? DEFAULT_WIRE_LIMITS).maxBytes
  const originalSize = size ?? (await stat(file)).size
  const bytes = originalSize > limit ? await readStart(file, OVERSIZE_PREFIX_BYTES) : await readFile(file)
  return { bytes, originalSize, readPicture: pictureReaderBeside(file, deps.media.limits.maxBytes) }
}

async function readStart(file: string, length: number): Promise<Uint8Array> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/**
 * Reads the pictures a delivered file's items name beside it: a relative path inside the
 * file's folder (sub-folders too), never `..`, an absolute path, or a symbolic link whose
 * target lies outside the folder; only a regular file, at most `maxBytes`.
 */
export function pictureReaderBeside(file: string, maxBytes: number): PictureFileReader {
  const dir = path.dirname(path.resolve(file))
  return async (relative) => {
    const name = JSON.stringify(relative.length > 80 ? `${relative.slice(0, 80)}…` : relative)
    if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..') || relative.includes('\0'))
      return refused(`${name} leads out of the document's folder; only files beside it are read`)
    let real: string
    try {
      const realDir = await realpath(dir)
      real = await realpath(path.resolve(dir, relative))
      const inside = path.relative(realDir, real)
      if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside))
        return refused(
          `${name} is a link leading out of the document's folder; only files beside it are read`,
        )
    } catch (error) {
      return refused(`${name} ${fileProblem(error)}`)
    }
    let handle: FileHandle
    try {
      // The path was resolved above: a link swapped in since is not followed.
      handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
    } catch (error) {
      return refused(`${name} ${fileProblem(error)}`)
    }
    try {
      const info = await handle.stat()
      if (!info.isFile()) return refused(`${name} is not a file`)
      if (info.size > maxBytes)
        return refused(
          `${name} is over the ${megabytes(maxBytes)} limit for photos (${megabytes(info.size)})`,
        )
      return { ok: true, bytes: new Uint8Array(await handle.readFile()) }
    } finally {
      await handle.close()
    }
  }
}

function refused(reason: string): PictureRead {
  return { ok: false, reason }
}

function fileProblem(error: unknown): string {
  const code = (error as { code?: string }).code
  if (code === 'ENOENT') return 'is not beside the document (no such file)'
  if (code === 'ELOOP') return 'is a link; only files beside the document are read'
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)'
  return `cannot be read (${code ?? 'unknown error'})`
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`
}
