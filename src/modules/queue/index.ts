export {
  claimDueJobs,
  countJobs,
  enqueueJob,
  markJobDone,
  markJobFailed,
  pruneFinishedJobs,
  renewJobLease,
  saveJobProgress,
  scheduleJobRetry,
  type Job,
  type JobCounts,
  type NewJob,
} from './job-queries.js'
