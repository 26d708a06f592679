import { pollDueSources, type PollDeps, type PollReport } from '../modules/wire/index.js'
import type { Logger } from '../platform/logger.js'
import { scanWatchFolders, type FolderReport, type WatchDeps } from './watch-wire-folders.js'

export interface WireIntakeOptions {
  poll: PollDeps
  watch: WatchDeps
  logger: Logger
  /** Pause between rounds; each round polls the due feeds and scans the watch folders. */
  everyMs: number
}

/**
 * Runs feed polling and watch folders inside `dateline start`: one round at start (for
 * files dropped while the server was down), then one after each pause. Rounds never
 * overlap; an error is logged and the next round tries again.
 */
export function startWireIntake(options: WireIntakeOptions): { stop(): Promise<void> } {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  const round = async () => {
    try {
      for (const report of await pollDueSources(options.poll)) logPoll(options.logger, report)
    } catch (error) {
      options.logger.error({ err: error }, 'feed polling failed; trying again next round')
    }
    try {
      for (const report of await scanWatchFolders(options.watch)) logFolder(options.logger, report)
    } catch (error) {
      options.logger.error({ err: error }, 'watch folder scan failed; trying again next round')
    }
  }
  const next = () => {
    if (stopped) return
    running = round().finally(() => {
      running = undefined
      if (!stopped) timer = setTimeout(next, options.everyMs)
    })
  }
  next()
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}

function logPoll(logger: Logger, report: PollReport): void {
  const counts = countStatuses(report.outcomes)
  if (report.result === 'failed' || report.result === 'refused')
    logger.warn({ source: report.source, reason: report.reason }, `wire feed poll ${report.result}`)
  else logger.info({ source: report.source, result: report.result, ...counts }, 'wire feed polled')
}

function logFolder(logger: Logger, report: FolderReport): void {
  logger.info(
    { source: report.source, file: report.file, movedTo: report.movedTo, ...countStatuses(report.outcomes) },
    'wire folder document ingested',
  )
}

function countStatuses(outcomes: { status: string }[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1
  return counts
}
