import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import { countRateLimitHit } from '../../modules/auth/index.js'
import type { Db } from '../../platform/database.js'

type Counted = { current: number; ttl: number }
type Done = (error: Error | null, result: Counted) => void

/**
 * A @fastify/rate-limit store in the database: one row per route and client address,
 * counted with one upsert, so every HTTP worker and every node shares each window.
 */
export function databaseRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    constructor(private readonly prefix = '') {}

    incr(key: string, done: Done, timeWindow: number): void {
      countHit(db, `${this.prefix}${key}`, timeWindow).then(
        (counted) => done(null, counted),
        (error: unknown) =>
          done(error instanceof Error ? error : new Error(String(error)), { current: 0, ttl: 0 }),
      )
    }

    child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // The plugin passes the route's merged limit options, the route itself under routeInfo.
      const route = (options as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo ?? options
      return new DatabaseRateLimitStore(`${String(route.method)} ${String(route.url)}|`)
    }
  }
  return DatabaseRateLimitStore as unknown as FastifyRateLimitStoreCtor
}

async function countHit(db: Db, key: string, windowMs: number): Promise<Counted> {
  const now = Date.now()
  const window = await countRateLimitHit(db, key, windowMs, now)
  return { current: window.hits, ttl: Math.max(0, window.resetsAtMs - now) }
}
