import http from 'node:http'

/** One dispatched server-sent event. */
export interface SseEvent {
  id: string
  event: string
  data: string
}

/** A minimal EventSource for tests and the bench: it keeps every event and never reconnects by itself. */
export interface SseClient {
  status: number
  headers: http.IncomingHttpHeaders
  events: SseEvent[]
  /** Lines that were `retry:` hints or `:` comments, in order. */
  retry: number | undefined
  comments: number
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  /** Resolves with the first event (seen or to come) that passes `check`; rejects after `ms`. */
  waitFor(check: (event: SseEvent) => boolean, ms?: number): Promise<SseEvent>
  close(): void
}

/** Opens `url` as a stream; resolves once the response headers are in. A non-200 answer resolves too, with its status. */
export function openSse(
  url: string,
  options: { lastEventId?: string; onEvent?: (event: SseEvent) => void; agent?: http.Agent } = {},
): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'text/event-stream' }
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId
    const request = http.get(url, { headers, agent: options.agent ?? false }, (response) => {
      const waiters: { check: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = []
      let endStream: () => void = () => undefined
      const client: SseClient = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        events: [],
        retry: undefined,
        comments: 0,
        ended: new Promise((done) => (endStream = done)),
        waitFor(check, ms = 5000) {
          const seen = client.events.find(check)
          if (seen) return Promise.resolve(seen)
          return new Promise((found, fail) => {
            const timer = setTimeout(() => {
              const types = client.events.map((e) => `${e.id}:${e.event}`).join(', ')
              fail(new Error(`no matching event within ${ms} ms; saw [${types}]`))
            }, ms)
            waiters.push({ check, resolve: (e) => (clearTimeout(timer), found(e)) })
          })
        },
        close: () => request.destroy(),
      }
      let buffer = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        buffer += chunk
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = parseBlock(client, block)
          if (!event) continue
          client.events.push(event)
          options.onEvent?.(event)
          for (const waiter of waiters.filter((w) => w.check(event))) {
            waiters.splice(waiters.indexOf(waiter), 1)
            waiter.resolve(event)
          }
        }
      })
      response.on('end', () => endStream())
      response.on('close', () => endStream())
      response.on('error', () => endStream())
      resolve(client)
    })
    request.on('error', reject)
  })
}

function parseBlock(client: SseClient, block: string): SseEvent | undefined {
  let id = ''
  let event = 'message'
  const data: string[] = []
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) client.comments++
    else if (line.startsWith('retry: ')) client.retry = Number(line.slice(7))
    else if (line.startsWith('id: ')) id = line.slice(4)
    else if (line.startsWith('event: ')) event = line.slice(7)
    else if (line.startsWith('data: ')) data.push(line.slice(6))
  }
  return data.length > 0 ? { id, event, data: data.join('\n') } : undefined
}
