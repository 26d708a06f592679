import type { Clock } from '../../platform/clock.js'
import type { Db } from '../../platform/database.js'
import type { Logger } from '../../platform/logger.js'
import type { Mailer, PushSender } from './ports.js'

/** What every readers use case receives; main/context.ts wires it. */
export interface ReaderDeps {
  db: Db
  clock: Clock
  dialect: 'sqlite' | 'postgres'
  mailer: Mailer
  logger: Logger
  /** For links in emails: the public origin and the publication's name. */
  site: { publicUrl: string; name: string }
  /** Web Push; absent in processes that only queue pushes (the CLI). */
  push?: PushSender
  /**
   * Accept http:// push endpoints, not just https://. Only tests set it, for a push
   * service on loopback: the server POSTs to whatever endpoint a browser gives.
   */
  allowHttpPushEndpoints?: boolean
  /** Called after emails are queued, so the job runner starts now rather than at its next poll. */
  onJobsQueued?: () => void
}
