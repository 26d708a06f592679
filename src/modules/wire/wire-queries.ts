import { sql, type Insertable, type Selectable } from '#kysely'
import {
  insertRows,
  statementChunks,
  toDate,
  type Db,
  type WireItemTable,
  type WirePictureStatus,
  type WireSourceTable,
} from '../../platform/database.js'
import type { WireItem } from './wire-item.js'
import type { QuarantineEntry, WireSource, WireItemStatus } from './wire-source.js'
import type { StoredVersion } from './wire-versions.js'
import { sourceIntake } from './source-intake-queries.js'

function toSource(row: Selectable<WireSourceTable> & { section_slug: string | null }): WireSource {
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    credit: row.credit,
    defaultSection: row.section_slug,
    policy: row.policy,
    acceptsPush: row.token_hash !== null,
    createdAt: toDate(row.created_at),
    ...sourceIntake(row),
  }
}

function sources(db: Db) {
  return db
    .selectFrom('wire_source')
    .leftJoin('section', 'section.id', 'wire_source.default_section_id')
    .selectAll('wire_source')
    .select('section.slug as section_slug')
}

export async function findSourceByName(db: Db, name: string): Promise<WireSource | undefined> {
  const row = await sources(db).where('wire_source.name', '=', name).executeTakeFirst()
  return row && toSource(row)
}

export async function findSourceById(db: Db, id: number): Promise<WireSource | undefined> {
  const row = await sources(db).where('wire_source.id', '=', id).executeTakeFirst()
  return row && toSource(row)
}

export async function findSourceByTokenHash(db: Db, tokenHash: string): Promise<WireSource | undefined> {
  const row = await sources(db).where('wire_source.token_hash', '=', tokenHash).executeTakeFirst()
  return row && toSource(row)
}

export async function listSources(db: Db): Promise<WireSource[]> {
  const rows = await sources(db).orderBy('wire_source.name').execute()
  return rows.map(toSource)
}

export async function insertSource(
  db: Db,
  values: Omit<Insertable<WireSourceTable>, 'id' | 'created_at'> & { created_at: Date },
): Promise<number> {
  const row = await db.insertInto('wire_source').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/**
 * Serialises ingest of one story until the transaction ends. Two PostgreSQL transactions
 * would otherwise both see "new" and both create an article; SQLite serialises writers anyway.
 */
export async function lockStory(db: Db, key: string, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await lockStories(db, [key], dialect)
}

/**
 * One story's key: agency key and guid. It names the story's advisory lock on PostgreSQL,
 * so every path that locks a story (one by one, in bulk, landing a picture) must use it.
 */
export function storyKey(agencyKey: string, guid: string): string {
  return `${agencyKey}\n${guid}`
}

/** lockStory for many stories in one statement, in sorted order so two batches cannot deadlock. */
export async function lockStories(
  db: Db,
  keys: readonly string[],
  dialect: 'sqlite' | 'postgres',
): Promise<void> {
  if (dialect !== 'postgres' || keys.length === 0) return
  const sorted = [...new Set(keys)].sort()
  await sql`select pg_advisory_xact_lock(7273, hashtext(k)) from unnest(${sorted}::text[]) as k`.execute(db)
}

/** Which of these (agency key, guid) pairs have a version stored, as "agencyKey\nguid" keys. */
export async function findStoredStories(
  db: Db,
  stories: readonly { agencyKey: string; guid: string }[],
): Promise<Set<string>> {
  const stored = new Set<string>()
  const agencyKeys = [...new Set(stories.map((s) => s.agencyKey))]
  for (const chunk of statementChunks(stories, 1)) {
    const rows = await db
      .selectFrom('wire_item')
      .select(['agency_key', 'guid'])
      .distinct()
      .where('agency_key', 'in', agencyKeys)
      .where(
        'guid',
        'in',
        chunk.map((s) => s.guid),
      )
      .execute()
    for (const row of rows) stored.add(storyKey(row.agency_key, row.guid))
  }
  return stored
}

/** What a version recorded of the picture it offered for the hero. */
export interface PictureRecord {
  /** The address as resolved (an absolute URL, or a path beside the document); '' for none. */
  href: string
  status: WirePictureStatus
  reason: string
  mediaId: number | null
}

export const NO_PICTURE: PictureRecord = { href: '', status: 'none', reason: '', mediaId: null }

export interface StoredWireRow extends StoredVersion {
  id: number
  articleId: number | null
  articleHash: string
  status: WireItemStatus
  picture: PictureRecord
  /** The hero as this version left the story (heroFingerprint). */
  heroHash: string
}

/** Every version taken of one story, oldest first. */
export async function listStoredVersions(db: Db, agencyKey: string, guid: string): Promise<StoredWireRow[]> {
  const rows = await storedVersions(db).where('agency_key', '=', agencyKey).where('guid', '=', guid).execute()
  return rows.map(toStoredRow)
}

/** The distinct fingerprints stored for those of these stories the wire filed or updated, by story. */
export async function findArticleHashes(
  db: Db,
  articleIds: readonly number[],
): Promise<Map<number, string[]>> {
  const found = new Map<number, string[]>()
  for (const chunk of statementChunks(articleIds, 1)) {
    const rows = await db
      .selectFrom('wire_item')
      .select(['article_id', 'article_hash'])
      .distinct()
      .where('article_id', 'in', chunk)
      .execute()
    for (const row of rows) {
      if (row.article_id === null) continue
      found.set(row.article_id, [...(found.get(row.article_id) ?? []), row.article_hash])
    }
  }
  return found
}

/** Gives a story's versions that stored one of these fingerprints the fingerprint `now` instead. */
export async function replaceArticleHashes(
  db: Db,
  articleId: number,
  hashes: readonly string[],
  now: string,
): Promise<void> {
  await db
    .updateTable('wire_item')
    .set({ article_hash: now })
    .where('article_id', '=', articleId)
    .where('article_hash', 'in', hashes)
    .execute()
}

/** The bytes as delivered of these wire_item rows, by id. */
export async function findRawBytes(db: Db, ids: readonly number[]): Promise<Map<number, Uint8Array>> {
  const found = new Map<number, Uint8Array>()
  for (const chunk of statementChunks([...new Set(ids)], 1))
    for (const row of await db
      .selectFrom('wire_item')
      .select(['id', 'raw'])
      .where('id', 'in', chunk)
      .execute())
      found.set(row.id, row.raw)
  return found
}

/** listStoredVersions for many stories at once, by "agencyKey\nguid"; a story with none is absent. */
export async function findStoredVersions(
  db: Db,
  stories: readonly { agencyKey: string; guid: string }[],
): Promise<Map<string, StoredWireRow[]>> {
  const wanted = new Set(stories.map((s) => storyKey(s.agencyKey, s.guid)))
  const agencyKeys = [...new Set(stories.map((s) => s.agencyKey))]
  const found = new Map<string, StoredWireRow[]>()
  for (const chunk of statementChunks([...new Set(stories.map((s) => s.guid))], 1)) {
    const rows = await storedVersions(db)
      .select(['agency_key', 'guid'])
      .where('agency_key', 'in', agencyKeys)
      .where('guid', 'in', chunk)
      .execute()
    for (const row of rows) {
      const key = storyKey(row.agency_key, row.guid)
      if (wanted.has(key)) found.set(key, [...(found.get(key) ?? []), toStoredRow(row)])
    }
  }
  return found
}

function storedVersions(db: Db) {
  return db
    .selectFrom('wire_item')
    .select([
      'id',
      'version',
      'content_hash',
      'version_created',
      'article_id',
      'article_hash',
      'status',
      'picture_href',
      'picture_status',
      'picture_reason',
      'picture_media_id',
      'hero_hash',
    ])
    .orderBy('version')
}

type StoredVersionRow = Awaited<ReturnType<ReturnType<typeof storedVersions>['executeTakeFirstOrThrow']>>

function toStoredRow(r: StoredVersionRow): StoredWireRow {
  return {
    id: r.id,
    version: r.version,
    contentHash: r.content_hash,
    versionCreated: toDate(r.version_created),
    articleId: r.article_id,
    articleHash: r.article_hash,
    status: r.status,
    picture: {
      href: r.picture_href,
      status: r.picture_status,
      reason: r.picture_reason,
      mediaId: r.picture_media_id,
    },
    heroHash: r.hero_hash,
  }
}

export interface NewWireItemRow {
  sourceId: number | null
  agencyKey: string
  version: number
  contentHash: string
  articleId: number | null
  articleHash: string
  status: WireItemStatus
  item: WireItem
  raw: Uint8Array
  receivedAt: Date
  /** The picture it offered and what became of it; none unless given. */
  picture?: PictureRecord | undefined
  /** The hero as this version left the story; '' (no hero) unless given. */
  heroHash?: string | undefined
}

export async function insertWireItem(db: Db, row: NewWireItemRow): Promise<void> {
  await insertWireItems(db, [row])
}

/** Many versions' rows in one statement per chunk. */
export async function insertWireItems(db: Db, rows: readonly NewWireItemRow[]): Promise<void> {
  await insertRows(db, 'wire_item', rows.map(wireItemValues))
}

/**
 * The `item` of a version whose normalised item nobody reads. Only a held version's is read
 * (an editor compares it and may apply it); every other version's text went into the
 * article, with a revision, and its raw bytes are kept, from which the item is parsed again.
 * Storing the body once (as delivered) rather than twice makes ingest's heaviest insert lighter.
 */
const NOT_KEPT = 'null'

function wireItemValues(row: NewWireItemRow): Insertable<WireItemTable> {
  return {
    source_id: row.sourceId,
    agency_key: row.agencyKey,
    guid: row.item.guid,
    version: row.version,
    content_hash: row.contentHash,
    article_id: row.articleId,
    article_hash: row.articleHash,
    status: row.status,
    format: row.item.format,
    headline: row.item.headline,
    breaking: row.item.breaking ? 1 : 0,
    first_created: row.item.firstCreated,
    version_created: row.item.versionCreated,
    received_at: row.receivedAt,
    item: row.status === 'held' ? JSON.stringify(row.item) : NOT_KEPT,
    raw: row.raw,
    picture_href: row.picture?.href ?? '',
    picture_status: row.picture?.status ?? 'none',
    picture_reason: row.picture?.reason ?? '',
    picture_media_id: row.picture?.mediaId ?? null,
    hero_hash: row.heroHash ?? '',
  }
}

export async function insertQuarantine(
  db: Db,
  entry: {
    sourceId: number | null
    origin: string
    bytes: Uint8Array
    size: number
    reason: string
    at: Date
  },
): Promise<number> {
  // The same bytes refused again for the same reason (a folder ingested twice, a poll) are
  // the entry already open, not another one.
  let open = db
    .selectFrom('wire_quarantine')
    .select(['id', 'bytes'])
    .where('resolved_at', 'is', null)
    .where('origin', '=', entry.origin)
    .where('size', '=', entry.size)
    .where('reason', '=', entry.reason)
  open =
    entry.sourceId === null
      ? open.where('source_id', 'is', null)
      : open.where('source_id', '=', entry.sourceId)
  for (const candidate of await open.execute())
    if (Buffer.from(candidate.bytes).equals(entry.bytes)) return candidate.id
  const row = await db
    .insertInto('wire_quarantine')
    .values({
      source_id: entry.sourceId,
      origin: entry.origin,
      bytes: entry.bytes,
      size: entry.size,
      reason: entry.reason,
      received_at: entry.at,
      resolved_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Quarantined documents, newest first; open ones only unless asked. The bytes stay in the table. */
export async function listQuarantine(
  db: Db,
  options: { includeResolved?: boolean; limit: number },
): Promise<QuarantineEntry[]> {
  let query = selectQuarantine(db)
  if (!options.includeResolved) query = query.where('wire_quarantine.resolved_at', 'is', null)
  const rows = await query
    .orderBy('wire_quarantine.received_at', 'desc')
    .orderBy('wire_quarantine.id', 'desc')
    .limit(options.limit)
    .execute()
  return rows.map(toQuarantineEntry)
}

/** How many documents the quarantine holds: open ones only unless asked (what listQuarantine would list without a limit). */
export async function countQuarantine(db: Db, options: { includeResolved?: boolean }): Promise<number> {
  let query = db.selectFrom('wire_quarantine')
  if (!options.includeResolved) query = query.where('wire_quarantine.resolved_at', 'is', null)
  const row = await query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** One quarantine entry, open or closed, without its bytes. */
export async function findQuarantineEntry(db: Db, id: number): Promise<QuarantineEntry | undefined> {
  const row = await selectQuarantine(db).where('wire_quarantine.id', '=', id).executeTakeFirst()
  return row && toQuarantineEntry(row)
}

function selectQuarantine(db: Db) {
  return db
    .selectFrom('wire_quarantine')
    .leftJoin('wire_source', 'wire_source.id', 'wire_quarantine.source_id')
    .select([
      'wire_quarantine.id',
      'wire_quarantine.origin',
      'wire_quarantine.size',
      'wire_quarantine.reason',
      'wire_quarantine.received_at',
      'wire_quarantine.resolved_at',
      'wire_quarantine.resolution',
      'wire_quarantine.note',
      'wire_source.name as source_name',
    ])
}

type QuarantineRow = Awaited<ReturnType<ReturnType<typeof selectQuarantine>['executeTakeFirstOrThrow']>>

function toQuarantineEntry(row: QuarantineRow): QuarantineEntry {
  return {
    id: row.id,
    origin: row.origin,
    size: Number(row.size),
    reason: row.reason,
    source: row.source_name,
    receivedAt: toDate(row.received_at),
    resolvedAt: toDate(row.resolved_at),
    resolution: row.resolution,
    note: row.note,
  }
}

/** The bytes kept for one quarantined document, for a re-run after a fix. */
export async function findQuarantinedBytes(db: Db, id: number): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('wire_quarantine').select('bytes').where('id', '=', id).executeTakeFirst()
  return row && new Uint8Array(row.bytes)
}

/**
 * One item's savepoint inside a batch transaction: an item refused half-way rolls back
 * alone. Plain SQL, the same on both dialects; items never nest, and the bulk step of
 * fresh stories (`wire_bulk`) runs before them.
 */
export async function savepoint(
  db: Db,
  step: 'begin' | 'release' | 'rollback',
  name: 'wire_item' | 'wire_bulk' = 'wire_item',
): Promise<void> {
  const id = sql.id(name)
  if (step === 'begin') await sql`savepoint ${id}`.execute(db)
  else if (step === 'release') await sql`release savepoint ${id}`.execute(db)
  else {
    await sql`rollback to savepoint ${id}`.execute(db)
    await sql`release savepoint ${id}`.execute(db)
  }
}
