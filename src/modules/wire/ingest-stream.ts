import { rememberCleanBodies } from '../story-text/index.js'
import type { DocumentParser } from './ports.js'
import type { IngestOutcome } from './wire-source.js'
import {
  itemCount,
  prepareDocument,
  prepareDocumentWith,
  storeDocuments,
  type FileToIngest,
  type IngestInput,
  type PreparedDocument,
  type WireDeps,
} from './wire-service.js'

export interface IngestStreamOptions {
  /** Items committed together. Each still rolls back alone when refused. */
  batchItems?: number | undefined
  /** A batch commits once its first document waited this long, so a slow trickle is not held back. */
  batchMs?: number | undefined
  /**
   * Parses documents off this thread (worker threads), up to a batch ahead of the one being
   * stored; without it each document is parsed here as it arrives.
   */
  parser?: DocumentParser | undefined
}

/** Enough to spread a commit's fsync over many items; small enough to keep memory flat. */
export const DEFAULT_BATCH_ITEMS = 200
const DEFAULT_BATCH_MS = 250
/** Bytes of documents handed to the parser and not yet stored, so a run of large ones stays bounded. */
const MAX_BYTES_AHEAD = 32 * 1024 * 1024

/**
 * Ingests documents as they come (a folder walked file by file, say), committing them in
 * batches. `onIngested` hears of each document, in order, only once its batch is
 * committed: what it reports is stored, whatever happens to the process next. Memory
 * holds one batch at most, and with a parser up to a batch of documents being parsed,
 * however many documents flow through. Files to ingest, which the parser reads, need one.
 */
export async function ingestStream(
  deps: WireDeps,
  documents: AsyncIterable<IngestInput>,
  onIngested: (input: IngestInput, outcomes: IngestOutcome[]) => void,
  options?: IngestStreamOptions,
): Promise<void>
export async function ingestStream(
  deps: WireDeps,
  documents: AsyncIterable<IngestInput | FileToIngest>,
  onIngested: (input: IngestInput, outcomes: IngestOutcome[]) => void,
  options: IngestStreamOptions & { parser: DocumentParser },
): Promise<void>
export async function ingestStream(
  deps: WireDeps,
  documents: AsyncIterable<IngestInput | FileToIngest>,
  onIngested: (input: IngestInput, outcomes: IngestOutcome[]) => void,
  options: IngestStreamOptions = {},
): Promise<void> {
  const batchItems = options.batchItems ?? DEFAULT_BATCH_ITEMS
  const batchMs = options.batchMs ?? DEFAULT_BATCH_MS
  const parser = options.parser
  const sections = new Map<number | null, string>()
  let pending: PreparedDocument[] = []
  let items = 0
  let startedAt = 0
  const flush = async () => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    items = 0
    // Parsed in a worker thread, so this thread's sanitiser has not seen these bodies yet.
    if (parser) rememberCleanBodies([...bodiesOf(batch)])
    const results = await storeDocuments(deps, batch, sections)
    batch.forEach((document, i) => onIngested(document.input, results[i] ?? []))
  }
  const add = async (document: PreparedDocument) => {
    if (pending.length === 0) startedAt = performance.now()
    pending.push(document)
    items += itemCount(document)
    if (items >= batchItems || performance.now() - startedAt >= batchMs) await flush()
  }
  // Documents handed to the parser, in arrival order; they join batches in that order.
  const ahead: { document: Promise<PreparedDocument>; bytes: number }[] = []
  let bytesAhead = 0
  const takeOldest = async () => {
    const oldest = ahead.shift()!
    bytesAhead -= oldest.bytes
    await add(await oldest.document)
  }
  for await (const input of documents) {
    if (!parser) {
      if ('file' in input) throw new Error('a file to ingest is read by the parser, and none was given')
      await add(prepareDocument(deps, input))
      continue
    }
    const document = prepareDocumentWith(deps, input, parser)
    // Its failure is met when its turn comes, not as an unhandled rejection while it waits.
    document.catch(() => undefined)
    const bytes = 'file' in input ? input.size : input.bytes.length
    ahead.push({ document, bytes })
    bytesAhead += bytes
    while (ahead.length > batchItems || bytesAhead > MAX_BYTES_AHEAD) await takeOldest()
  }
  while (ahead.length > 0) await takeOldest()
  await flush()
}

function* bodiesOf(batch: readonly PreparedDocument[]): Generator<string> {
  for (const { parsed } of batch)
    if (parsed.ok) for (const entry of parsed.entries) if (entry.kind === 'item') yield entry.item.bodyHtml
}
