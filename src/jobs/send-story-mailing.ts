import { saveJobProgress, type Job } from '../modules/queue/index.js'
import {
  sendMailingBlock,
  type MailingBlock,
  type MailingProgress,
  type ReaderDeps,
} from '../modules/readers/index.js'
import type { JobHandler, JobOutcome } from './runner.js'

function isBlock(value: unknown): value is MailingBlock {
  if (typeof value !== 'object' || value === null) return false
  const { mailingId, fromReaderId, throughReaderId } = value as Record<string, unknown>
  return [mailingId, fromReaderId, throughReaderId].every(Number.isSafeInteger)
}

function isProgress(value: unknown): value is MailingProgress {
  if (typeof value !== 'object' || value === null) return false
  const { doneThrough, doneAbove } = value as Record<string, unknown>
  return (
    Number.isSafeInteger(doneThrough) && Array.isArray(doneAbove) && doneAbove.every(Number.isSafeInteger)
  )
}

/**
 * Emails one block of a story mailing's readers. The block saves its progress on the
 * job as it goes, so a retry (after a mail server failure or a crash) sends only to the
 * readers not yet done. Addresses the server refuses are given up one by one; a failure
 * worth retrying stops the block and tries the rest again later.
 */
export function sendStoryMailing(deps: ReaderDeps): JobHandler {
  return async (job: Job): Promise<JobOutcome> => {
    if (!isBlock(job.payload))
      return { status: 'give_up', error: 'payload is not { mailingId, fromReaderId, throughReaderId }' }
    const result = await sendMailingBlock(deps, job.payload, {
      progress: isProgress(job.progress) ? job.progress : undefined,
      save: (progress) => saveJobProgress(deps.db, job.id, progress),
    })
    return result.failure === undefined ? { status: 'done' } : { status: 'retry', error: result.failure }
  }
}
