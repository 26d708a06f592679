import { changesPublicPages, listEventsAfter, type ContentEvent } from '../../modules/events/index.js'
import type { Db } from '../../platform/database.js'
import type { Logger } from '../../platform/logger.js'
import type { EventTail } from '../../adapters/pubsub/event-tail.js'
import { deliver, type LiveHub, type LiveSubscriber } from './live-hub.js'
import { renderEventMessages, sseFrame, type LiveMessage } from './live-message.js'

/** Events a reconnecting stream may have missed and still be caught up; past that it reloads. */
export const REPLAY_LIMIT = 500
/**
 * Log rows a replay reads at most looking for those. Events no reader sees (drafts being
 * written, held wire versions) do not count towards REPLAY_LIMIT: a page kept in the cache
 * through a busy hour on the wire desk is still current, and must not be told to reload.
 */
const REPLAY_SCAN_LIMIT = 20_000
const REPLAY_PAGE = 1_000
const NOTHING: Promise<LiveMessage[]> = Promise.resolve([])
/** Rendered events kept for replays; a body may be up to 200 kB, so not too many. */
const RENDERED_KEPT = 256

export interface LiveFeed {
  /** Sends a stream what it missed after `afterId`, from the log; false when it is too far behind. */
  replay(subscriber: LiveSubscriber, afterId: number): Promise<boolean>
  stop(): Promise<void>
}

/**
 * Feeds the hub from the process's one event tail: each event is rendered once, in log
 * order, and published to every stream. Rendered events are kept for a while, so a crowd
 * of browsers reconnecting after a blip is answered without rendering the same event again.
 */
export function startLiveFeed(deps: { db: Db; tail: EventTail; logger: Logger }, hub: LiveHub): LiveFeed {
  const rendered = new Map<number, Promise<LiveMessage[]>>()
  const queue: ContentEvent[] = []
  let draining: Promise<void> | undefined
  let stopped = false

  function messagesFor(event: ContentEvent): Promise<LiveMessage[]> {
    if (!changesPublicPages(event)) return NOTHING
    let messages = rendered.get(event.id)
    if (!messages) {
      messages = renderEventMessages(deps.db, event).catch((error: unknown) => {
        // Best effort: a story that cannot be read now is not worth stopping every page for.
        deps.logger.error({ err: error, eventId: event.id }, 'live update could not be rendered')
        rendered.delete(event.id)
        return []
      })
      rendered.set(event.id, messages)
      if (rendered.size > RENDERED_KEPT) rendered.delete(rendered.keys().next().value!)
    }
    return messages
  }

  /** One event at a time, in log order; events arriving meanwhile join the same run. */
  function kick(): void {
    if (draining || stopped) return
    draining = (async () => {
      for (let event = queue.shift(); event && !stopped; event = queue.shift()) {
        hub.publish(event.id, await messagesFor(event))
      }
    })().finally(() => {
      draining = undefined
      if (queue.length > 0) kick()
    })
  }

  hub.publish(deps.tail.lastEventId(), [])
  const unsubscribe = deps.tail.subscribe((events) => {
    queue.push(...events)
    kick()
  })

  return {
    async replay(subscriber, afterId) {
      const missed: ContentEvent[] = []
      for (let from = afterId, scanned = 0; ;) {
        const page = await listEventsAfter(deps.db, from, REPLAY_PAGE)
        missed.push(...page.filter(changesPublicPages))
        scanned += page.length
        const more = page.length === REPLAY_PAGE
        if (missed.length > REPLAY_LIMIT || (more && scanned >= REPLAY_SCAN_LIMIT)) {
          subscriber.write(sseFrame(hub.lastEventId, 'reload', { reason: 'too far behind' }))
          return false
        }
        if (!more) break
        from = page[page.length - 1]!.id
      }
      for (const event of missed) deliver(subscriber, event.id, await messagesFor(event))
      return true
    },
    async stop() {
      stopped = true
      unsubscribe()
      await draining
    },
  }
}
