import type { Clock } from '../../platform/clock.js'
import type { Db } from '../../platform/database.js'
import type { NewContentEvent } from './event.js'
import { appendEvent } from './event-queries.js'

/** The port modules write events through, always inside their own transaction. */
export interface EventOutbox {
  append(trx: Db, event: NewContentEvent): Promise<void>
}

export function createEventOutbox(
  dialect: 'sqlite' | 'postgres',
  clock: Clock,
  onAppend?: () => void,
): EventOutbox {
  return {
    async append(trx, event) {
      await appendEvent(trx, event, clock.now(), dialect)
      onAppend?.()
    },
  }
}
