export {
  claimDueJobs,
  countJobs,
  enqueueJob,
  markJobDone,
  markJobFailed,
  scheduleJobRetry,
  type Job,
  type JobCounts,
  type NewJob,
} from './job-queries.js'
