import type { Job } from '../modules/queue/index.js'
import {
  deletePushSubscriptionById,
  loadNewStoryPush,
  PushDeliveryError,
  type ReaderDeps,
} from '../modules/readers/index.js'
import type { JobHandler, JobOutcome } from './runner.js'

interface NewStoryPushPayload {
  subscriptionId: number
  articleId: number
  /** A breaking story's update rather than its publication. */
  update?: boolean
}

function isPayload(value: unknown): value is NewStoryPushPayload {
  if (typeof value !== 'object' || value === null) return false
  const { subscriptionId, articleId } = value as Record<string, unknown>
  return Number.isSafeInteger(subscriptionId) && Number.isSafeInteger(articleId)
}

/** A story's push is worth showing for half a day; after that the push service may drop it. */
const PUSH_TTL_SECONDS = 12 * 60 * 60

/**
 * Pushes one story to one subscribed browser. Nothing to send (unsubscribed, unfollowed,
 * story taken down) is a success; a subscription the push service no longer knows (404
 * or 410) is deleted, so it is never tried again; a refusal is given up; anything else
 * (unreachable, 429, 5xx) is tried again later.
 */
export function sendNewStoryPush(deps: ReaderDeps): JobHandler {
  return async (job: Job): Promise<JobOutcome> => {
    if (!isPayload(job.payload))
      return { status: 'give_up', error: 'payload is not { subscriptionId, articleId }' }
    if (!deps.push) return { status: 'retry', error: 'this process cannot send Web Push' }
    const { subscriptionId, articleId, update } = job.payload
    const push = await loadNewStoryPush(deps, subscriptionId, articleId, update === true)
    if (!push) return { status: 'done' }
    try {
      const result = await deps.push.send(push.target, push.message, { ttlSeconds: PUSH_TTL_SECONDS })
      if (result === 'gone') await deletePushSubscriptionById(deps.db, push.subscriptionId)
      return { status: 'done' }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return {
        status: error instanceof PushDeliveryError && error.permanent ? 'give_up' : 'retry',
        error: message,
      }
    }
  }
}
