import type { Config } from '../config/schema.js'
import { createDb, type DbHandle } from '../adapters/db/create-db.js'
import { migrateToLatest } from '../adapters/db/migrate.js'
import { createOutboxMailer } from '../adapters/mail/outbox-mailer.js'
import { createEventTail, type EventTail } from '../adapters/pubsub/event-tail.js'
import {
  createSafeFetcher,
  DEFAULT_FETCH_OPTIONS,
  PICTURE_ACCEPT,
} from '../adapters/http-fetch/safe-fetcher.js'
import { loadVapidKeys } from '../adapters/push/vapid-key-store.js'
import { vapidKeyProblem } from '../adapters/push/web-push-crypto.js'
import { createWebPushSender } from '../adapters/push/web-push-sender.js'
import { createLocalBlobStore } from '../adapters/storage/local-blob-store.js'
import { createS3BlobStore } from '../adapters/storage/s3-blob-store.js'
import { fetchWirePicture } from '../jobs/fetch-wire-picture.js'
import { makeMediaRenditions } from '../jobs/make-media-renditions.js'
import { createJobRunner, type JobRunner } from '../jobs/runner.js'
import { sendDailyDigestJob } from '../jobs/send-daily-digest.js'
import { sendNewStoryEmail } from '../jobs/send-new-story-email.js'
import { sendStoryMailing } from '../jobs/send-story-mailing.js'
import { sendNewStoryPush } from '../jobs/send-new-story-push.js'
import type { ArticleDeps } from '../modules/articles/index.js'
import type { AuthDeps } from '../modules/auth/index.js'
import { createEventOutbox } from '../modules/events/index.js'
import {
  DAILY_DIGEST_JOB,
  NEW_STORY_EMAIL_JOB,
  STORY_MAILING_JOB,
  NEW_STORY_PUSH_JOB,
  type Mailer,
  type ReaderDeps,
} from '../modules/readers/index.js'
import { MEDIA_RENDITIONS_JOB, type BlobStore, type MediaDeps } from '../modules/media/index.js'
import { AppError } from '../platform/app-error.js'
import type { TopicEditDeps } from '../modules/taxonomy/index.js'
import { WIRE_PICTURE_JOB, watchRootFor, type DocumentFetcher, type WireDeps } from '../modules/wire/index.js'
import { systemClock, type Clock } from '../platform/clock.js'
import { silentLogger, type Logger } from '../platform/logger.js'
import { topicLinks } from './topic-links.js'

/** Everything a process needs, wired once: the database, the event log and each module's deps. */
export interface AppContext {
  config: Config
  handle: DbHandle
  clock: Clock
  logger: Logger
  tail: EventTail
  articles: ArticleDeps
  auth: AuthDeps
  taxonomy: TopicEditDeps
  wire: WireDeps
  /** Fetches feeds and `dateline ingest <url>` documents, with the SSRF guards. */
  fetcher: DocumentFetcher
  /** Where sources' watch folders live: DATELINE_DATA_DIR/incoming. */
  watchRoot: string
  readers: ReaderDeps
  media: MediaDeps
  /** The persisted job queue's runner; main/server.ts starts it, other processes only queue. */
  jobs: JobRunner
  close(): Promise<void>
}

export interface ContextOptions {
  clock?: Clock
  logger?: Logger
  passwordCost?: { N: number; r: number; p: number }
  /** Use an existing database handle (tests); otherwise one is opened from config.db. */
  handle?: DbHandle
  migrate?: boolean
  /** Send email through this instead of SMTP or the outbox (tests that count messages). */
  mailer?: Mailer
  /** Accept http:// push endpoints (tests with a push service on loopback); never in production. */
  allowHttpPushEndpoints?: boolean
  /** Keep media here instead of where config.media says (tests). */
  blobStore?: BlobStore
  /** A process that mostly writes, in large transactions (dateline ingest): see DbOptions. */
  bulkWrites?: boolean
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const handle = options.handle ?? createDb(config.db, { bulkWrites: options.bulkWrites })
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? silentLogger
  try {
    if (options.migrate !== false) await migrateToLatest(handle)
  } catch (error) {
    await handle.destroy()
    throw error
  }
  let vapidKeys
  try {
    vapidKeys = await loadVapidKeys(handle.db, config.notifications.vapidKeys, clock.now())
  } catch (error) {
    await handle.destroy()
    throw error
  }
  const keyProblem = vapidKeyProblem(vapidKeys)
  if (keyProblem) {
    await handle.destroy()
    throw new AppError('INVALID_CONFIG', `Invalid configuration:\n  VAPID_PRIVATE_KEY: ${keyProblem}`)
  }
  const push = createWebPushSender({ keys: vapidKeys, subject: config.notifications.vapidSubject })
  const tail = createEventTail(handle, logger)
  const events = createEventOutbox(handle.dialect, clock, () => tail.markLocalWrite())
  const db = handle.db
  const articles: ArticleDeps = { db, clock, events, dialect: handle.dialect }
  const smtp =
    !options.mailer && config.mail.smtpUrl
      ? // Loaded only when configured: nodemailer is a large import most processes never use.
        (await import('../adapters/mail/smtp-mailer.js')).createSmtpMailer({
          url: config.mail.smtpUrl,
          from: config.mail.from,
        })
      : undefined
  const mailer =
    options.mailer ??
    smtp ??
    createOutboxMailer({ dir: config.mail.outboxDir, from: config.mail.from, logger })
  const readers: ReaderDeps = {
    db,
    clock,
    dialect: handle.dialect,
    mailer,
    push,
    logger,
    site: config.site,
    ...(options.allowHttpPushEndpoints && { allowHttpPushEndpoints: true }),
  }
  const store = config.media.store
  const media: MediaDeps = {
    db,
    clock,
    events,
    logger,
    store:
      options.blobStore ?? (store.kind === 's3' ? createS3BlobStore(store) : createLocalBlobStore(store.dir)),
    limits: { maxBytes: config.media.maxBytes, maxPixels: config.media.maxPixels, maxSide: 12_000 },
  }
  const wire: WireDeps = { db, clock, dialect: handle.dialect, events, articles, media, logger }
  // Pictures: the same guards as documents, with the photo size limit, and no gzip (images are compressed).
  const pictureFetcher = createSafeFetcher({
    ...DEFAULT_FETCH_OPTIONS,
    maxBytes: config.media.maxBytes,
    accept: PICTURE_ACCEPT,
    gzip: false,
  })
  const jobs = createJobRunner({
    db,
    dialect: handle.dialect,
    clock,
    logger,
    handlers: {
      [STORY_MAILING_JOB]: sendStoryMailing(readers),
      [NEW_STORY_EMAIL_JOB]: sendNewStoryEmail(readers),
      [NEW_STORY_PUSH_JOB]: sendNewStoryPush(readers),
      [DAILY_DIGEST_JOB]: sendDailyDigestJob(readers),
      [MEDIA_RENDITIONS_JOB]: makeMediaRenditions(media),
      [WIRE_PICTURE_JOB]: fetchWirePicture({ ...wire, fetcher: pictureFetcher }),
    },
  })
  readers.onJobsQueued = () => jobs.wake()
  media.onJobsQueued = () => jobs.wake()
  wire.onJobsQueued = () => jobs.wake()
  return {
    config,
    handle,
    clock,
    logger,
    tail,
    articles,
    auth: { db, clock, ...(options.passwordCost && { passwordCost: options.passwordCost }) },
    taxonomy: { db, events, dialect: handle.dialect, links: topicLinks },
    wire,
    fetcher: createSafeFetcher(),
    watchRoot: watchRootFor(config.dataDir),
    readers,
    media,
    jobs,
    async close() {
      await jobs.stop()
      smtp?.close()
      await tail.stop()
      if (!options.handle) await handle.destroy()
    },
  }
}
