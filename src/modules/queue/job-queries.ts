import { toDate, type Db } from '../../platform/database.js'

/** A unit of work that must not be lost, as the runner claims it. */
export interface Job {
  id: number
  type: string
  payload: unknown
  /** Including the current one: 1 on the first run. */
  attempts: number
  lastError: string | null
  createdAt: Date
  /** The checkpoint an earlier attempt saved (saveJobProgress), or undefined. */
  progress: unknown
}

export interface NewJob {
  type: string
  payload: object
  runAt: Date
  /** Enqueuing a key that exists keeps the first job, so a re-run producer duplicates nothing. */
  dedupeKey?: string | undefined
}

/** Queues a job; false when one with the same dedupe key was queued before. */
export async function enqueueJob(db: Db, job: NewJob, now: Date): Promise<boolean> {
  const result = await db
    .insertInto('job')
    .values({
      type: job.type,
      dedupe_key: job.dedupeKey ?? null,
      payload: JSON.stringify(job.payload),
      run_at: job.runAt,
      last_error: null,
      created_at: now,
      done_at: null,
      failed_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

/**
 * Claims up to `limit` due jobs by moving their run_at to the end of a lease and
 * counting the attempt, in one statement. A worker that dies mid-job leaves it to be
 * claimed again when the lease runs out. On PostgreSQL, FOR UPDATE SKIP LOCKED lets
 * several nodes claim at once without waiting on or taking each other's jobs; SQLite
 * runs one writer at a time, so the statement alone is enough there.
 */
export async function claimDueJobs(
  db: Db,
  dialect: 'sqlite' | 'postgres',
  options: { now: Date; leaseMs: number; limit: number },
): Promise<Job[]> {
  const { now } = options
  const due = db
    .selectFrom('job')
    .select('id')
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('run_at', '<=', now)
    .orderBy('run_at')
    .orderBy('id')
    .limit(options.limit)
  const rows = await db
    .updateTable('job')
    .set((eb) => ({
      run_at: new Date(now.getTime() + options.leaseMs),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', dialect === 'postgres' ? due.forUpdate().skipLocked() : due)
    .returning(['id', 'type', 'payload', 'attempts', 'last_error', 'created_at', 'progress'])
    .execute()
  return rows
    .map((row) => ({
      id: row.id,
      type: row.type,
      payload: JSON.parse(row.payload) as unknown,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: toDate(row.created_at),
      progress: row.progress === null ? undefined : (JSON.parse(row.progress) as unknown),
    }))
    .sort((a, b) => a.id - b.id)
}

export async function markJobDone(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('job').set({ done_at: now }).where('id', '=', id).execute()
}

/**
 * Saves what a running job has finished so far (its checkpoint): a retry after a crash
 * or a failure gets it back as `job.progress` and carries on from there.
 */
export async function saveJobProgress(db: Db, id: number, progress: object): Promise<void> {
  await db
    .updateTable('job')
    .set({ progress: JSON.stringify(progress) })
    .where('id', '=', id)
    .execute()
}

/** Moves the end of a running job's lease to `until`, so no other worker claims it meanwhile. */
export async function renewJobLease(
  db: Db,
  job: { id: number; attempts: number },
  until: Date,
): Promise<void> {
  await db
    .updateTable('job')
    .set({ run_at: until })
    .where('id', '=', job.id)
    // Only while this claim still holds: a job claimed again since (its lease ran out) is not ours.
    .where('attempts', '=', job.attempts)
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .execute()
}

/** Puts a job back in the queue to run again at `runAt`, remembering why it failed. */
export async function scheduleJobRetry(db: Db, id: number, runAt: Date, error: string): Promise<void> {
  await db
    .updateTable('job')
    .set({ run_at: runAt, last_error: error.slice(0, 1000) })
    .where('id', '=', id)
    .execute()
}

/** Gives up on a job for good; it stays in the table with its last error for a person to read. */
export async function markJobFailed(db: Db, id: number, now: Date, error: string): Promise<void> {
  await db
    .updateTable('job')
    .set({ failed_at: now, last_error: error.slice(0, 1000) })
    .where('id', '=', id)
    .execute()
}

export interface JobCounts {
  open: number
  done: number
  failed: number
}

/** How many jobs of a type are waiting, finished and given up on. */
export async function countJobs(db: Db, type?: string): Promise<JobCounts> {
  let query = db
    .selectFrom('job')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('done_at').as('done'),
      eb.fn.count<number>('failed_at').as('failed'),
    ])
  if (type !== undefined) query = query.where('type', '=', type)
  const row = await query.executeTakeFirstOrThrow()
  const done = Number(row.done)
  const failed = Number(row.failed)
  return { open: Number(row.total) - done - failed, done, failed }
}

/** Deletes jobs that finished (done or given up) before `before`; open jobs are never touched. */
export async function pruneFinishedJobs(db: Db, before: Date): Promise<number> {
  const done = await db
    .deleteFrom('job')
    .where('done_at', 'is not', null)
    .where('done_at', '<', before)
    .executeTakeFirst()
  const failed = await db
    .deleteFrom('job')
    .where('failed_at', 'is not', null)
    .where('failed_at', '<', before)
    .executeTakeFirst()
  return Number(done.numDeletedRows) + Number(failed.numDeletedRows)
}
