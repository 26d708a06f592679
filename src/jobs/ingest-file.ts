import { open, readFile, stat } from 'node:fs/promises'
import {
  DEFAULT_WIRE_LIMITS,
  ingestDocument,
  type IngestOutcome,
  type WireDeps,
  type WireSource,
} from '../modules/wire/index.js'

/** Of a file over the size limit only this much is read, to keep in the quarantine. */
const OVERSIZE_READ_BYTES = 64 * 1024

/** Ingests one delivered file; one over the size limit is read only in part and quarantined. */
export async function ingestFile(
  deps: WireDeps,
  file: string,
  origin: string,
  options: { source: WireSource | undefined; publish?: boolean },
): Promise<IngestOutcome[]> {
  const limit = (deps.limits ?? DEFAULT_WIRE_LIMITS).maxBytes
  const { size } = await stat(file)
  const bytes = size > limit ? await readStart(file, OVERSIZE_READ_BYTES) : await readFile(file)
  return ingestDocument(deps, { bytes, origin, ...options, originalSize: size })
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
