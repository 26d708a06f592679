import type { DocumentParser } from '../../modules/wire/index.js'
import type { Logger } from '../../platform/logger.js'
import { answer, type ParseAnswer, type ParseReply, type ParseRequest } from './parse-request.js'
import { startParseThreads, type ParseThread } from './parse-threads.js'

export interface WorkerDocumentParser extends DocumentParser {
  /** Ends the worker threads; a document still being parsed is parsed on this thread instead. */
  close(): Promise<void>
}

interface Waiting {
  request: ParseRequest
  resolve: (answer: ParseAnswer) => void
  reject: (error: unknown) => void
}

interface PoolWorker {
  worker: ParseThread['worker']
  waiting: Map<number, Waiting>
  /** Requests not posted yet: they go together, one message per turn of the event loop. */
  unsent: ParseRequest[]
}

/** Documents per message at most; a message costs about as much to send as a small document to parse. */
const MAX_PER_MESSAGE = 64

/**
 * Parses wire documents in worker threads (by default one fewer than the machine has
 * cores, at least one), so the thread that writes to the database does not parse. Threads
 * start now, or were started earlier (startParseThreads), so their start-up overlaps the caller's. A worker that fails or dies hands its
 * documents back to this thread, which parses them as it would without workers: the answer
 * is always what parseWireDocument gives.
 */
export function createWorkerDocumentParser(options: {
  workers?: number | undefined
  logger: Logger
  /** The worker's script: parse-worker.js, unless a test brings one that fails. */
  script?: URL | undefined
  /** Threads started earlier (startParseThreads); `workers` and `script` then do not apply. */
  threads?: ParseThread[] | undefined
}): WorkerDocumentParser {
  const threads = options.threads ?? startParseThreads({ workers: options.workers, script: options.script })
  const pool: PoolWorker[] = []
  let nextId = 0
  let closed = false

  const parseHere = (waiting: Waiting) => {
    try {
      waiting.resolve(answer(waiting.request))
    } catch (error) {
      waiting.reject(error)
    }
  }
  const retire = (member: PoolWorker, why: unknown) => {
    const at = pool.indexOf(member)
    if (at === -1) return
    pool.splice(at, 1)
    if (!closed) options.logger.warn({ err: why }, 'wire parse worker stopped; parsing on the main thread')
    for (const waiting of member.waiting.values()) parseHere(waiting)
    member.waiting.clear()
    member.unsent = []
  }
  const send = (member: PoolWorker) => {
    if (member.unsent.length === 0 || !pool.includes(member)) return
    member.worker.postMessage(member.unsent)
    member.unsent = []
  }
  const stoppedEarly: [PoolWorker, unknown][] = []
  for (const { worker, stopped } of threads) {
    const member: PoolWorker = { worker, waiting: new Map(), unsent: [] }
    if (stopped) stoppedEarly.push([member, stopped])
    member.worker.on('message', (replies: ParseReply[]) => {
      for (const reply of replies) {
        const waiting = member.waiting.get(reply.id)
        if (!waiting) continue
        member.waiting.delete(reply.id)
        if ('answer' in reply) waiting.resolve(reply.answer)
        else parseHere(waiting)
      }
    })
    member.worker.on('error', (error) => retire(member, error))
    member.worker.on('exit', (code) => retire(member, new Error(`exit code ${code}`)))
    pool.push(member)
  }
  // A thread started earlier may have stopped before it was handed over.
  for (const [member, why] of stoppedEarly) retire(member, why)

  const ask = (request: ParseRequest) =>
    new Promise<ParseAnswer>((resolve, reject) => {
      const waiting: Waiting = { request, resolve, reject }
      const member = pool.reduce<PoolWorker | undefined>(
        (best, m) => (best === undefined || m.waiting.size < best.waiting.size ? m : best),
        undefined,
      )
      if (!member) return parseHere(waiting)
      member.waiting.set(request.id, waiting)
      member.unsent.push(request)
      if (member.unsent.length >= MAX_PER_MESSAGE) send(member)
      else if (member.unsent.length === 1) setImmediate(() => send(member))
    })

  return {
    async parse(bytes, { expect, limits }) {
      const answered = await ask({ id: nextId++, bytes, expect, limits })
      if ('bytes' in answered) throw new Error('a parse thread answered bytes to parse with a file read')
      return answered
    },
    async parseFile(file, { expect, limits }) {
      const answered = await ask({ id: nextId++, file, expect, limits })
      if (!('bytes' in answered)) throw new Error('a parse thread answered a file to read with a parse alone')
      return answered
    },
    async close() {
      closed = true
      const members = [...pool]
      await Promise.all(members.map((m) => m.worker.terminate()))
      for (const member of members) retire(member, new Error('closed'))
    },
  }
}
