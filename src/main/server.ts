import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config/schema.js'
import { buildApp } from '../http/build-app.js'
import { publishDueArticles } from '../modules/articles/index.js'
import type { ContentEvent } from '../modules/events/index.js'
import { processStoryEvents } from '../modules/readers/index.js'
import { updateSearchIndex } from '../modules/search/index.js'
import { startWireIntake } from '../jobs/wire-intake.js'
import { AppError } from '../platform/app-error.js'
import { silentLogger, type Logger } from '../platform/logger.js'
import { createContext, type AppContext, type ContextOptions } from './context.js'
import { tuneGarbageCollector } from './gc-tuning.js'
import { startPeriodicTasks } from './periodic-tasks.js'

export interface RunningServer {
  app: FastifyInstance
  ctx: AppContext
  url: string
  close(): Promise<void>
}

export type ServerOptions = Omit<ContextOptions, 'logger'> & {
  logger?: boolean
  /** False for an HTTP worker whose supervisor does the background work (see supervisor.ts). */
  background?: boolean
}

/** Starts the reader site, the API and, unless told otherwise, the background work on one process. */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  tuneGarbageCollector()
  mkdirSync(path.join(config.dataDir, 'media'), { recursive: true })
  const { logger: _httpLogger, background: _background, ...contextOptions } = options
  // The context is made before the app whose logger it should use; this forwards to it once it exists.
  let appLog: Logger = silentLogger
  const logger: Logger = {
    info: (...args) => appLog.info(...args),
    warn: (...args) => appLog.warn(...args),
    error: (...args) => appLog.error(...args),
    debug: (...args) => appLog.debug(...args),
  }
  const ctx = await createContext(config, { ...contextOptions, logger })
  await ctx.tail.start()
  const app = await buildApp(
    {
      config,
      db: ctx.handle.db,
      clock: ctx.clock,
      tail: ctx.tail,
      articles: ctx.articles,
      auth: ctx.auth,
      taxonomy: ctx.taxonomy,
      readers: ctx.readers,
      wire: ctx.wire,
      media: ctx.media,
    },
    { logger: options.logger ?? true },
  )
  appLog = app.log
  try {
    await app.listen({ port: config.http.port, host: config.http.host })
  } catch (error) {
    // Closed again, so the process ends rather than lingering unserved.
    await app.close()
    await ctx.close()
    throw listenError(error, config.http)
  }
  const stopBackground = options.background === false ? async () => undefined : startBackground(ctx)
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.http.port
  const url = config.http.port === 0 ? `http://127.0.0.1:${port}` : config.site.publicUrl
  return {
    app,
    ctx,
    url,
    async close() {
      await stopBackground()
      await app.close()
      await ctx.close()
    },
  }
}

/** Why the server could not listen, naming the setting to change where one is at fault. */
function listenError(error: unknown, http: { host: string; port: number }): Error {
  const code = (error as NodeJS.ErrnoException).code
  const message = error instanceof Error ? error.message : String(error)
  if (code === 'EADDRINUSE')
    return new AppError('INVALID_INPUT', `PORT: ${http.port} is already in use on ${http.host} (${message})`)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EADDRNOTAVAIL')
    return new AppError('INVALID_INPUT', `HOST: cannot listen on "${http.host}" (${message})`)
  if (code === 'EACCES')
    return new AppError('INVALID_INPUT', `PORT: not allowed to listen on port ${http.port} (${message})`)
  return error instanceof Error ? error : new Error(message)
}

/**
 * The work a node does beside answering requests: the event-log consumers (notification
 * fan-out, search indexing), the job runner, the periodic tasks, scheduled publishing
 * and wire intake. Every part is safe on several nodes at once. Returns a stop function.
 */
export function startBackground(ctx: AppContext): () => Promise<void> {
  // Readers hear of every story published anywhere; the search index follows every story change.
  const stopFanOut = startLogConsumer(
    ctx,
    'notification fan-out',
    () => processStoryEvents(ctx.readers),
    (events) => events.some((e) => e.type === 'article.published'),
  )
  const stopSearchIndex = startLogConsumer(
    ctx,
    'search indexing',
    () => updateSearchIndex({ db: ctx.handle.db, dialect: ctx.handle.dialect }),
    // Every story event, drafts too: a cursor left behind by drafts would make searches catch up.
    // A topic's change is its stories' too: their summaries carry its name.
    (events) => events.some((e) => e.articleId !== null || e.type === 'topic.changed'),
  )
  ctx.jobs.start()
  const stopPeriodicTasks = startPeriodicTasks(ctx)
  const scheduler = setInterval(() => {
    publishDueArticles(ctx.articles).catch((error: unknown) =>
      ctx.logger.error({ err: error }, 'scheduled publishing failed'),
    )
  }, 5000)
  scheduler.unref()
  const wireIntake = startWireIntake({
    poll: { ...ctx.wire, fetcher: ctx.fetcher },
    watch: { wire: ctx.wire, watchRoot: ctx.watchRoot, settleMs: 2000 },
    logger: ctx.logger,
    everyMs: 2000,
  })
  return async () => {
    clearInterval(scheduler)
    await wireIntake.stop()
    await stopPeriodicTasks()
    await stopFanOut()
    await stopSearchIndex()
  }
}

/**
 * Runs a consumer of the event log whenever the tail brings events it wants, whoever
 * wrote them (this node, another, the CLI), and once at start for what happened while
 * this process was down. One run at a time; events arriving during a run start another.
 */
function startLogConsumer(
  ctx: AppContext,
  what: string,
  work: () => Promise<unknown>,
  wants: (events: ContentEvent[]) => boolean,
): () => Promise<void> {
  let running: Promise<void> | undefined
  let again = false
  let stopped = false
  const run = (): void => {
    if (stopped) return
    if (running) {
      again = true
      return
    }
    running = (async () => {
      do {
        again = false
        await work()
      } while (again && !stopped)
    })()
      .catch((error: unknown) => {
        ctx.logger.error({ err: error }, `${what} failed; trying again in 5 s`)
        setTimeout(run, 5000).unref()
      })
      .finally(() => {
        running = undefined
      })
  }
  const unsubscribe = ctx.tail.subscribe((events) => {
    if (wants(events)) run()
  })
  run()
  return async () => {
    stopped = true
    unsubscribe()
    await running
  }
}
