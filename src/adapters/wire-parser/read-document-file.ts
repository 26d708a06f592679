import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { OVERSIZE_PREFIX_BYTES } from '../../modules/wire/parse-wire-document.js'

/**
 * A delivered file's bytes, or only its start when it is over `maxBytes` (that much is kept
 * in the quarantine with the reason), read with blocking calls: the parse thread has nothing
 * else to do meanwhile, and each asynchronous call would be a round trip through the thread
 * pool. The bytes fill a buffer of their own, so they can be moved to another thread
 * without copying.
 */
export function readDocumentFile(
  file: string,
  maxBytes: number,
): { bytes: Uint8Array; originalSize: number } {
  const fd = openSync(file, 'r')
  try {
    const originalSize = fstatSync(fd).size
    const wanted = originalSize > maxBytes ? Math.min(originalSize, OVERSIZE_PREFIX_BYTES) : originalSize
    const bytes = new Uint8Array(wanted)
    let filled = 0
    while (filled < wanted) {
      const read = readSync(fd, bytes, filled, wanted - filled, filled)
      if (read === 0) break
      filled += read
    }
    // A file cut short while it was read gives what it held.
    return { bytes: filled === wanted ? bytes : bytes.slice(0, filled), originalSize }
  } finally {
    closeSync(fd)
  }
}
