import type { Job } from '../modules/queue/index.js'
import { MailDeliveryError, sendDailyDigest, type ReaderDeps } from '../modules/readers/index.js'
import type { JobHandler, JobOutcome } from './runner.js'

interface DailyDigestPayload {
  readerId: number
  day: string
}

function isPayload(value: unknown): value is DailyDigestPayload {
  if (typeof value !== 'object' || value === null) return false
  const { readerId, day } = value as Record<string, unknown>
  return Number.isSafeInteger(readerId) && typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)
}

/**
 * Sends one reader's digest for one day (the module decides whether there is anything
 * to send and keeps the day from being sent twice). A refused address is given up at
 * once; any other failure is tried again later and lists the same stories.
 */
export function sendDailyDigestJob(deps: ReaderDeps): JobHandler {
  return async (job: Job): Promise<JobOutcome> => {
    if (!isPayload(job.payload)) return { status: 'give_up', error: 'payload is not { readerId, day }' }
    try {
      await sendDailyDigest(deps, job.payload.readerId, job.payload.day)
      return { status: 'done' }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return {
        status: error instanceof MailDeliveryError && error.permanent ? 'give_up' : 'retry',
        error: message,
      }
    }
  }
}
