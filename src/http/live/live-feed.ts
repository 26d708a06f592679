import { listEventsAfter, type ContentEvent } from '../../modules/events/index.js'
import type { Db } from '../../platform/database.js'
import type { Logger } from '../../platform/logger.js'
import type { EventTail } from '../../adapters/pubsub/event-tail.js'
import { deliver, type LiveHub, type LiveSubscriber } from './live-hub.js'
import { renderEventMessages, sseFrame, type LiveMessage } from './live-message.js'

/** Events a reconnecting stream may have missed and still be caught up; past that it reloads. */
export const REPLAY_LIMIT = 500
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
      const missed = await listEventsAfter(deps.db, afterId, REPLAY_LIMIT + 1)
      if (missed.length > REPLAY_LIMIT) {
        subscriber.write(sseFrame(hub.lastEventId, 'reload', { reason: 'too far behind' }))
        return false
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
