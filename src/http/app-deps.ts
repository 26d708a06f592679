import type { EventTail } from '../adapters/pubsub/event-tail.js'
import type { Config } from '../config/schema.js'
import type { ArticleDeps } from '../modules/articles/index.js'
import type { AuthDeps } from '../modules/auth/index.js'
import type { MediaDeps } from '../modules/media/index.js'
import type { ReaderDeps } from '../modules/readers/index.js'
import type { WireDeps } from '../modules/wire/index.js'
import type { TopicEditDeps } from '../modules/taxonomy/index.js'
import type { Clock } from '../platform/clock.js'
import type { Db } from '../platform/database.js'

/** What the HTTP app needs; main/context.ts builds it. */
export interface AppDeps {
  config: Pick<Config, 'http' | 'site' | 'dataDir'>
  db: Db
  clock: Clock
  tail: EventTail
  articles: ArticleDeps
  auth: AuthDeps
  taxonomy: TopicEditDeps
  readers: ReaderDeps
  wire: WireDeps
  media: MediaDeps
  /** Reader-page cache lifetime; pages also drop out on any content event. */
  pageCacheMs?: number
  /** Interval of the comment line that keeps quiet live streams open; 20 s when absent. */
  liveHeartbeatMs?: number
  /**
   * Reader sign-in link requests allowed per client address per window; 10 per 15 minutes
   * when absent. Each request sends an email, so each counts; staff sign-in has its own limits.
   */
  signInLinkRateLimit?: { max: number; windowMs: number }
}
