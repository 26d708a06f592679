import { parentPort } from 'node:worker_threads'
import { answer, type ParseAnswer, type ParseReply, type ParseRequest } from './parse-request.js'

// One worker thread of the pool: answers each request of every message it is sent (parses
// the document, reading it first when the request names a file) in one message, each answer
// or why it threw (the pool then works that one out on its own thread, so the caller sees
// exactly the error it would have seen without workers). The bytes going back are moved,
// not copied, wherever they own their buffer.
parentPort?.on('message', (requests: ParseRequest[]) => {
  const moved = new Set<ArrayBuffer>()
  const replies = requests.map((request): ParseReply => {
    try {
      const answered = answer(request)
      for (const view of bytesOf(answered)) if (ownsBuffer(view)) moved.add(view.buffer)
      return { id: request.id, answer: answered }
    } catch (error) {
      return { id: request.id, failed: error instanceof Error ? error.message : String(error) }
    }
  })
  parentPort?.postMessage(replies, [...moved])
})

/** The file read and the raw bytes of its entries; a parse of bytes sent here gives none back. */
function* bytesOf(answered: ParseAnswer): Generator<Uint8Array> {
  if (!('bytes' in answered)) return
  yield answered.bytes
  if (answered.parsed?.ok) for (const entry of answered.parsed.entries) yield entry.raw
}

function ownsBuffer(view: Uint8Array): view is Uint8Array<ArrayBuffer> {
  return (
    view.buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
  )
}
