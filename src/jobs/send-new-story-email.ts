import type { Job } from '../modules/queue/index.js'
import { loadNewStoryEmail, MailDeliveryError, type ReaderDeps } from '../modules/readers/index.js'
import type { JobHandler, JobOutcome } from './runner.js'

interface NewStoryEmailPayload {
  readerId: number
  articleId: number
  /** A breaking story's update rather than its publication. */
  update?: boolean
}

function isPayload(value: unknown): value is NewStoryEmailPayload {
  if (typeof value !== 'object' || value === null) return false
  const { readerId, articleId } = value as Record<string, unknown>
  return Number.isSafeInteger(readerId) && Number.isSafeInteger(articleId)
}

/**
 * Emails one reader about one new story: the job of versions before story mailings
 * (send-story-mailing.ts), kept so jobs queued before an upgrade still go out. Nothing to send (account deleted, email turned
 * off, story taken down) is a success; a refused address is given up at once; anything
 * else is tried again later.
 */
export function sendNewStoryEmail(deps: ReaderDeps): JobHandler {
  return async (job: Job): Promise<JobOutcome> => {
    if (!isPayload(job.payload)) return { status: 'give_up', error: 'payload is not { readerId, articleId }' }
    const { readerId, articleId, update } = job.payload
    const email = await loadNewStoryEmail(deps, readerId, articleId, update === true)
    if (!email) return { status: 'done' }
    try {
      await deps.mailer.send(email)
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
