import type { Config } from '../config/schema.js'
import { createDb, type DbHandle } from '../adapters/db/create-db.js'
import { migrateToLatest } from '../adapters/db/migrate.js'
import { createEventTail, type EventTail } from '../adapters/pubsub/event-tail.js'
import type { ArticleDeps } from '../modules/articles/index.js'
import type { AuthDeps } from '../modules/auth/index.js'
import { createEventOutbox } from '../modules/events/index.js'
import type { TaxonomyDeps } from '../modules/taxonomy/index.js'
import { systemClock, type Clock } from '../platform/clock.js'
import { silentLogger, type Logger } from '../platform/logger.js'

/** Everything a process needs, wired once: the database, the event log and each module's deps. */
export interface AppContext {
  config: Config
  handle: DbHandle
  clock: Clock
  logger: Logger
  tail: EventTail
  articles: ArticleDeps
  auth: AuthDeps
  taxonomy: TaxonomyDeps
  close(): Promise<void>
}

export interface ContextOptions {
  clock?: Clock
  logger?: Logger
  passwordCost?: { N: number; r: number; p: number }
  /** Use an existing database handle (tests); otherwise one is opened from config.db. */
  handle?: DbHandle
  migrate?: boolean
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const handle = options.handle ?? createDb(config.db)
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? silentLogger
  try {
    if (options.migrate !== false) await migrateToLatest(handle)
  } catch (error) {
    await handle.destroy()
    throw error
  }
  const tail = createEventTail(handle, logger)
  const events = createEventOutbox(handle.dialect, clock, () => tail.markLocalWrite())
  const db = handle.db
  return {
    config,
    handle,
    clock,
    logger,
    tail,
    articles: { db, clock, events, dialect: handle.dialect },
    auth: { db, clock, ...(options.passwordCost && { passwordCost: options.passwordCost }) },
    taxonomy: { db, events },
    async close() {
      await tail.stop()
      if (!options.handle) await handle.destroy()
    },
  }
}
