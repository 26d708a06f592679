import { CompiledQuery, type Generated, type Insertable, type Kysely, type Transaction } from '#kysely'

/**
 * Row types for every table. Times are Date on PostgreSQL (timestamptz) and ISO-8601
 * text on SQLite; the *-queries.ts mappers accept both through toDate().
 */
type Time = Date | string
type JsonText = string

export interface UserTable {
  id: Generated<number>
  email: string
  display_name: string
  slug: string
  role: 'contributor' | 'editor' | 'admin'
  password_hash: string
  bio: string
  created_at: Time
  disabled_at: Time | null
}

export interface SessionTable {
  id_hash: string
  user_id: number
  created_at: Time
  expires_at: Time
}

export interface ApiTokenTable {
  id: Generated<number>
  user_id: number
  name: string
  token_hash: string
  created_at: Time
  last_used_at: Time | null
  revoked_at: Time | null
}

export interface SectionTable {
  id: Generated<number>
  slug: string
  name: string
  position: number
}

export interface TopicTable {
  id: Generated<number>
  slug: string
  name: string
}

export interface TopicAliasTable {
  slug: string
  topic_id: number
  name: string
}

export interface MediaTable {
  id: Generated<number>
  src: string
  width: number
  height: number
  /** Smaller renditions for responsive images: "url 480w, url 800w"; empty when none. */
  srcset: Generated<string>
  alt: string
  caption: string
  credit: string
  created_at: Time
  /** Key of the stripped original in the media store; null for photos named by address. */
  storage_key: Generated<string | null>
  content_type: Generated<string>
  byte_size: Generated<number>
  /** "upload", or the agency of a wire picture. */
  origin: Generated<string>
  uploaded_by: Generated<number | null>
  /** Modern-format srcsets as JSON: [{ "type": "image/webp", "srcset": "…" }]. */
  sources: Generated<JsonText>
  /** The renditions made, as JSON, so each file can be found again. */
  renditions: Generated<JsonText>
  rendition_status: Generated<'none' | 'pending' | 'done' | 'failed'>
}

export interface ArticleTable {
  id: Generated<number>
  slug: string
  short_code: string
  headline: string
  key_points: JsonText
  body_html: string
  section_id: number
  byline: string
  source_credit: string
  hero_media_id: number | null
  status: 'draft' | 'scheduled' | 'published' | 'unpublished'
  first_published_at: Time | null
  public_updated_at: Time | null
  scheduled_at: Time | null
  version: number
  created_at: Time
  modified_at: Time
  created_by: number | null
  /** 0 or 1: flagged by an editor (or by wire urgency) as breaking news. */
  breaking: Generated<number>
  /** The dateline place, e.g. "Kyiv, Ukraine"; empty when none. */
  dateline: Generated<string>
  /** BCP 47 language tag of the text. */
  language: Generated<string>
  /** Not to be published before this time; null when there is no embargo. */
  embargo_until: Time | null
  /** Set when a contributor asks for review; cleared on publish or when sent back. */
  submitted_at: Time | null
  submitted_by: number | null
  /** The editor's note when a story was sent back to its writer; empty when none. */
  review_note: Generated<string>
  review_note_at: Time | null
  review_note_by: number | null
}

export interface ArticleSlugTable {
  slug: string
  article_id: number
}

export interface ArticleTopicTable {
  article_id: number
  topic_id: number
  position: number
}

export interface ArticleAuthorTable {
  article_id: number
  user_id: number
  position: number
}

/** What a revision records: a save, a status change, or a step of review or embargo. */
export type RevisionKind =
  | 'created'
  | 'substantive'
  | 'minor'
  | 'published'
  | 'unpublished'
  | 'scheduled'
  | 'submitted'
  | 'withdrawn'
  | 'sent-back'
  | 'approved'
  | 'embargo'
  | 'restored'

export interface ArticleRevisionTable {
  id: Generated<number>
  article_id: number
  version: number
  user_id: number | null
  created_at: Time
  kind: RevisionKind
  changed_fields: JsonText
  snapshot: JsonText
}

export interface ArticleCorrectionTable {
  id: Generated<number>
  article_id: number
  note: string
  created_at: Time
}

export interface EventTable {
  id: Generated<number>
  type: string
  article_id: number | null
  payload: JsonText
  created_at: Time
}

export interface WireSourceTable {
  id: Generated<number>
  name: string
  format: 'auto' | 'ninjs' | 'newsml-g2' | 'rss' | 'atom'
  credit: string
  default_section_id: number | null
  policy: 'publish' | 'queue'
  /** SHA-256 of the push token; null when the source takes no pushes. */
  token_hash: string | null
  created_at: Time
  /** Polled on an interval when set; the poll columns below are its state. */
  feed_url: string | null
  poll_interval_seconds: Generated<number>
  /** 1 lets fetches reach loopback and private addresses (a feed on the newsroom's own network). */
  allow_private_network: Generated<number>
  watch_folder: string | null
  poll_etag: string | null
  poll_last_modified: string | null
  /** SHA-256 of the last body fetched, so an unchanged feed without validators ingests nothing. */
  poll_content_hash: string | null
  /** Due at or after this time; a poller claims a source by moving it forward. */
  next_poll_at: Time | null
  last_polled_at: Time | null
  poll_failures: Generated<number>
  poll_last_error: string | null
}

/** One accepted version of a wire item; (agency_key, guid, version) is the idempotency key. */
export interface WireItemTable {
  id: Generated<number>
  source_id: number | null
  agency_key: string
  guid: string
  version: number
  content_hash: string
  article_id: number | null
  /** Fingerprint of the article's text as this version left it, to see editor changes later. */
  article_hash: string
  status: 'created' | 'updated' | 'unchanged' | 'held' | 'withdrawn'
  format: string
  headline: string
  breaking: number
  first_created: Time | null
  version_created: Time | null
  received_at: Time
  /** The normalised item as JSON for a held version (review reads it); JSON null for the rest. */
  item: JsonText
  /** The item as delivered: the document's bytes, or this item re-serialised from a batch. */
  raw: Uint8Array
  /** A held version's review (migration 0007): accepted or dismissed, by whom, when, why. */
  reviewed_at: Time | null
  review: 'accepted' | 'dismissed' | null
  reviewed_by: number | null
  review_note: Generated<string>
  /** The picture this version offered for the hero (migration 0010): its address as given, '' for none. */
  picture_href: Generated<string>
  picture_status: Generated<WirePictureStatus>
  /** Why a picture was refused or skipped, or why a fetch is being tried again. */
  picture_reason: Generated<string>
  /** The library photo the picture became, once stored. */
  picture_media_id: number | null
  /** Fingerprint of the hero as this version left the story ('' for none), to see an editor's hero later. */
  hero_hash: Generated<string>
}

/** What became of a wire item's picture: none offered, fetch queued, in the library, refused, or not taken. */
export type WirePictureStatus = 'none' | 'pending' | 'stored' | 'refused' | 'skipped'

export interface WireQuarantineTable {
  id: Generated<number>
  source_id: number | null
  /** Where it came from: a file path, "push", with "#n" for one item of a batch. */
  origin: string
  /** The original bytes, or the first part of them for a document over the size limit. */
  bytes: Uint8Array
  size: number
  reason: string
  received_at: Time
  resolved_at: Time | null
  /** How it was closed (migration 0007): re-run and ingested, resolved by hand, or discarded (bytes emptied). */
  resolution: 'rerun' | 'resolved' | 'discarded' | null
  note: Generated<string>
  resolved_by: number | null
}

/** A reader's account: separate from newsroom users, who are staff. */
export interface ReaderTable {
  id: Generated<number>
  email: string
  email_frequency: 'immediately' | 'daily' | 'off'
  /** Grants only one thing, unsubscribing from email, so it is kept as is for the List-Unsubscribe link. */
  unsubscribe_token: string
  created_at: Time
}

export interface ReaderSessionTable {
  id_hash: string
  reader_id: number
  created_at: Time
  expires_at: Time
}

/** A one-time sign-in link: SHA-256 of its token, and what to do once it is used. */
export interface ReaderLoginTokenTable {
  token_hash: string
  email: string
  return_to: string | null
  follow_kind: 'topic' | 'author' | 'section' | null
  follow_target_id: number | null
  created_at: Time
  expires_at: Time
  used_at: Time | null
}

export interface FollowTable {
  id: Generated<number>
  reader_id: number
  kind: 'topic' | 'author' | 'section'
  /** topic.id, user.id (an author) or section.id, by kind. */
  target_id: number
  created_at: Time
}

export interface NotificationTable {
  id: Generated<number>
  reader_id: number
  article_id: number
  created_at: Time
  read_at: Time | null
  /** The story edition ('new', 'update:<hour>') this reader was last queued an email for. */
  email_edition: Generated<string | null>
  /** The mailing that emails this reader about the story; its block job sends it. */
  mailing_id: Generated<number | null>
}

/** One story edition's email to the readers a fan-out found owing it, sent in blocks. */
export interface StoryMailingTable {
  id: Generated<number>
  article_id: number
  /** 'new' for a publication, 'update:<hour>' (UTC, e.g. 2026-11-26T14) for breaking news updated. */
  edition: string
  created_at: Time
}

/** Work that must not be lost (email): claimed by leasing run_at, retried with back-off. */
export interface JobTable {
  id: Generated<number>
  type: string
  /** Enqueuing the same key twice keeps the first job: fan-outs may run again safely. */
  dedupe_key: string | null
  payload: JsonText
  run_at: Time
  attempts: Generated<number>
  last_error: string | null
  created_at: Time
  done_at: Time | null
  failed_at: Time | null
  /** What a long job has finished (JSON), saved as it goes so a retry resumes after it. */
  progress: Generated<JsonText | null>
}

/** The site's VAPID key pair for Web Push (base64url: 65-byte public point, 32-byte private scalar); one row, id 1. */
export interface VapidKeyTable {
  id: number
  public_key: string
  private_key: string
  created_at: Time
}

/** A browser's push subscription for a reader: where to send, and the keys to encrypt for it. */
export interface PushSubscriptionTable {
  id: Generated<number>
  reader_id: number
  endpoint: string
  /** base64url: the browser's P-256 public key and its 16-byte auth secret. */
  p256dh: string
  auth: string
  created_at: Time
}

/** One daily digest: (reader, UTC day) is unique, so a day's digest is claimed once. */
export interface ReaderDigestTable {
  reader_id: number
  /** YYYY-MM-DD, UTC. */
  day: string
  /** The digest lists the reader's notifications after the previous digest's id up to this one. */
  through_notification_id: number
  stories: number
  created_at: Time
  sent_at: Time | null
}

/** How far a consumer of the event log has got, kept so a restart resumes there. */
export interface EventCursorTable {
  consumer: string
  last_event_id: number
}

/**
 * One rate-limit window: the hits a key made before resets_at_ms. Keys are a route and a
 * client address (http/plugins/rate-limit-store.ts), or a staff sign-in account or address
 * (modules/auth/sign-in-limits.ts).
 */
export interface RateLimitTable {
  key: string
  hits: number
  resets_at_ms: number
}

export interface Database {
  rate_limit: RateLimitTable
  user: UserTable
  session: SessionTable
  api_token: ApiTokenTable
  section: SectionTable
  topic: TopicTable
  topic_alias: TopicAliasTable
  media: MediaTable
  article: ArticleTable
  article_slug: ArticleSlugTable
  article_topic: ArticleTopicTable
  article_author: ArticleAuthorTable
  article_revision: ArticleRevisionTable
  article_correction: ArticleCorrectionTable
  event: EventTable
  wire_source: WireSourceTable
  wire_item: WireItemTable
  wire_quarantine: WireQuarantineTable
  reader: ReaderTable
  reader_session: ReaderSessionTable
  reader_login_token: ReaderLoginTokenTable
  follow: FollowTable
  notification: NotificationTable
  story_mailing: StoryMailingTable
  job: JobTable
  event_cursor: EventCursorTable
  vapid_key: VapidKeyTable
  push_subscription: PushSubscriptionTable
  reader_digest: ReaderDigestTable
}

/** The query handle every *-queries.ts function takes first: the database or a transaction. */
export type Db = Kysely<Database> | Transaction<Database>

export function toDate(value: Time): Date
export function toDate(value: Time | null): Date | null
export function toDate(value: Time | null): Date | null {
  if (value === null) return null
  return value instanceof Date ? value : new Date(value)
}

/** Runs work in a transaction, joining the caller's if there is one already. */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db)
  return db.transaction().execute(work)
}

/**
 * Bound parameters one statement may carry on both dialects: SQLite's default limit
 * (PostgreSQL allows 65535). Multi-row statements split their rows to stay under it.
 */
export const MAX_STATEMENT_PARAMETERS = 32766

/**
 * Splits rows (or values) into runs that each fit in one statement at `parametersEach` per
 * row. Runs are powers of two (183 rows: 128, 32, 16, 4, 2, 1), so a multi-row statement
 * comes in a few shapes, each prepared once, however the batch sizes vary: a prepared
 * statement keeps its program and last bound values, so one per row count would pile up.
 */
export function statementChunks<T>(rows: readonly T[], parametersEach: number): T[][] {
  const limit = Math.max(1, Math.floor(MAX_STATEMENT_PARAMETERS / Math.max(1, parametersEach)))
  const largest = 2 ** Math.floor(Math.log2(limit))
  const chunks: T[][] = []
  let at = 0
  while (at < rows.length) {
    let size = largest
    while (size > rows.length - at) size /= 2
    chunks.push(rows.slice(at, at + size))
    at += size
  }
  return chunks
}

/** Multi-row INSERT statements by their one-row form and row count; see insertRows. */
const compiledInserts = new Map<string, string>()
const COMPILED_INSERTS_LIMIT = 200

/**
 * Inserts rows in statementChunks' multi-row statements. Kysely parses and compiles every
 * statement from its values, a cost that grows with them (some 300,000 values for 5,000
 * wire items); but the SQL of such a statement depends only on the dialect, table, columns
 * and number of rows. So it is compiled once per shape, kept once Kysely is seen to bind the
 * values in row order, and run again with the next chunk's values. A chunk whose rows
 * differ in their columns, or hold anything but plain values, is compiled as usual.
 */
export async function insertRows<T extends keyof Database>(
  db: Db,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  const first = rows[0]
  if (!first) return
  const columns = Object.keys(first)
  for (const chunk of statementChunks(rows, columns.length)) {
    const values = rowMajorValues(chunk, columns)
    const query = db.insertInto(table).values(chunk[0]!)
    const key = `${query.compile().sql}\n${chunk.length}`
    const known = values && compiledInserts.get(key)
    if (known) {
      await db.executeQuery(CompiledQuery.raw(known, values))
      continue
    }
    const compiled = db.insertInto(table).values(chunk).compile()
    if (values && sameValues(compiled.parameters, values)) {
      if (compiledInserts.size >= COMPILED_INSERTS_LIMIT) compiledInserts.clear()
      compiledInserts.set(key, compiled.sql)
    }
    await db.executeQuery(compiled)
  }
}

/** The rows' values in row order, or undefined when a row has other columns or a value Kysely would not bind as it is. */
function rowMajorValues(rows: readonly object[], columns: readonly string[]): unknown[] | undefined {
  const values: unknown[] = []
  for (const row of rows) {
    const keys = Object.keys(row)
    if (keys.length !== columns.length) return undefined
    for (const [i, column] of columns.entries()) {
      if (keys[i] !== column) return undefined
      const value: unknown = (row as Record<string, unknown>)[column]
      if (!isPlainValue(value)) return undefined
      values.push(value)
    }
  }
  return values
}

function isPlainValue(value: unknown): boolean {
  if (value === undefined) return false
  if (value === null || typeof value !== 'object') return true
  return value instanceof Date || ArrayBuffer.isView(value)
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i])
}
