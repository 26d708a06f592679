import type { Job } from '../modules/queue/index.js'
import { landPicture, type PictureJobDeps, type PictureJobPayload } from '../modules/wire/index.js'
import type { JobHandler, JobOutcome } from './runner.js'

function isPayload(value: unknown): value is PictureJobPayload {
  if (typeof value !== 'object' || value === null) return false
  const p = value as Record<string, unknown>
  const texts = ['agencyKey', 'guid', 'href', 'alt', 'caption', 'credit'].every(
    (k) => typeof p[k] === 'string',
  )
  return texts && (p['sourceId'] === null || Number.isSafeInteger(p['sourceId']))
}

/**
 * Fetches a wire item's picture and makes it the story's hero. The module decides what
 * a failure means: a refusal (private address, 404, not an image) is given up at once
 * and recorded on the wire item; no answer or a 5xx is tried again with the back-off.
 */
export function fetchWirePicture(deps: PictureJobDeps): JobHandler {
  return async (job: Job): Promise<JobOutcome> => {
    if (!isPayload(job.payload))
      return {
        status: 'give_up',
        error: 'payload is not { agencyKey, guid, href, sourceId, alt, caption, credit }',
      }
    return landPicture(deps, job.payload, job.attempts)
  }
}
