import { pruneExpired } from '../jobs/prune-expired.js'
import { queueDailyDigests, utcDay } from '../modules/readers/index.js'
import type { AppContext } from './context.js'

const MINUTE_MS = 60 * 1000
const HOUR_MS = 60 * MINUTE_MS

/**
 * The server's clockwork beside the job runner: once a minute it checks whether the
 * day's digests are due (from the digest hour, once a day per process), and
 * once an hour, and at start, it prunes what has expired. Both are safe on every node at
 * once: digests are deduplicated per reader and day, and deleting the expired twice
 * deletes nothing more. Returns a stop function.
 */
export function startPeriodicTasks(ctx: AppContext): () => Promise<void> {
  const { notifications } = ctx.config
  const running = new Set<Promise<unknown>>()
  const track = (work: Promise<unknown>) => {
    running.add(work)
    void work.finally(() => running.delete(work))
  }
  // Once this process has queued a day's digests it leaves that day alone: re-running the
  // statement would only hit every daily reader's existing job again.
  let queuedDay: string | undefined
  const queueDigests = () => {
    const now = ctx.clock.now()
    if (now.getUTCHours() < notifications.digestHourUtc || queuedDay === utcDay(now)) return
    track(
      queueDailyDigests(ctx.readers, notifications.digestHourUtc).then(
        () => {
          queuedDay = utcDay(now)
        },
        (error: unknown) =>
          ctx.logger.error({ err: error }, 'queueing daily digests failed; trying again in a minute'),
      ),
    )
  }
  const prune = () => {
    track(
      pruneExpired(ctx, {
        jobsAfterDays: notifications.pruneJobsAfterDays,
        readNotificationsAfterDays: notifications.pruneReadNotificationsAfterDays,
      }).then(
        (counts) => ctx.logger.info({ pruned: counts }, 'pruned expired rows'),
        (error: unknown) => ctx.logger.error({ err: error }, 'pruning failed; trying again in an hour'),
      ),
    )
  }
  const digestTimer = setInterval(queueDigests, MINUTE_MS)
  const pruneTimer = setInterval(prune, HOUR_MS)
  digestTimer.unref()
  pruneTimer.unref()
  queueDigests()
  prune()
  return async () => {
    clearInterval(digestTimer)
    clearInterval(pruneTimer)
    await Promise.all(running)
  }
}
