import { open, readFile, stat } from 'node:fs/promises'
import {
  DEFAULT_WIRE_LIMITS,
  ingestDocument,
  OVERSIZE_PREFIX_BYTES,
  type IngestOutcome,
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
  const read = await readWireFile(file, (deps.limits ?? DEFAULT_WIRE_LIMITS).maxBytes, size)
  return ingestDocument(deps, { ...read, origin, ...rest })
}

/**
 * A delivered file's bytes, or only its start when it is over the size limit: that much
 * is kept in the quarantine with the reason. `size` saves a second stat when the caller has one.
 */
export async function readWireFile(
  file: string,
  limit: number,
  size?: number,
): Promise<{ bytes: Uint8Array; originalSize: number }> {
  const originalSize = size ?? (await stat(file)).size
  const bytes = originalSize > limit ? await readStart(file, OVERSIZE_PREFIX_BYTES) : await readFile(file)
  return { bytes, originalSize }
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
