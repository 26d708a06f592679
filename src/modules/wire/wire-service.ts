import { AppError, isAppError, type ErrorCode } from '../../platform/app-error.js'
import type { Clock } from '../../platform/clock.js'
import type { Db } from '../../platform/database.js'
import type { Logger } from '../../platform/logger.js'
import {
  canonicalPath,
  createArticle,
  findArticleById,
  publishArticle,
  scheduleArticle,
  toArticleView,
  unpublishArticle,
  updateArticle,
  type ArticleDeps,
  type ArticleView,
  type SystemActor,
} from '../articles/index.js'
import type { EventOutbox } from '../events/index.js'
import { listSections } from '../taxonomy/index.js'
import { tooLarge } from './decode-document.js'
import {
  DEFAULT_WIRE_LIMITS,
  parseWireDocument,
  type ParsedDocument,
  type WireLimits,
} from './parse-wire-document.js'
import type { WireItem } from './wire-item.js'
import {
  savepoint,
  insertQuarantine,
  insertWireItem,
  listStoredVersions,
  lockStory,
  type StoredWireRow,
} from './wire-queries.js'
import type { IngestOutcome, WireItemStatus, WireSource } from './wire-source.js'
import { articleFingerprint, contentHash, decideVersion } from './wire-versions.js'

export interface WireDeps {
  db: Db
  clock: Clock
  dialect: 'sqlite' | 'postgres'
  events: EventOutbox
  articles: ArticleDeps
  logger: Logger
  limits?: WireLimits | undefined
}

export interface IngestInput {
  bytes: Uint8Array
  /** Where the document came from, for the quarantine: a file path, "push". */
  origin: string
  source?: WireSource | undefined
  /** Publish whatever the source's policy says. */
  publish?: boolean | undefined
  /** The size of the original when `bytes` holds only its first part (a file over the limit). */
  originalSize?: number | undefined
}

const WIRE: SystemActor = { system: 'wire' }

/** Kept of a document over the size limit, so the quarantine shows what it was. */
const OVERSIZE_PREFIX_BYTES = 64 * 1024

/** A refusal found while storing an item; its transaction rolls back and it goes to quarantine. */
class ItemRefused extends Error {}

interface Batch {
  deps: WireDeps
  input: IngestInput
  agencyKey: string
  section: string
  publish: boolean
}

/** A document parsed and ready to store, or refused whole before any item was read. */
export interface PreparedDocument {
  input: IngestInput
  parsed: ParsedDocument | { ok: false; reason: string; kept: Uint8Array; size: number }
}

/** Reads a delivered document; no database work, so it can run ahead of the batch it joins. */
export function prepareDocument(deps: WireDeps, input: IngestInput): PreparedDocument {
  const limits = deps.limits ?? DEFAULT_WIRE_LIMITS
  const size = input.originalSize ?? input.bytes.length
  if (size > limits.maxBytes) {
    const kept = input.bytes.subarray(0, OVERSIZE_PREFIX_BYTES)
    const reason = `${tooLarge(size, limits.maxBytes)} (the first ${kept.length} bytes are kept)`
    return { input, parsed: { ok: false, reason, kept, size } }
  }
  const expect = input.source && input.source.format !== 'auto' ? input.source.format : undefined
  return { input, parsed: parseWireDocument(input.bytes, { expect, limits }) }
}

/** How many items a prepared document holds (a refused one counts as one). */
export function itemCount(document: PreparedDocument): number {
  return document.parsed.ok ? document.parsed.entries.length : 1
}

/**
 * Ingests one delivered document: every item in it becomes an outcome. Refused documents
 * and items go to the quarantine with their bytes and reason, and the rest goes on.
 */
export async function ingestDocument(deps: WireDeps, input: IngestInput): Promise<IngestOutcome[]> {
  const [outcomes] = await storeDocuments(deps, [prepareDocument(deps, input)])
  return outcomes ?? []
}

/**
 * Stores prepared documents in one transaction, each item inside its own savepoint: an
 * item refused half-way rolls back alone and goes to the quarantine, and nothing of the
 * batch is visible, or reported, before the commit. So a crash loses no reported item,
 * and a re-run finds the committed wire_item rows and duplicates nothing. If the batch
 * fails as a whole (a deadlock between two ingesting processes, say), each document is
 * tried again in a transaction of its own.
 */
export async function storeDocuments(
  deps: WireDeps,
  documents: readonly PreparedDocument[],
  sections = new Map<number | null, string>(),
): Promise<IngestOutcome[][]> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const results: IngestOutcome[][] = []
      for (const document of documents) results.push(await storeDocumentIn(deps, trx, document, { sections }))
      return results
    })
  } catch (error) {
    if (documents.length === 1) throw error
    deps.logger.info({ err: error, documents: documents.length }, 'wire batch failed; storing one by one')
    const results: IngestOutcome[][] = []
    for (const document of documents) results.push(...(await storeDocuments(deps, [document], sections)))
    return results
  }
}

export interface StoreOptions {
  /** Section slug per source id, found once per run instead of once per document. */
  sections?: Map<number | null, string> | undefined
  /** Refusals go to the quarantine (the default), or only into the outcomes (a quarantine re-run). */
  quarantine?: boolean | undefined
}

/** Stores one prepared document inside the caller's transaction `trx`. */
export async function storeDocumentIn(
  deps: WireDeps,
  trx: Db,
  { input, parsed }: PreparedDocument,
  options: StoreOptions = {},
): Promise<IngestOutcome[]> {
  const txDeps = { ...deps, db: trx }
  const sections = options.sections ?? new Map<number | null, string>()
  const refuse = (bytes: Uint8Array, origin: string, reason: string, label: string, size = bytes.length) =>
    options.quarantine === false
      ? Promise.resolve<IngestOutcome>({ label, status: 'rejected', reason })
      : quarantine(txDeps, input, bytes, origin, reason, label, size)
  if (!parsed.ok) {
    const kept = 'kept' in parsed ? parsed.kept : input.bytes
    const size = 'size' in parsed ? parsed.size : kept.length
    return [await refuse(kept, input.origin, parsed.reason, input.origin, size)]
  }
  const sourceId = input.source?.id ?? null
  let section = sections.get(sourceId)
  if (section === undefined) {
    section = await sectionFor(trx, input.source)
    sections.set(sourceId, section)
  }
  const batch: Batch = {
    deps: txDeps,
    input,
    agencyKey: input.source?.name ?? '',
    section,
    publish: input.publish === true || input.source?.policy === 'publish',
  }
  const outcomes: IngestOutcome[] = []
  for (const entry of parsed.entries) {
    const origin = entry.label === '' ? input.origin : `${input.origin} ${entry.label}`
    const label = entry.label === '' ? input.origin : entry.label
    if (entry.kind === 'refused') {
      outcomes.push(await refuse(entry.raw, origin, entry.reason, label))
      continue
    }
    await savepoint(trx, 'begin')
    try {
      outcomes.push(await ingestItem(batch, entry.item, entry.raw, label))
      await savepoint(trx, 'release')
    } catch (error) {
      if (!(error instanceof ItemRefused) && !isAppErrorOf(error)) throw error
      await savepoint(trx, 'rollback')
      outcomes.push(await refuse(entry.raw, origin, error.message, label))
    }
  }
  return outcomes
}

async function sectionFor(db: Db, source: WireSource | undefined): Promise<string> {
  if (source?.defaultSection) return source.defaultSection
  const [first] = await listSections(db)
  if (!first) {
    throw new AppError(
      'CONFLICT',
      'there is no section to file wire stories in: create one first (dateline sample, or POST /api/v1/sections)',
    )
  }
  return first.slug
}

async function quarantine(
  deps: WireDeps,
  input: IngestInput,
  bytes: Uint8Array,
  origin: string,
  reason: string,
  label: string,
  size = bytes.length,
): Promise<IngestOutcome> {
  const id = await insertQuarantine(deps.db, {
    sourceId: input.source?.id ?? null,
    origin,
    bytes,
    size,
    reason,
    at: deps.clock.now(),
  })
  deps.logger.info({ origin, reason, quarantineId: id }, 'wire item quarantined')
  return { label, status: 'rejected', reason, quarantineId: id }
}

async function ingestItem(
  batch: Batch,
  item: WireItem,
  raw: Uint8Array,
  label: string,
): Promise<IngestOutcome> {
  const { deps, agencyKey } = batch
  const trx = deps.db
  await lockStory(trx, `${agencyKey}\n${item.guid}`, deps.dialect)
  const stored = await listStoredVersions(trx, agencyKey, item.guid)
  const hash = contentHash(item)
  if (item.withdrawn) return withdrawStory(batch, { item, raw, label, stored, hash })
  const decision = decideVersion(
    { version: item.version, contentHash: hash, versionCreated: item.versionCreated },
    stored,
  )
  const articleDeps: ArticleDeps = { ...deps.articles, db: trx }
  const row = {
    sourceId: batch.input.source?.id ?? null,
    agencyKey,
    contentHash: hash,
    item,
    raw,
    receivedAt: deps.clock.now(),
  }

  switch (decision.action) {
    case 'duplicate':
      return { label, status: 'duplicate', ...(await articleRef(trx, lastArticleId(stored))) }
    case 'older':
      return {
        label,
        status: 'older',
        reason: `version ${item.version ?? 'of this date'} is older than version ${decision.latest} already taken`,
        ...(await articleRef(trx, lastArticleId(stored))),
      }
    case 'conflict':
      throw new ItemRefused(decision.reason)
    case 'create':
    case 'update': {
      const applied = stored.filter((s) => s.status !== 'held').at(-1)
      const existing = applied?.articleId == null ? undefined : await findArticleById(trx, applied.articleId)
      if (!applied || !existing) {
        const created = await createArticle(articleDeps, WIRE, {
          ...articleFields(batch, item),
          section: batch.section,
          authorIds: [],
        })
        const live = await goLive(batch, articleDeps, created, item)
        await insertWireItem(trx, {
          ...row,
          version: decision.version,
          articleId: created.id,
          articleHash: articleFingerprint(live.view),
          status: 'created',
        })
        return outcome(label, 'created', live.view, live.reason)
      }
      return applyVersion(batch, articleDeps, {
        row,
        version: decision.version,
        applied,
        current: await toArticleView(trx, existing),
        label,
      })
    }
  }
}

interface Withdrawal {
  item: WireItem
  raw: Uint8Array
  label: string
  stored: StoredWireRow[]
  hash: string
}

/**
 * A kill or withhold notice. It applies whatever version number it carries: a story
 * the wire put live and nobody changed comes down (410, with an "unpublished" revision);
 * one an editor changed is left up and the notice is held for an editor to act on.
 */
async function withdrawStory(batch: Batch, w: Withdrawal): Promise<IngestOutcome> {
  const { deps, agencyKey } = batch
  const trx = deps.db
  const articleId = lastArticleId(w.stored)
  if (w.stored.some((s) => s.contentHash === w.hash))
    return { label: w.label, status: 'duplicate', ...(await articleRef(trx, articleId)) }
  const taken = new Set(w.stored.map((s) => s.version))
  const newest = w.stored.reduce((max, s) => Math.max(max, s.version), 0)
  // The notice keeps its own number unless a version of the story already holds it.
  const version = w.item.version !== null && !taken.has(w.item.version) ? w.item.version : newest + 1
  const store = (status: WireItemStatus, articleHash: string, id: number | null) =>
    insertWireItem(trx, {
      sourceId: batch.input.source?.id ?? null,
      agencyKey,
      contentHash: w.hash,
      item: w.item,
      raw: w.raw,
      receivedAt: deps.clock.now(),
      version,
      articleId: id,
      articleHash,
      status,
    })
  const existing = articleId === null ? undefined : await findArticleById(trx, articleId)
  if (!existing) {
    await store('withdrawn', '', null)
    return { label: w.label, status: 'withdrawn', reason: 'no story of ours to withdraw; the notice is kept' }
  }
  const current = await toArticleView(trx, existing)
  const applied = w.stored.filter((s) => s.status !== 'held').at(-1)
  const currentHash = articleFingerprint(current)
  if (applied && currentHash !== applied.articleHash) {
    await store('held', currentHash, current.id)
    await deps.events.append(trx, {
      type: 'wire.version_held',
      articleId: current.id,
      payload: { guid: w.item.guid, version, withdrawn: w.item.withdrawn },
    })
    return outcome(
      w.label,
      'held',
      current,
      `an editor changed the story; the agency's ${w.item.withdrawn} notice is held for review`,
    )
  }
  const articleDeps: ArticleDeps = { ...deps.articles, db: trx }
  const live = current.status === 'published' || current.status === 'scheduled'
  const after = live ? await unpublishArticle(articleDeps, WIRE, current.id) : current
  await store('withdrawn', articleFingerprint(after), current.id)
  await deps.events.append(trx, {
    type: 'wire.withdrawn',
    articleId: current.id,
    payload: { guid: w.item.guid, version, withdrawn: w.item.withdrawn },
  })
  return outcome(
    w.label,
    'withdrawn',
    after,
    live
      ? `the agency ${w.item.withdrawn} the story; it was taken down`
      : 'the story was not live; it stays a draft',
  )
}

interface VersionToApply {
  row: Omit<Parameters<typeof insertWireItem>[1], 'version' | 'articleId' | 'articleHash' | 'status'>
  version: number
  applied: StoredWireRow
  current: ArticleView
  label: string
}

/** A newer version of a story we have: update the article, unless an editor has changed it. */
async function applyVersion(
  batch: Batch,
  articleDeps: ArticleDeps,
  v: VersionToApply,
): Promise<IngestOutcome> {
  const trx = articleDeps.db
  const currentHash = articleFingerprint(v.current)
  const store = (status: WireItemStatus, articleHash: string) =>
    insertWireItem(trx, { ...v.row, version: v.version, articleId: v.current.id, articleHash, status })

  if (currentHash !== v.applied.articleHash) {
    // The editor's text wins: the agency's version is kept on the wire item for review, not applied.
    await store('held', currentHash)
    await batch.deps.events.append(trx, {
      type: 'wire.version_held',
      articleId: v.current.id,
      payload: { guid: v.row.item.guid, version: v.version },
    })
    return outcome(
      v.label,
      'held',
      v.current,
      `an editor changed the story; agency version ${v.version} is held for review`,
    )
  }
  if (v.row.contentHash === v.applied.contentHash) {
    const live = await goLive(batch, articleDeps, v.current, v.row.item)
    await store('unchanged', currentHash)
    return outcome(v.label, 'unchanged', live.view, live.reason)
  }
  const updated = await updateArticle(articleDeps, WIRE, v.current.id, {
    ...articleFields(batch, v.row.item),
    version: v.current.version,
    updateKind: 'substantive',
  })
  const live = await goLive(batch, articleDeps, updated, v.row.item)
  await store('updated', articleFingerprint(live.view))
  return outcome(v.label, 'updated', live.view, live.reason)
}

function articleFields(batch: Batch, item: WireItem) {
  return {
    headline: item.headline,
    keyPoints: item.keyPoints,
    bodyHtml: item.bodyHtml,
    byline: item.byline,
    sourceCredit: batch.input.source?.credit || item.credit,
    topics: item.topics,
  }
}

/**
 * Publishes a draft when the policy says so: at once, or at the embargo time. A story
 * that cannot go live yet (no body, say) stays a draft, and the outcome says why.
 */
async function goLive(
  batch: Batch,
  articleDeps: ArticleDeps,
  view: ArticleView,
  item: WireItem,
): Promise<{ view: ArticleView; reason?: string }> {
  if (!batch.publish || view.status !== 'draft') return { view }
  try {
    const embargo = item.embargoedUntil
    if (embargo && embargo.getTime() > batch.deps.clock.now().getTime())
      return { view: await scheduleArticle(articleDeps, WIRE, view.id, embargo) }
    return { view: await publishArticle(articleDeps, WIRE, view.id) }
  } catch (error) {
    if (isAppErrorOf(error, 'ARTICLE_NOT_PUBLISHABLE'))
      return { view, reason: `not published: ${error.message}` }
    throw error
  }
}

function outcome(label: string, status: WireItemStatus, view: ArticleView, reason?: string): IngestOutcome {
  return { label, status, article: refOf(view), ...(reason !== undefined && { reason }) }
}

function refOf(view: ArticleView): NonNullable<IngestOutcome['article']> {
  return { id: view.id, status: view.status, path: canonicalPath(view, view.section.slug) }
}

function lastArticleId(stored: StoredWireRow[]): number | null {
  return stored.findLast((s) => s.articleId !== null)?.articleId ?? null
}

async function articleRef(db: Db, articleId: number | null): Promise<Pick<IngestOutcome, 'article'>> {
  if (articleId === null) return {}
  const article = await findArticleById(db, articleId)
  if (!article) return {}
  return { article: refOf(await toArticleView(db, article)) }
}

function isAppErrorOf(error: unknown, code?: ErrorCode): error is AppError {
  return isAppError(error) && (code === undefined || error.code === code)
}
