import { pruneEndedRateLimits, pruneExpiredSessions, type AuthDeps } from '../modules/auth/index.js'
import { pruneFinishedJobs } from '../modules/queue/index.js'
import {
  pruneReaderData,
  pruneStoryMailings,
  type ReaderDeps,
  type ReaderPruneCounts,
} from '../modules/readers/index.js'

const DAY_MS = 24 * 60 * 60 * 1000

export interface PruneSettings {
  /** Finished jobs (done or given up) are kept this many days for a person to look at. */
  jobsAfterDays: number
  /** Read notifications are kept this many days after they were read. */
  readNotificationsAfterDays: number
}

export interface PruneCounts extends ReaderPruneCounts {
  staffSessions: number
  rateLimits: number
  jobs: number
  mailings: number
}

/**
 * Deletes what has expired or served its time: reader sign-in links and sessions and
 * staff sessions past expiry, ended sign-in rate-limit windows, finished jobs (and the story mailings they sent) and read
 * notifications older than the settings say. Unread notifications, open jobs and live
 * sessions are never touched.
 * `dateline start` runs it hourly; `dateline prune` runs it once.
 */
export async function pruneExpired(
  deps: { readers: ReaderDeps; auth: AuthDeps },
  settings: PruneSettings,
): Promise<PruneCounts> {
  const now = deps.readers.clock.now()
  const readers = await pruneReaderData(
    deps.readers.db,
    now,
    new Date(now.getTime() - settings.readNotificationsAfterDays * DAY_MS),
  )
  const staffSessions = await pruneExpiredSessions(deps.auth)
  const rateLimits = await pruneEndedRateLimits(deps.auth)
  const jobsBefore = new Date(now.getTime() - settings.jobsAfterDays * DAY_MS)
  const jobs = await pruneFinishedJobs(deps.readers.db, jobsBefore)
  // A story mailing is kept as long as the jobs that sent it.
  const mailings = await pruneStoryMailings(deps.readers.db, jobsBefore)
  return { ...readers, staffSessions, rateLimits, jobs, mailings }
}
