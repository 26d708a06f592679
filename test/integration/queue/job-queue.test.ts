import assert from 'node:assert/strict'
import { after, before, beforeEach, it } from 'node:test'
import { createJobRunner, type JobHandler, type JobOutcome } from '../../../src/jobs/runner.js'
import {
  claimDueJobs,
  countJobs,
  enqueueJob,
  saveJobProgress,
  type Job,
} from '../../../src/modules/queue/index.js'
import { createDb, type DbHandle } from '../../../src/adapters/db/create-db.js'
import { createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

const SECOND = 1000

forEachDialect('job queue', (dialect) => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext(dialect)
  })
  after(() => ctx.destroy())
  beforeEach(async () => {
    await ctx.handle.db.deleteFrom('job').execute()
  })

  const queue = (type: string, payload: object = {}, dedupeKey?: string) =>
    enqueueJob(ctx.handle.db, { type, payload, runAt: ctx.clock.now(), dedupeKey }, ctx.clock.now())

  function runner(handlers: Record<string, JobHandler>, maxAttempts = 4) {
    return createJobRunner({
      db: ctx.handle.db,
      dialect,
      clock: ctx.clock,
      logger: ctx.logger,
      handlers,
      maxAttempts,
    })
  }

  const jobRow = async () => ctx.handle.db.selectFrom('job').selectAll().executeTakeFirstOrThrow()

  it('keeps the first job when the same dedupe key is queued again', async () => {
    assert.equal(await queue('email.test', { n: 1 }, 'email.test:1'), true)
    assert.equal(await queue('email.test', { n: 2 }, 'email.test:1'), false)
    assert.equal(await queue('email.test', { n: 3 }), true)
    assert.equal(await queue('email.test', { n: 4 }), true, 'jobs without a key never clash')
    assert.deepEqual(await countJobs(ctx.handle.db, 'email.test'), { open: 3, done: 0, failed: 0 })
  })

  it('retries a failing job with growing back-off, then finishes it', async () => {
    await queue('flaky', { to: 'a@example.org' })
    const outcomes: JobOutcome[] = [
      { status: 'retry', error: 'server busy' },
      { status: 'retry', error: 'server still busy' },
      { status: 'done' },
    ]
    const attempts: number[] = []
    const jobs = runner({
      flaky: async (job: Job) => {
        attempts.push(job.attempts)
        assert.deepEqual(job.payload, { to: 'a@example.org' })
        return outcomes.shift()!
      },
    })
    assert.deepEqual(await jobs.runDue(), { done: 0, retried: 1, failed: 0 })
    let row = await jobRow()
    assert.equal(row.last_error, 'server busy')
    assert.equal(new Date(row.run_at).getTime(), ctx.clock.now().getTime() + 30 * SECOND)

    ctx.clock.advance(29 * SECOND)
    assert.deepEqual(await jobs.runDue(), { done: 0, retried: 0, failed: 0 }, 'not due before its back-off')
    ctx.clock.advance(1 * SECOND)
    assert.deepEqual(await jobs.runDue(), { done: 0, retried: 1, failed: 0 })
    row = await jobRow()
    assert.equal(new Date(row.run_at).getTime(), ctx.clock.now().getTime() + 60 * SECOND, 'the wait doubles')

    ctx.clock.advance(60 * SECOND)
    assert.deepEqual(await jobs.runDue(), { done: 1, retried: 0, failed: 0 })
    assert.deepEqual(attempts, [1, 2, 3])
    row = await jobRow()
    assert.ok(row.done_at)
    assert.equal(row.attempts, 3)
  })

  it('gives up after the last attempt and keeps the job with its error', async () => {
    await queue('doomed')
    const jobs = runner({ doomed: async () => ({ status: 'retry', error: 'connection refused' }) }, 2)
    await jobs.runDue()
    ctx.clock.advance(30 * SECOND)
    assert.deepEqual(await jobs.runDue(), { done: 0, retried: 0, failed: 1 })
    const row = await jobRow()
    assert.ok(row.failed_at)
    assert.equal(row.last_error, 'connection refused')
    ctx.clock.advance(3600 * SECOND)
    assert.deepEqual(await jobs.runDue(), { done: 0, retried: 0, failed: 0 })
  })

  it('gives up at once when the handler says retrying cannot help, and on unknown types', async () => {
    await queue('refused')
    await queue('nobody-handles-this')
    const jobs = runner({ refused: async () => ({ status: 'give_up', error: '550 no such mailbox' }) })
    assert.deepEqual(await jobs.runDue(), { done: 0, retried: 0, failed: 2 })
  })

  it('retries a handler that throws', async () => {
    await queue('throws')
    const jobs = runner({
      throws: async () => {
        throw new Error('unexpected')
      },
    })
    assert.deepEqual(await jobs.runDue(), { done: 0, retried: 1, failed: 0 })
    assert.equal((await jobRow()).last_error, 'unexpected')
  })

  it('claims a job again when its worker died before the lease ran out', async () => {
    await queue('lost')
    const claimed = await claimDueJobs(ctx.handle.db, dialect, {
      now: ctx.clock.now(),
      leaseMs: 60_000,
      limit: 10,
    })
    assert.equal(claimed.length, 1)
    assert.deepEqual(
      await claimDueJobs(ctx.handle.db, dialect, { now: ctx.clock.now(), leaseMs: 60_000, limit: 10 }),
      [],
      'a leased job is not claimed twice',
    )
    ctx.clock.advance(60_001)
    const again = await claimDueJobs(ctx.handle.db, dialect, {
      now: ctx.clock.now(),
      leaseMs: 60_000,
      limit: 10,
    })
    assert.deepEqual(
      again.map((j) => [j.id, j.attempts]),
      [[claimed[0]!.id, 2]],
    )
  })

  /** A runner on a 300 ms lease whose "long" jobs note their payload's n and hold until finish(). */
  function holdingRunner(concurrency?: number) {
    let finish!: () => void
    const finished = new Promise<void>((resolve) => (finish = resolve))
    const ran: number[] = []
    const jobs = createJobRunner({
      db: ctx.handle.db,
      dialect,
      clock: ctx.clock,
      logger: ctx.logger,
      leaseMs: 300,
      ...(concurrency !== undefined && { concurrency }),
      handlers: {
        long: async (job: Job) => {
          ran.push((job.payload as { n?: number }).n ?? 0)
          await finished
          return { status: 'done' }
        },
      },
    })
    const started = async () => {
      while (ran.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    return { jobs, ran, started, finish }
  }

  it('renews the lease of a job that runs long, so no other worker takes it meanwhile', async () => {
    await queue('long')
    const { jobs, started, finish } = holdingRunner()
    const run = jobs.runDue()
    await started()
    for (let i = 0; i < 3; i++) {
      ctx.clock.advance(200)
      // The first lease ended at +300; the runner renews every 100 ms to now + 300.
      const deadline = Date.now() + 5000
      while (new Date((await jobRow()).run_at).getTime() <= ctx.clock.now().getTime()) {
        assert.ok(Date.now() < deadline, 'the lease was renewed')
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      assert.deepEqual(
        await claimDueJobs(ctx.handle.db, dialect, { now: ctx.clock.now(), leaseMs: 300, limit: 10 }),
        [],
      )
    }
    finish()
    assert.deepEqual(await run, { done: 1, retried: 0, failed: 0 })
  })

  it('keeps the lease of a claimed job still waiting for a worker, so no other runner takes it', async () => {
    await queue('long', { n: 1 })
    await queue('long', { n: 2 })
    const { jobs, ran, started, finish } = holdingRunner(1)
    const run = jobs.runDue()
    await started()
    // Both were claimed; the second waits behind the first for the one worker.
    for (let i = 0; i < 3; i++) {
      ctx.clock.advance(200)
      await new Promise((resolve) => setTimeout(resolve, 150))
      assert.deepEqual(
        await claimDueJobs(ctx.handle.db, dialect, { now: ctx.clock.now(), leaseMs: 300, limit: 10 }),
        [],
        'the waiting job was taken by another runner',
      )
    }
    finish()
    assert.deepEqual(await run, { done: 2, retried: 0, failed: 0 })
    assert.deepEqual(ran, [1, 2])
  })

  it('gives a retried job the progress its earlier attempt saved', async () => {
    await queue('resumable')
    const seen: unknown[] = []
    const jobs = runner({
      resumable: async (job: Job) => {
        seen.push(job.progress)
        await saveJobProgress(ctx.handle.db, job.id, { through: seen.length })
        return seen.length === 1 ? { status: 'retry', error: 'stopped halfway' } : { status: 'done' }
      },
    })
    await jobs.runDue()
    ctx.clock.advance(30 * SECOND)
    assert.deepEqual(await jobs.runDue(), { done: 1, retried: 0, failed: 0 })
    assert.deepEqual(seen, [undefined, { through: 1 }])
  })

  it('never gives one job to two workers claiming at the same moment', async () => {
    for (let i = 0; i < 40; i++) await queue('race', { i })
    // Separate connections, as separate processes or nodes would have.
    const others: DbHandle[] = [createDb(ctx.database.config), createDb(ctx.database.config)]
    try {
      const claims = await Promise.all(
        [ctx.handle, ...others].flatMap((handle) =>
          [1, 2].map(() =>
            claimDueJobs(handle.db, dialect, { now: ctx.clock.now(), leaseMs: 60_000, limit: 7 }),
          ),
        ),
      )
      const rest = await claimDueJobs(ctx.handle.db, dialect, {
        now: ctx.clock.now(),
        leaseMs: 60_000,
        limit: 100,
      })
      const ids = [...claims.flat(), ...rest].map((j) => j.id)
      assert.equal(new Set(ids).size, ids.length, 'no job was claimed twice')
      assert.equal(ids.length, 40, 'every job was claimed')
    } finally {
      for (const other of others) await other.destroy()
    }
  })
})
