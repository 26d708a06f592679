import http from 'node:http'

/**
 * The live bench's readers, in their own process so the server's CPU is its own: it holds
 * many open /live streams and reports when each one received a given story update.
 */
export type LiveClientCommand =
  | { type: 'open'; origins: string[]; articleId: number; connections: number }
  | { type: 'await'; marker: string; timeoutMs: number }
  | { type: 'close' }

export type LiveClientReport =
  | { type: 'ready'; opened: number; refused: number }
  | { type: 'arrived'; times: number[]; origins: number[]; missing: number }
  | { type: 'failed'; error: string }

interface Stream {
  /** Index of the node (origin) this stream is open to. */
  origin: number
  buffer: string
  /** Markers seen, with the wall-clock time (ms) the frame carrying each was read. */
  seen: Map<string, number>
  request: http.ClientRequest
}

const streams: Stream[] = []
let waiting: { marker: string; resolve: () => void } | undefined

const now = () => performance.timeOrigin + performance.now()
const send = (report: LiveClientReport) => process.send?.(report)

function open(url: string, origin: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) {
        response.resume()
        resolve(false)
        return
      }
      const stream: Stream = { origin, buffer: '', seen: new Map(), request }
      streams.push(stream)
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => read(stream, chunk))
      resolve(true)
    })
    request.on('error', reject)
  })
}

function read(stream: Stream, chunk: string): void {
  const at = now()
  stream.buffer += chunk
  let end = stream.buffer.indexOf('\n\n')
  while (end >= 0) {
    const frame = stream.buffer.slice(0, end)
    stream.buffer = stream.buffer.slice(end + 2)
    const marker = /"headline":"(Live bench edit [^"]*)"/.exec(frame)?.[1]
    if (frame.includes('event: article') && marker && !stream.seen.has(marker)) {
      stream.seen.set(marker, at)
      if (waiting?.marker === marker && streams.every((s) => s.seen.has(marker))) waiting.resolve()
    }
    end = stream.buffer.indexOf('\n\n')
  }
}

async function openAll(command: Extract<LiveClientCommand, { type: 'open' }>): Promise<void> {
  let refused = 0
  // In batches, so the server's accept queue is not the thing being measured.
  for (let i = 0; i < command.connections; i += 100) {
    const batch = Array.from({ length: Math.min(100, command.connections - i) }, (_, j) => {
      const origin = (i + j) % command.origins.length
      return open(`${command.origins[origin]!}/live?article=${command.articleId}`, origin)
    })
    refused += (await Promise.all(batch)).filter((ok) => !ok).length
  }
  send({ type: 'ready', opened: streams.length, refused })
}

async function awaitMarker(marker: string, timeoutMs: number): Promise<void> {
  if (!streams.every((s) => s.seen.has(marker))) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      waiting = { marker, resolve: () => (clearTimeout(timer), resolve()) }
    })
    waiting = undefined
  }
  const arrived = streams.filter((s) => s.seen.has(marker))
  send({
    type: 'arrived',
    times: arrived.map((s) => s.seen.get(marker)!),
    origins: arrived.map((s) => s.origin),
    missing: streams.length - arrived.length,
  })
}

process.on('message', (command: LiveClientCommand) => {
  const work =
    command.type === 'open'
      ? openAll(command)
      : command.type === 'await'
        ? awaitMarker(command.marker, command.timeoutMs)
        : Promise.resolve().then(() => {
            for (const stream of streams) stream.request.destroy()
            process.exit(0)
          })
  work.catch((error: unknown) => send({ type: 'failed', error: String(error) }))
})
