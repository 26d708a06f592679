// The parser alone, not the wire module's index: a parse thread needs none of the
// database code the rest of the module brings, and loading it cost each thread 0.2 s.
import { parseWireDocument, type ParsedDocument } from '../../modules/wire/parse-wire-document.js'
import type { ParseOptions, ReadDocument } from '../../modules/wire/ports.js'
import { readDocumentFile } from './read-document-file.js'

/** Bytes to parse, or a file to read and parse. */
export type ParseRequest = { id: number } & ParseOptions & ({ bytes: Uint8Array } | { file: string })

export type ParseAnswer = ParsedDocument | ReadDocument

/** A worker's answer to each request, or why working it out threw. */
export type ParseReply = { id: number; answer: ParseAnswer } | { id: number; failed: string }

/** What a parse thread answers; the pool works out the same on its own thread when it must. */
export function answer(request: ParseRequest): ParseAnswer {
  const { expect, limits } = request
  if ('bytes' in request) return parseWireDocument(request.bytes, { expect, limits })
  const { bytes, originalSize } = readDocumentFile(request.file, limits.maxBytes)
  const parsed = originalSize > limits.maxBytes ? undefined : parseWireDocument(bytes, { expect, limits })
  return { bytes, originalSize, parsed }
}
