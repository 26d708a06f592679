import { makeRenditions, type MediaDeps } from '../modules/media/index.js'
import type { Job } from '../modules/queue/index.js'
import type { JobHandler, JobOutcome } from './runner.js'

function mediaIdOf(payload: unknown): number | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined
  const { mediaId } = payload as Record<string, unknown>
  return typeof mediaId === 'number' && Number.isSafeInteger(mediaId) ? mediaId : undefined
}

/**
 * Makes a stored photo's derived sizes. A photo whose original is gone cannot be helped
 * by trying again; a store that did not answer can, so that throws and is retried.
 */
export function makeMediaRenditions(deps: MediaDeps): JobHandler {
  return async (job: Job): Promise<JobOutcome> => {
    const mediaId = mediaIdOf(job.payload)
    if (mediaId === undefined) return { status: 'give_up', error: 'payload is not { mediaId }' }
    const outcome = await makeRenditions(deps, mediaId)
    if (outcome === 'missing-original')
      return { status: 'give_up', error: `media ${mediaId}: the original is missing` }
    return { status: 'done' }
  }
}
