import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FieldProblem } from '../../platform/app-error.js'
import type { AppDeps } from '../app-deps.js'
import { sendError } from '../error-handler.js'
import { securityHeaders } from '../plugins/security-headers.js'
import { SITE_CSS } from '../routes/site/render.js'
import { startLiveFeed } from './live-feed.js'
import { LiveHub, type LiveSubscriber } from './live-hub.js'
import { articleChannel, LIST_CHANNEL } from './live-message.js'

/** How long a browser waits before reconnecting a dropped stream. */
export const RETRY_MS = 3000
const HEARTBEAT_MS = 20_000
/** A stream this far behind (a reader on a stalled connection) is dropped; it reconnects and replays. */
const MAX_BUFFERED_BYTES = 1024 * 1024
const EVENT_ID = /^\d{1,15}$/

interface LiveQuery {
  article?: unknown
  list?: unknown
  since?: unknown
}

/**
 * Server-sent events for open reader pages: `GET /live?article=ID&list=front|section:SLUG|topic:SLUG`.
 * Every stream hears the breaking-news banner; it adds one story page and one list. Each
 * frame's `id` is the event-log id, so a browser reconnecting with Last-Event-ID (or a
 * page naming the event it was rendered at, `since`) is sent what it missed from the log.
 */
export function registerLiveRoutes(app: FastifyInstance, deps: AppDeps): LiveHub {
  const hub = new LiveHub(deps.config.http.liveMaxConnections)
  const feed = startLiveFeed({ db: deps.db, tail: deps.tail, logger: app.log }, hub)
  hub.startHeartbeat(deps.liveHeartbeatMs ?? HEARTBEAT_MS)
  const headers = {
    ...securityHeaders(SITE_CSS),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    // nginx and similar proxies buffer responses unless told not to; a buffered stream never arrives.
    'x-accel-buffering': 'no',
  }

  // A write answered by this process is read from the log at once rather than at the next
  // SQLite poll, so readers of this node see it a poll interval sooner. (PostgreSQL's NOTIFY
  // wakes the tail by itself; there catchUp only waits for a read already under way.)
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode >= 400) return
    deps.tail.catchUp().catch((error: unknown) => request.log.error({ err: error }, 'event read failed'))
  })

  // Open streams would keep server.close() waiting for ever: end them first.
  app.addHook('preClose', async () => {
    hub.closeAll()
    await feed.stop()
  })

  app.get<{ Querystring: LiveQuery }>('/live', async (request, reply) => {
    const parsed = parseLiveQuery(request)
    if ('problems' in parsed) {
      return sendError(reply, 400, {
        code: 'INVALID_INPUT',
        message: parsed.problems.map((p) => `${p.field}: ${p.message}`).join('; '),
        problems: parsed.problems,
      })
    }
    if (hub.isFull) {
      return sendError(reply.header('retry-after', '30'), 503, {
        code: 'LIVE_FULL',
        message: 'Too many live connections on this server; try again later',
      })
    }
    openStream(request, reply, parsed.channels, parsed.after)
    return reply
  })

  function openStream(
    request: FastifyRequest,
    reply: FastifyReply,
    channels: Set<string>,
    after: number | undefined,
  ): void {
    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, headers)
    request.raw.socket.setNoDelay(true)
    raw.write(`retry: ${RETRY_MS}\n\n`)
    const subscriber: LiveSubscriber = {
      channels,
      // Without a position to resume from, the stream starts from what this process has read.
      after: after ?? deps.tail.lastEventId(),
      write(bytes) {
        if (raw.destroyed || raw.writableEnded) return
        if (raw.writableLength > MAX_BUFFERED_BYTES) return void raw.destroy()
        raw.write(bytes)
      },
      end: () => raw.end(),
    }
    raw.on('close', () => hub.remove(subscriber))
    hub.add(subscriber, after !== undefined)
    if (after === undefined) return
    feed.replay(subscriber, after).then(
      (caughtUp) => {
        if (caughtUp) return hub.release(subscriber)
        hub.remove(subscriber)
        raw.end()
      },
      (error: unknown) => {
        // The browser reconnects and asks again; until then this stream has nothing true to say.
        request.log.error({ err: error }, 'live replay failed')
        hub.remove(subscriber)
        raw.destroy()
      },
    )
  }

  return hub
}

/** The channels asked for and the event to resume after: Last-Event-ID wins over `since`. */
function parseLiveQuery(
  request: FastifyRequest<{ Querystring: LiveQuery }>,
): { channels: Set<string>; after: number | undefined } | { problems: FieldProblem[] } {
  // A repeated parameter arrives as an array: refused like any other malformed value.
  const text = (value: unknown) => (value === undefined || typeof value === 'string' ? value : '')
  const article = text(request.query.article)
  const list = text(request.query.list)
  const since = text(request.query.since)
  const problems: FieldProblem[] = []
  const channels = new Set(['breaking'])
  if (article !== undefined) {
    if (/^[1-9]\d{0,14}$/.test(article)) channels.add(articleChannel(Number(article)))
    else problems.push({ field: 'article', message: 'must be a story id' })
  }
  if (list !== undefined) {
    if (LIST_CHANNEL.test(list)) channels.add(list)
    else problems.push({ field: 'list', message: 'must be front, section:SLUG or topic:SLUG' })
  }
  if (since !== undefined && !EVENT_ID.test(since))
    problems.push({ field: 'since', message: 'must be an event id' })
  if (problems.length > 0) return { problems }
  const header = request.headers['last-event-id']
  const lastEventId = typeof header === 'string' && EVENT_ID.test(header) ? Number(header) : undefined
  return { channels, after: lastEventId ?? (since === undefined ? undefined : Number(since)) }
}
