import {
  claimDueJobs,
  markJobDone,
  markJobFailed,
  renewJobLease,
  scheduleJobRetry,
  type Job,
} from '../modules/queue/index.js'
import type { Clock } from '../platform/clock.js'
import type { Db } from '../platform/database.js'
import type { Logger } from '../platform/logger.js'

/** What a handler says about one run of a job; the runner owns what happens next. */
export type JobOutcome = { status: 'done' } | { status: 'retry' | 'give_up'; error: string }

/** One per job type, one per file; must be idempotent, since a job may run more than once. */
export type JobHandler = (job: Job) => Promise<JobOutcome>

export interface JobRunnerOptions {
  db: Db
  dialect: 'sqlite' | 'postgres'
  clock: Clock
  logger: Logger
  handlers: Record<string, JobHandler>
  /** How often to look for due jobs when nobody wakes the runner. */
  pollMs?: number
  /** Jobs claimed at a time, and how many of them run at once. */
  batchSize?: number
  concurrency?: number
  /** Attempts before giving up, the first included. */
  maxAttempts?: number
  /**
   * How long a claimed job is this runner's before another may take it. The runner
   * renews the lease every third of it while the handler runs, so a long job (a block of
   * emails to a slow mail server) is never taken over while its worker is alive.
   */
  leaseMs?: number
}

export interface RunTotals {
  done: number
  retried: number
  failed: number
}

export interface JobRunner {
  start(): void
  /** Looks for due jobs now (after something was queued), if started. */
  wake(): void
  /** Runs every job due now, to the last; tests call it instead of waiting for the poll. */
  runDue(): Promise<RunTotals>
  stop(): Promise<void>
}

const BASE_BACKOFF_MS = 30_000
const MAX_BACKOFF_MS = 60 * 60 * 1000

/** 30 s after the first failure, doubling, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1))
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, clock, logger } = options
  const batchSize = options.batchSize ?? 20
  const concurrency = options.concurrency ?? 4
  const maxAttempts = options.maxAttempts ?? 8
  const leaseMs = options.leaseMs ?? 5 * 60 * 1000
  let running: Promise<RunTotals> | undefined
  let again = false
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  async function finish(job: Job, outcome: JobOutcome, totals: RunTotals): Promise<void> {
    const now = clock.now()
    if (outcome.status === 'done') {
      await markJobDone(db, job.id, now)
      totals.done += 1
    } else if (outcome.status === 'retry' && job.attempts < maxAttempts) {
      await scheduleJobRetry(db, job.id, new Date(now.getTime() + backoffMs(job.attempts)), outcome.error)
      logger.warn({ jobId: job.id, type: job.type, attempts: job.attempts }, `job failed: ${outcome.error}`)
      totals.retried += 1
    } else {
      await markJobFailed(db, job.id, now, outcome.error)
      logger.error({ jobId: job.id, type: job.type, attempts: job.attempts }, `job gave up: ${outcome.error}`)
      totals.failed += 1
    }
  }

  async function runOne(job: Job, lease: { stop(): Promise<void> }, totals: RunTotals): Promise<void> {
    const handler = options.handlers[job.type]
    let outcome: JobOutcome
    try {
      outcome = handler ? await handler(job) : { status: 'give_up', error: `no handler for ${job.type}` }
    } catch (error) {
      // A handler that throws has failed in a way it did not foresee: worth another try.
      outcome = { status: 'retry', error: error instanceof Error ? error.message : String(error) }
    } finally {
      await lease.stop()
    }
    await finish(job, outcome, totals)
  }

  /**
   * Renews a claimed job's lease until it has run: from the claim, not from its start, since
   * a batch's later jobs wait for a worker and a long one (a mailing block) can outlast the
   * lease while they wait. stop() waits for a renewal under way, so none lands after finish().
   */
  function keepLeased(job: Job): { stop(): Promise<void> } {
    let renewing: Promise<void> = Promise.resolve()
    const timer = setInterval(() => {
      renewing = renewJobLease(db, job, new Date(clock.now().getTime() + leaseMs)).catch((error: unknown) => {
        // Best effort: at worst the lease runs out and another worker runs the job again.
        logger.warn({ err: error, jobId: job.id }, 'could not renew a job lease')
      })
    }, leaseMs / 3)
    timer.unref()
    return {
      stop() {
        clearInterval(timer)
        return renewing
      },
    }
  }

  async function drain(): Promise<RunTotals> {
    const totals: RunTotals = { done: 0, retried: 0, failed: 0 }
    while (!stopped) {
      const jobs = await claimDueJobs(db, options.dialect, { now: clock.now(), leaseMs, limit: batchSize })
      if (jobs.length === 0) break
      const leases = jobs.map((job) => keepLeased(job))
      let next = 0
      const worker = async () => {
        while (next < jobs.length) {
          const i = next++
          await runOne(jobs[i]!, leases[i]!, totals)
        }
      }
      await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker))
    }
    return totals
  }

  /** One drain at a time; a wake-up during one earns one more pass. */
  function runDue(): Promise<RunTotals> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      const totals: RunTotals = { done: 0, retried: 0, failed: 0 }
      do {
        again = false
        const pass = await drain()
        totals.done += pass.done
        totals.retried += pass.retried
        totals.failed += pass.failed
      } while (again && !stopped)
      return totals
    })().finally(() => {
      running = undefined
    })
    return running
  }

  function runInBackground(): void {
    runDue().catch((error: unknown) => logger.error({ err: error }, 'job runner failed'))
  }

  return {
    start() {
      timer = setInterval(runInBackground, options.pollMs ?? 1000)
      timer.unref()
      runInBackground()
    },
    wake() {
      // A runner that was never started (the CLI, tests) leaves the jobs to the server's runner.
      if (timer) runInBackground()
    },
    runDue,
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      await running?.catch(() => undefined)
    },
  }
}
