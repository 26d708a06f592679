import type pg from 'pg'
import { findLatestEventId, listEventsAfter, type ContentEvent } from '../../modules/events/index.js'
import type { Logger } from '../../platform/logger.js'
import type { DbHandle } from '../db/create-db.js'
import { loadPg } from '../db/load-pg.js'

export type EventListener = (events: ContentEvent[]) => void

/**
 * Follows the event log so this process reacts to changes made anywhere: the CLI,
 * another node, or itself. SQLite is polled through PRAGMA data_version (a change
 * counter bumped by other connections' commits); PostgreSQL wakes it with NOTIFY.
 * Either way the log itself is the truth, read in id order from the last id seen.
 */
export interface EventTail {
  start(): Promise<void>
  /** Reads any new events now; call before serving from a cache that events invalidate. */
  catchUp(): Promise<void>
  /** Marks that this process appended an event, so the next catchUp reads the log. */
  markLocalWrite(): void
  subscribe(listener: EventListener): () => void
  lastEventId(): number
  stop(): Promise<void>
}

export function createEventTail(
  handle: DbHandle,
  logger: Logger,
  options: { pollMs?: number } = {},
): EventTail {
  const listeners = new Set<EventListener>()
  let lastId = 0
  let lastDataVersion = -1
  let localWrite = false
  let reading: Promise<void> | undefined
  let readAgain = false
  let timer: NodeJS.Timeout | undefined
  let listenClient: pg.Client | undefined
  let reconnectTimer: NodeJS.Timeout | undefined
  let stopped = false

  async function readNew(): Promise<void> {
    for (;;) {
      const events = await listEventsAfter(handle.db, lastId)
      if (events.length === 0) return
      lastId = events[events.length - 1]!.id
      for (const listener of listeners) {
        try {
          listener(events)
        } catch (error) {
          // A failing listener must not stop the others or the tail itself.
          logger.error({ err: error }, 'event listener failed')
        }
      }
    }
  }

  /**
   * One read at a time. A wake-up that arrives while a read is in flight may come after
   * that read's last query, so it earns one more pass rather than being folded into it.
   */
  function read(): Promise<void> {
    if (reading) {
      readAgain = true
      return reading
    }
    reading = (async () => {
      do {
        readAgain = false
        await readNew()
      } while (readAgain)
    })().finally(() => {
      reading = undefined
    })
    return reading
  }

  /**
   * SQLite: read when another connection committed (data_version moved) or this process
   * wrote; data_version is asked only when the WAL-index header says a commit may have
   * happened (mayHaveChanged), which on most requests it has not. PostgreSQL: NOTIFY brings
   * other processes' events; this process's own are read here at once, so its next page
   * view never waits for its own notification.
   */
  async function catchUp(): Promise<void> {
    if (handle.sqlite) {
      if (!localWrite && !handle.sqlite.mayHaveChanged()) return reading
      const version = handle.sqlite.dataVersion()
      if (version === lastDataVersion && !localWrite) return reading
      lastDataVersion = version
    } else if (!localWrite) {
      return reading
    }
    localWrite = false
    return read()
  }

  async function listen(url: string): Promise<void> {
    const { Client } = await loadPg()
    const client = new Client({ connectionString: url })
    let lost = false
    client.on('error', (error) => {
      // A dropped connection can report more than one error; reconnect once per connection.
      if (lost) return
      lost = true
      logger.warn({ err: error }, 'event LISTEN connection lost; polling until it is back')
      if (listenClient === client) listenClient = undefined
      void client.end().catch(() => undefined)
      relisten(url)
    })
    try {
      await client.connect()
      client.on(
        'notification',
        () => void read().catch((error: unknown) => logger.error({ err: error }, 'event read failed')),
      )
      await client.query('LISTEN dateline_events')
    } catch (error) {
      lost = true
      await client.end().catch(() => undefined)
      throw error
    }
    if (stopped) {
      await client.end()
      return
    }
    listenClient = client
    await read()
  }

  /** Listens again a second later, and keeps trying for as long as the database is unreachable. */
  function relisten(url: string): void {
    if (stopped || reconnectTimer) return
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined
      if (stopped) return
      listen(url).catch((error: unknown) => {
        logger.warn({ err: error }, 'event LISTEN reconnect failed; trying again')
        // Listening but the catch-up read failed: NOTIFY or the poll will read soon enough.
        if (!listenClient) relisten(url)
      })
    }, 1000)
  }

  return {
    async start() {
      lastId = await findLatestEventId(handle.db)
      if (handle.sqlite) lastDataVersion = handle.sqlite.dataVersion()
      if (handle.postgresUrl) await listen(handle.postgresUrl)
      // The poll is the only wake-up on SQLite and a safety net behind NOTIFY on PostgreSQL.
      const pollMs = options.pollMs ?? (handle.sqlite ? 200 : 2000)
      timer = setInterval(() => {
        const work = handle.sqlite ? catchUp() : read()
        work.catch((error: unknown) => logger.error({ err: error }, 'event poll failed'))
      }, pollMs)
      timer.unref()
    },
    catchUp,
    markLocalWrite() {
      localWrite = true
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    lastEventId: () => lastId,
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      if (reconnectTimer) clearTimeout(reconnectTimer)
      await reading
      await listenClient?.end().catch(() => undefined)
    },
  }
}
