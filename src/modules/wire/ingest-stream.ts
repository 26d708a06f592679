import type { IngestOutcome } from './wire-source.js'
import {
  itemCount,
  prepareDocument,
  storeDocuments,
  type IngestInput,
  type PreparedDocument,
  type WireDeps,
} from './wire-service.js'

export interface IngestStreamOptions {
  /** Items committed together. Each still rolls back alone when refused. */
  batchItems?: number | undefined
  /** A batch commits once its first document waited this long, so a slow trickle is not held back. */
  batchMs?: number | undefined
}

/** Enough to spread a commit's fsync over many items; small enough to keep memory flat. */
export const DEFAULT_BATCH_ITEMS = 200
const DEFAULT_BATCH_MS = 250

/**
 * Ingests documents as they come (a folder walked file by file, say), committing them in
 * batches. `onIngested` hears of each document, in order, only once its batch is
 * committed: what it reports is stored, whatever happens to the process next. Memory
 * holds one batch at most, however many documents flow through.
 */
export async function ingestStream(
  deps: WireDeps,
  documents: AsyncIterable<IngestInput>,
  onIngested: (input: IngestInput, outcomes: IngestOutcome[]) => void,
  options: IngestStreamOptions = {},
): Promise<void> {
  const batchItems = options.batchItems ?? DEFAULT_BATCH_ITEMS
  const batchMs = options.batchMs ?? DEFAULT_BATCH_MS
  const sections = new Map<number | null, string>()
  let pending: PreparedDocument[] = []
  let items = 0
  let startedAt = 0
  const flush = async () => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    items = 0
    const results = await storeDocuments(deps, batch, sections)
    batch.forEach((document, i) => onIngested(document.input, results[i] ?? []))
  }
  for await (const input of documents) {
    if (pending.length === 0) startedAt = performance.now()
    const document = prepareDocument(deps, input)
    pending.push(document)
    items += itemCount(document)
    if (items >= batchItems || performance.now() - startedAt >= batchMs) await flush()
  }
  await flush()
}
