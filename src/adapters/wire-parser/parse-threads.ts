import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

const WORKER_FILE = new URL('./parse-worker.js', import.meta.url)
const WORKER_YOUNG_GENERATION_MB = 8
/**
 * The thread keeps next to nothing between documents, but left alone V8 lets its old
 * generation fill with promoted garbage for longer the longer it runs: some 35 MiB more RSS
 * at 50,000 items than at 5,000. Capped, it is collected sooner and RSS stays flat. The cap
 * still parses the largest documents the limits let in (10 MB: a 60,000-item ninjs array, a
 * feed at the element limit); a document that exceeded it would stop the thread, and its
 * parser would parse on the main thread instead.
 */
const WORKER_OLD_GENERATION_MB = 96

/** A parse worker thread, and why it stopped if it did before a parser took it over. */
export interface ParseThread {
  worker: Worker
  stopped?: unknown
}

/**
 * Starts the threads a WorkerDocumentParser parses in: by default one fewer than the machine
 * has cores, at least one. Each takes some 0.3 s to start (it loads the wire module), so
 * `dateline ingest` starts them before loading the rest of the CLI, and the two overlap.
 * This file imports none of ours for that reason. A thread that fails meanwhile is noted,
 * and its parser parses on the main thread instead.
 */
export function startParseThreads(options: { workers?: number | undefined; script?: URL | undefined } = {}) {
  const count = options.workers ?? Math.max(1, availableParallelism() - 1)
  return Array.from({ length: count }, (): ParseThread => {
    // A small young generation: the thread makes much short-lived garbage, and left to grow
    // its heap would grow with the length of the run instead of staying flat.
    const thread: ParseThread = {
      worker: new Worker(options.script ?? WORKER_FILE, {
        resourceLimits: {
          maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
          maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB,
        },
      }),
    }
    thread.worker.on('error', (error: unknown) => {
      thread.stopped ??= error
    })
    thread.worker.on('exit', (code) => {
      thread.stopped ??= new Error(`exit code ${code}`)
    })
    return thread
  })
}
