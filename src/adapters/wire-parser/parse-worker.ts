import { parentPort } from 'node:worker_threads'
// The parser alone, not the wire module's index: a parse thread needs none of the
// database code the rest of the module brings, and loading it cost each thread 0.2 s.
import { parseWireDocument } from '../../modules/wire/parse-wire-document.js'
import type { ParseReply, ParseRequest } from './worker-document-parser.js'

// One worker thread of the pool: parses each document of every message it is sent and
// answers with the results in one message, each the parsed document or why parsing threw
// (the pool then parses that one on its own thread, so the caller sees exactly the error it
// would have seen without workers).
parentPort?.on('message', (requests: ParseRequest[]) => {
  const replies = requests.map(({ id, bytes, expect, limits }): ParseReply => {
    try {
      return { id, parsed: parseWireDocument(bytes, { expect, limits }) }
    } catch (error) {
      return { id, failed: error instanceof Error ? error.message : String(error) }
    }
  })
  parentPort?.postMessage(replies)
})
