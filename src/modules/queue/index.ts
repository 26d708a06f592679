export {
  claimDueJobs,
  countJobs,
  enqueueJob,
  markJobDone,
  markJobFailed,
  pruneFinishedJobs,
  scheduleJobRetry,
  type Job,
  type JobCounts,
  type NewJob,
} from './job-queries.js'
