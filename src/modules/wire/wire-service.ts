import { AppError } from '../../platform/app-error.js'
import type { Clock } from '../../platform/clock.js'
import type { Db } from '../../platform/database.js'
import type { Logger } from '../../platform/logger.js'
import type { ArticleDeps } from '../articles/index.js'
import type { EventOutbox } from '../events/index.js'
import type { MediaDeps } from '../media/index.js'
import { listSections } from '../taxonomy/index.js'
import { tooLarge } from './decode-document.js'
import { agencyKeyOf, ingestItem, isAppErrorOf, ItemRefused, type ItemContext } from './ingest-item.js'
import {
  DEFAULT_WIRE_LIMITS,
  OVERSIZE_PREFIX_BYTES,
  parseWireDocument,
  type ParsedDocument,
  type WireLimits,
} from './parse-wire-document.js'
import type { DocumentParser, PictureFileReader } from './ports.js'
import { itemsMetOnce } from './batch-items.js'
import { storeFreshItems } from './store-fresh-items.js'
import { storeNewerVersions } from './store-newer-versions.js'
import { storeFilePictures, type FilePictures } from './take-picture.js'
import type { WireItem } from './wire-item.js'
import { insertQuarantine, savepoint } from './wire-queries.js'
import type { IngestOutcome, WireSource } from './wire-source.js'

export interface WireDeps {
  db: Db
  clock: Clock
  dialect: 'sqlite' | 'postgres'
  events: EventOutbox
  articles: ArticleDeps
  /** Where wire pictures are stored: the media library, through its checks. */
  media: MediaDeps
  logger: Logger
  limits?: WireLimits | undefined
  /** Called after picture fetches are queued and committed, so the runner starts them now. */
  onJobsQueued?: (() => void) | undefined
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
  /** Reads pictures named by a path beside the delivered file (folder drops, `dateline ingest FILE`). */
  readPicture?: PictureFileReader | undefined
  /** The URL the document was fetched from; relative picture addresses resolve against it. */
  documentUrl?: string | undefined
}

/**
 * A delivered file, to be read by the parser where it parses (DocumentParser.parseFile)
 * instead of by the thread that stores it. `size` is what the file held when it was found,
 * so the documents read ahead of the one being stored can be kept within a memory budget.
 */
export interface FileToIngest extends Omit<IngestInput, 'bytes' | 'originalSize'> {
  file: string
  size: number
}

/** A document parsed and ready to store, or refused whole before any item was read. */
export interface PreparedDocument {
  input: IngestInput
  parsed: ParsedDocument | { ok: false; reason: string; kept: Uint8Array; size: number }
}

/** Reads a delivered document; no database work, so it can run ahead of the batch it joins. */
export function prepareDocument(deps: WireDeps, input: IngestInput): PreparedDocument {
  const { limits, expect } = parseOptionsFor(deps, input)
  return (
    refuseOversize(input, limits) ?? { input, parsed: parseWireDocument(input.bytes, { expect, limits }) }
  )
}

/**
 * prepareDocument with the parsing done by `parser` (worker threads): the same result, off
 * this thread. A file to ingest is read there too.
 */
export async function prepareDocumentWith(
  deps: WireDeps,
  input: IngestInput | FileToIngest,
  parser: DocumentParser,
): Promise<PreparedDocument> {
  const options = parseOptionsFor(deps, input)
  if ('file' in input) {
    const { file: _file, size: _size, ...rest } = input
    const read = await parser.parseFile(input.file, options)
    const whole: IngestInput = { ...rest, bytes: read.bytes, originalSize: read.originalSize }
    return refuseOversize(whole, options.limits) ?? { input: whole, parsed: read.parsed ?? notParsed() }
  }
  return refuseOversize(input, options.limits) ?? { input, parsed: await parser.parse(input.bytes, options) }
}

// A parser leaves a file unparsed only when it is over the size limit, which refuseOversize
// refuses first; reaching this means the two disagree about the limit.
function notParsed(): never {
  throw new Error('the parser read a file within the size limit but did not parse it')
}

function parseOptionsFor(deps: WireDeps, input: Pick<IngestInput, 'source'>) {
  const limits = deps.limits ?? DEFAULT_WIRE_LIMITS
  const expect = input.source && input.source.format !== 'auto' ? input.source.format : undefined
  return { limits, expect }
}

function refuseOversize(input: IngestInput, limits: WireLimits): PreparedDocument | undefined {
  const size = input.originalSize ?? input.bytes.length
  if (size <= limits.maxBytes) return undefined
  const kept = input.bytes.subarray(0, OVERSIZE_PREFIX_BYTES)
  const reason = `${tooLarge(size, limits.maxBytes)} (the first ${kept.length} bytes are kept)`
  return { input, parsed: { ok: false, reason, kept, size } }
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
  const filePictures = await storeFilePictures(deps, documents)
  const results = await storeInTransaction(deps, documents, { sections, filePictures })
  if (results.some((outcomes) => outcomes.some((o) => o.picture?.status === 'queued'))) deps.onJobsQueued?.()
  return results
}

async function storeInTransaction(
  deps: WireDeps,
  documents: readonly PreparedDocument[],
  options: StoreOptions,
): Promise<IngestOutcome[][]> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const items = await itemsMetOnce(documents, (input) => contextFor(deps, trx, input, options))
      const fresh = await storeFreshItems({ ...deps, db: trx }, items)
      const newer = await storeNewerVersions({ ...deps, db: trx }, items, fresh)
      const inBulk = new Map([...fresh, ...newer])
      const results: IngestOutcome[][] = []
      for (const document of documents)
        results.push(await storeDocumentIn(deps, trx, document, { ...options, inBulk }))
      return results
    })
  } catch (error) {
    if (documents.length === 1) throw error
    deps.logger.info({ err: error, documents: documents.length }, 'wire batch failed; storing one by one')
    const results: IngestOutcome[][] = []
    for (const document of documents) results.push(...(await storeInTransaction(deps, [document], options)))
    return results
  }
}

export interface StoreOptions {
  /** Section slug per source id, found once per run instead of once per document. */
  sections?: Map<number | null, string> | undefined
  /** Refusals go to the quarantine (the default), or only into the outcomes (a quarantine re-run). */
  quarantine?: boolean | undefined
  /** Pictures read from beside the delivered files and stored before the transaction. */
  filePictures?: FilePictures | undefined
  /** Items already stored by the batch's bulk step, with their outcomes. */
  inBulk?: ReadonlyMap<WireItem, IngestOutcome> | undefined
}

/** Stores one prepared document inside the caller's transaction `trx`. */
export async function storeDocumentIn(
  deps: WireDeps,
  trx: Db,
  { input, parsed }: PreparedDocument,
  options: StoreOptions = {},
): Promise<IngestOutcome[]> {
  const txDeps = { ...deps, db: trx }
  const refuse = (bytes: Uint8Array, origin: string, reason: string, label: string, size = bytes.length) =>
    options.quarantine === false
      ? Promise.resolve<IngestOutcome>({ label, status: 'rejected', reason })
      : quarantine(txDeps, input, bytes, origin, reason, label, size)
  if (!parsed.ok) {
    const kept = 'kept' in parsed ? parsed.kept : input.bytes
    const size = 'size' in parsed ? parsed.size : kept.length
    return [await refuse(kept, input.origin, parsed.reason, input.origin, size)]
  }
  const context = await contextFor(deps, trx, input, options)
  const outcomes: IngestOutcome[] = []
  for (const entry of parsed.entries) {
    const origin = entry.label === '' ? input.origin : `${input.origin} ${entry.label}`
    const label = entry.label === '' ? input.origin : entry.label
    if (entry.kind === 'refused') {
      outcomes.push(await refuse(entry.raw, origin, entry.reason, label))
      continue
    }
    const stored = options.inBulk?.get(entry.item)
    if (stored) {
      outcomes.push(stored)
      continue
    }
    await savepoint(trx, 'begin')
    try {
      outcomes.push(await ingestItem(context, entry.item, entry.raw, label, entry.contentHash))
      await savepoint(trx, 'release')
    } catch (error) {
      if (!(error instanceof ItemRefused) && !isAppErrorOf(error)) throw error
      await savepoint(trx, 'rollback')
      outcomes.push(await refuse(entry.raw, origin, error.message, label))
    }
  }
  return outcomes
}

/** What the items of one document share, on the batch's transaction `trx`. */
async function contextFor(
  deps: WireDeps,
  trx: Db,
  input: IngestInput,
  options: StoreOptions,
): Promise<ItemContext> {
  const sections = options.sections ?? new Map<number | null, string>()
  const sourceId = input.source?.id ?? null
  let section = sections.get(sourceId)
  if (section === undefined) {
    section = await sectionFor(trx, input.source)
    sections.set(sourceId, section)
  }
  return {
    deps: { ...deps, db: trx },
    input,
    agencyKey: agencyKeyOf(input),
    section,
    publish: input.publish === true || input.source?.policy === 'publish',
    filePictures: options.filePictures ?? (new Map() as FilePictures),
  }
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
