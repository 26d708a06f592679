import type { Clock } from '../../platform/clock.js'
import type { Db } from '../../platform/database.js'
import type { NewContentEvent } from './event.js'
import { appendEvents } from './event-queries.js'

/** The port modules write events through, always inside their own transaction. */
export interface EventOutbox {
  append(trx: Db, event: NewContentEvent): Promise<void>
  /** Appends several events in this order at once: one statement, and one lock on PostgreSQL. */
  appendMany(trx: Db, events: readonly NewContentEvent[]): Promise<void>
}

export function createEventOutbox(
  dialect: 'sqlite' | 'postgres',
  clock: Clock,
  onAppend?: () => void,
): EventOutbox {
  const appendMany = async (trx: Db, events: readonly NewContentEvent[]) => {
    await appendEvents(trx, events, clock.now(), dialect)
    if (events.length > 0) onAppend?.()
  }
  return { append: (trx, event) => appendMany(trx, [event]), appendMany }
}
