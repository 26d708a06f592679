export type {
  EmailFrequency,
  Follow,
  FollowKind,
  FollowTarget,
  Reader,
  ReaderNotification,
} from './reader.js'
export {
  EMAIL_FREQUENCIES,
  FOLLOW_KINDS,
  followKey,
  isEmailFrequency,
  isFollowKind,
  normaliseEmail,
  parseFollowKey,
  READER_SESSION_LIFETIME_MS,
  safeReturnPath,
  SIGN_IN_LINK_LIFETIME_MS,
} from './reader.js'
export {
  MailDeliveryError,
  PushDeliveryError,
  type Mailer,
  type OutgoingEmail,
  type PushMessage,
  type PushSender,
  type PushTarget,
} from './ports.js'
export type { ReaderDeps } from './reader-deps.js'
export {
  completeSignIn,
  endReaderSession,
  findReaderBySession,
  peekSignInLink,
  type RequestSignInInput,
  requestSignInLink,
  type SignedIn,
} from './sign-in.js'
export {
  describeTarget,
  followTarget,
  listFollowKeys,
  listFollows,
  moveTopicFollows,
  unfollowTarget,
} from './follows.js'
export {
  countUnread,
  fanOutStory,
  listNotifications,
  markNotificationsRead,
  NEW_STORY_EMAIL_JOB,
  NEW_STORY_PUSH_JOB,
  type StoryAudience,
} from './notifications.js'
export { NOTIFICATION_CONSUMER, processStoryEvents, type FanOutTotals } from './notification-fan-out.js'
export { composeNewStoryEmail, composeSignInEmail, loadNewStoryEmail } from './emails.js'
export {
  MAILING_BLOCK_SIZE,
  pruneStoryMailings,
  sendMailingBlock,
  STORY_MAILING_JOB,
  type MailingBlock,
  type MailingBlockResult,
} from './story-mailings.js'
export type { MailingProgress } from './mailing-progress.js'
export {
  deleteReader,
  exportReaderData,
  findReaderByUnsubscribeToken,
  setEmailFrequency,
  unsubscribeByToken,
  type ReaderExport,
} from './account.js'
export { findReaderById } from './reader-queries.js'
export {
  composeDigestEmail,
  DAILY_DIGEST_JOB,
  MAX_DIGEST_STORIES,
  queueDailyDigests,
  sendDailyDigest,
  utcDay,
  type DigestStory,
} from './digest.js'
export {
  countPushSubscriptions,
  deletePushSubscriptionById,
  loadNewStoryPush,
  MAX_PUSH_SUBSCRIPTIONS,
  parsePushSubscription,
  removePushSubscription,
  savePushSubscription,
  type PushSubscriptionInput,
} from './push-subscriptions.js'
export { pruneReaderData, type ReaderPruneCounts } from './prune-reader-data.js'
