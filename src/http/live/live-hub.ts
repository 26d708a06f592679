import type { LiveMessage } from './live-message.js'

/** One open stream: what it listens to, how far it has read, and where its bytes go. */
export interface LiveSubscriber {
  readonly channels: ReadonlySet<string>
  /** The id of the last event this stream has been sent (or was already up to date with). */
  after: number
  write(bytes: Buffer): void
  end(): void
}

interface Held {
  id: number
  messages: readonly LiveMessage[]
}

/**
 * The in-memory fan-out of one process: the event tail feeds it each event once, already
 * rendered, and it writes the same bytes to every open stream that wants them. A stream
 * still replaying missed events from the log is held back and given what arrived
 * meanwhile afterwards, so nothing is sent twice or out of order.
 */
export class LiveHub {
  private readonly subscribers = new Set<LiveSubscriber>()
  private readonly held = new Map<LiveSubscriber, Held[]>()
  private heartbeat: NodeJS.Timeout | undefined
  private latest = 0

  constructor(readonly maxConnections: number) {}

  /** The last event id published; a stream starting now is up to date with it. */
  get lastEventId(): number {
    return this.latest
  }

  get size(): number {
    return this.subscribers.size
  }

  get isFull(): boolean {
    return this.subscribers.size >= this.maxConnections
  }

  /** Adds a stream; while `replaying`, what is published for it is held until release(). */
  add(subscriber: LiveSubscriber, replaying: boolean): void {
    this.subscribers.add(subscriber)
    if (replaying) this.held.set(subscriber, [])
  }

  /** Sends what was held for a stream during its replay (newer than it has read), then sends live. */
  release(subscriber: LiveSubscriber): void {
    const held = this.held.get(subscriber)
    this.held.delete(subscriber)
    for (const item of held ?? []) deliver(subscriber, item.id, item.messages)
  }

  remove(subscriber: LiveSubscriber): void {
    this.subscribers.delete(subscriber)
    this.held.delete(subscriber)
  }

  /** Publishes one event's messages; ids arrive in increasing order. */
  publish(id: number, messages: readonly LiveMessage[]): void {
    if (id > this.latest) this.latest = id
    if (messages.length === 0) return
    for (const subscriber of this.subscribers) {
      const held = this.held.get(subscriber)
      if (held) held.push({ id, messages })
      else deliver(subscriber, id, messages)
    }
  }

  /** A comment line every interval keeps proxies and browsers from closing a quiet stream. */
  startHeartbeat(intervalMs: number): void {
    const ping = Buffer.from(': ping\n\n')
    this.heartbeat = setInterval(() => {
      for (const subscriber of this.subscribers) subscriber.write(ping)
    }, intervalMs)
    this.heartbeat.unref()
  }

  /** Ends every stream (server shutdown); browsers reconnect to another node or when it is back. */
  closeAll(): void {
    if (this.heartbeat) clearInterval(this.heartbeat)
    for (const subscriber of [...this.subscribers]) {
      this.remove(subscriber)
      subscriber.end()
    }
  }
}

/** Writes the frames of one event a stream wants, in one write, unless it has them already. */
export function deliver(subscriber: LiveSubscriber, id: number, messages: readonly LiveMessage[]): void {
  if (id <= subscriber.after) return
  subscriber.after = id
  const frames: Buffer[] = []
  for (const message of messages) {
    if (message.channels.some((c) => subscriber.channels.has(c))) frames.push(message.frame)
  }
  if (frames.length === 1) subscriber.write(frames[0]!)
  else if (frames.length > 1) subscriber.write(Buffer.concat(frames))
}
