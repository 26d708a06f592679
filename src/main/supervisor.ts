import cluster, { type Worker } from 'node:cluster'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Config } from '../config/schema.js'
import { lineLogger, type Logger } from '../platform/logger.js'
import { createContext, type AppContext, type ContextOptions } from './context.js'
import { tuneGarbageCollector } from './gc-tuning.js'
import { startBackground } from './server.js'

const RESTART_DELAY_MS = 1000

export interface Supervisor {
  ctx: AppContext
  /** The address the workers share. */
  url: string
  workerPids(): number[]
  close(): Promise<void>
}

/**
 * HTTP_WORKERS above 1. This process migrates the database, does the background work
 * (see startBackground) and forks that many HTTP workers, which share the port:
 * node:cluster hands each new connection to one of them in turn. A worker shares nothing
 * with the others but the database; like a second node, it tails the event log, so its
 * page cache and live streams follow every change wherever it was made. A worker that
 * dies is replaced a second later; the others keep serving meanwhile.
 */
export async function startSupervisor(
  config: Config,
  env: Record<string, string | undefined>,
  options: Omit<ContextOptions, 'logger'> & { logger?: Logger } = {},
): Promise<Supervisor> {
  tuneGarbageCollector()
  mkdirSync(path.join(config.dataDir, 'media'), { recursive: true })
  const logger = options.logger ?? lineLogger(config.http.logLevel)
  const ctx = await createContext(config, { ...options, logger })
  await ctx.tail.start()
  const stopBackground = startBackground(ctx)
  cluster.setupPrimary({
    exec: fileURLToPath(new URL('./http-worker.js', import.meta.url)),
    args: [],
    // The supervisor's own flags (a profiler's, say) are not the workers'.
    execArgv: [],
  })
  let stopping = false
  const workers = new Set<Worker>()
  const fork = () =>
    new Promise<void>((resolve, reject) => {
      const worker = cluster.fork(env)
      workers.add(worker)
      const onExit = (code: number | null) =>
        stopping ? resolve() : reject(new Error(`HTTP worker exited with code ${code} while starting`))
      worker.once('exit', onExit)
      worker.once('listening', () => {
        worker.off('exit', onExit)
        worker.once('exit', (code, signal) => {
          workers.delete(worker)
          if (stopping) return
          logger.error({ pid: worker.process.pid, code, signal }, 'HTTP worker died; starting another')
          setTimeout(() => {
            if (!stopping)
              fork().catch((error: unknown) =>
                logger.error({ err: error }, 'restarting an HTTP worker failed'),
              )
          }, RESTART_DELAY_MS).unref()
        })
        resolve()
      })
    })
  try {
    await Promise.all(Array.from({ length: config.http.workers }, fork))
  } catch (error) {
    stopping = true
    for (const worker of workers) worker.kill()
    await stopBackground()
    await ctx.close()
    throw error
  }
  return {
    ctx,
    url: config.site.publicUrl,
    workerPids: () => [...workers].map((w) => w.process.pid ?? 0),
    async close() {
      stopping = true
      await Promise.all(
        [...workers].map(
          (worker) =>
            new Promise<void>((resolve) => {
              worker.once('exit', () => resolve())
              worker.kill('SIGTERM')
            }),
        ),
      )
      await stopBackground()
      await ctx.close()
    },
  }
}
