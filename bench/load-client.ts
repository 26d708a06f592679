import autocannon from 'autocannon'

/**
 * The load generator, run as its own process (forked by child-processes.ts) so autocannon
 * never shares an event loop with the server it measures. It receives one LoadJob over
 * IPC, warms up, says 'ready', then runs one measured slice per 'slice' message (so the
 * parent can interleave two targets) and finally answers with one LoadResult.
 */
export interface LoadJob {
  origin: string
  /** Requested in turn by every connection from one shared counter, wrapping around. */
  paths: string[]
  /** Where in `paths` to start, so consecutive scenarios continue instead of repeating. */
  firstPath: number
  connections: number
  warmupSeconds: number
  sliceSeconds: number
  slices: number
}

export interface LoadResult {
  requests: number
  seconds: number
  requestsPerSecond: number
  /** Latencies in milliseconds, exact (autocannon's own histogram rounds to whole ms). */
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
  errors: number
  timeouts: number
  non2xx: number
  statusCodes: Record<string, number>
  bytesPerResponse: number
  /** Where in `paths` the next scenario should start (warm-up included). */
  nextPath: number
}

export type LoadMessage =
  | { type: 'ready' }
  | { type: 'slice-done' }
  | { type: 'done'; result: LoadResult }
  | { type: 'failed'; error: string }

class Totals {
  latencies: number[] = []
  statusCodes: Record<string, number> = {}
  bytes = 0
  seconds = 0
  errors = 0
  timeouts = 0
  non2xx = 0

  result(): LoadResult {
    const latencies = this.latencies.sort((a, b) => a - b)
    const total = latencies.length
    const at = (q: number) => latencies[Math.min(total - 1, Math.floor(q * total))] ?? 0
    return {
      requests: total,
      seconds: this.seconds,
      requestsPerSecond: this.seconds === 0 ? 0 : total / this.seconds,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: latencies[total - 1] ?? 0,
      mean: total === 0 ? 0 : latencies.reduce((sum, value) => sum + value, 0) / total,
      errors: this.errors,
      timeouts: this.timeouts,
      non2xx: this.non2xx,
      statusCodes: this.statusCodes,
      bytesPerResponse: total === 0 ? 0 : this.bytes / total,
      nextPath: next,
    }
  }
}

let next = 0

async function runOnce(job: LoadJob, seconds: number, totals: Totals | undefined): Promise<void> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.origin,
        connections: job.connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: job.paths[next++ % job.paths.length] }),
          },
        ],
      },
      (error: unknown, done) => (error ? reject(toError(error)) : resolve(done)),
    )
    if (!totals) return
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      totals.statusCodes[statusCode] = (totals.statusCodes[statusCode] ?? 0) + 1
      totals.latencies.push(responseTime)
      totals.bytes += resBytes
    })
  })
  if (!totals) return
  totals.seconds += result.duration
  totals.errors += result.errors
  totals.timeouts += result.timeouts
  totals.non2xx += result.non2xx
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

function send(message: LoadMessage, then: () => void = () => undefined): void {
  process.send?.(message, then)
}

const sliceRequests: (() => void)[] = []
process.on('message', (message: unknown) => {
  if (message === 'slice') sliceRequests.shift()?.()
})
const nextSlice = () => new Promise<void>((resolve) => sliceRequests.push(resolve))

async function run(job: LoadJob): Promise<LoadResult> {
  if (job.warmupSeconds > 0) await runOnce(job, job.warmupSeconds, undefined)
  const totals = new Totals()
  // Registered before 'ready' so a 'slice' sent straight after it is not missed.
  let go = nextSlice()
  send({ type: 'ready' })
  for (let i = 0; i < job.slices; i++) {
    await go
    go = nextSlice()
    await runOnce(job, job.sliceSeconds, totals)
    send({ type: 'slice-done' })
  }
  return totals.result()
}

// The parent is gone (Ctrl-C, a crash): stop loading a server nobody measures.
process.on('disconnect', () => process.exit(1))

process.once('message', (job: LoadJob) => {
  next = job.firstPath
  run(job).then(
    (result) => send({ type: 'done', result }, () => process.exit(0)),
    (error: unknown) => send({ type: 'failed', error: toError(error).message }, () => process.exit(1)),
  )
})
