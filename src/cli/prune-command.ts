import { loadConfig } from '../config/load-config.js'
import { pruneExpired } from '../jobs/prune-expired.js'
import { createContext } from '../main/context.js'
import type { Command } from './commands.js'
import { parseCommandArgs } from './parse-args.js'

/** `dateline prune`: what `dateline start` does every hour, once, for a cron job or by hand. */
export const pruneCommand: Command = {
  name: 'prune',
  summary: 'Delete expired sign-in links and sessions, old finished jobs and read notifications',
  usage:
    'dateline prune\n\nDeletes reader sign-in links, reader sessions and staff sessions past their expiry,\n' +
    'jobs finished more than PRUNE_JOBS_AFTER_DAYS days ago, and notifications read more than\n' +
    'PRUNE_NOTIFICATIONS_AFTER_DAYS days ago. Prints what it deleted. `dateline start` does this hourly.',
  async run(args, io) {
    parseCommandArgs(args, {})
    const config = loadConfig(io.env, io.cwd)
    const ctx = await createContext(config)
    try {
      const counts = await pruneExpired(ctx, {
        jobsAfterDays: config.notifications.pruneJobsAfterDays,
        readNotificationsAfterDays: config.notifications.pruneReadNotificationsAfterDays,
      })
      io.out(
        [
          `sign-in links\t${counts.signInLinks}`,
          `reader sessions\t${counts.readerSessions}`,
          `staff sessions\t${counts.staffSessions}`,
          `rate-limit windows\t${counts.rateLimits}`,
          `finished jobs\t${counts.jobs}`,
          `story mailings\t${counts.mailings}`,
          `read notifications\t${counts.readNotifications}`,
          `old digest records\t${counts.digests}`,
        ].join('\n'),
      )
      return 0
    } finally {
      await ctx.close()
    }
  },
}
