import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config/schema.js'
import { buildApp } from '../http/build-app.js'
import { publishDueArticles } from '../modules/articles/index.js'
import { createContext, type AppContext, type ContextOptions } from './context.js'

export interface RunningServer {
  app: FastifyInstance
  ctx: AppContext
  url: string
  close(): Promise<void>
}

/** Starts the reader site, the API and the scheduler on one process. */
export async function startServer(
  config: Config,
  options: Omit<ContextOptions, 'logger'> & { logger?: boolean } = {},
): Promise<RunningServer> {
  mkdirSync(path.join(config.dataDir, 'media'), { recursive: true })
  const { logger: _httpLogger, ...contextOptions } = options
  const ctx = await createContext(config, contextOptions)
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
    },
    { logger: options.logger ?? true },
  )
  const scheduler = setInterval(() => {
    publishDueArticles(ctx.articles).catch((error: unknown) =>
      app.log.error({ err: error }, 'scheduled publishing failed'),
    )
  }, 5000)
  scheduler.unref()
  await app.listen({ port: config.http.port, host: config.http.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.http.port
  const url = config.http.port === 0 ? `http://127.0.0.1:${port}` : config.site.publicUrl
  return {
    app,
    ctx,
    url,
    async close() {
      clearInterval(scheduler)
      await app.close()
      await ctx.close()
    },
  }
}
