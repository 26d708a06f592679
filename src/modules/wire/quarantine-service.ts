import type { Actor } from '../auth/index.js'
import { AppError } from '../../platform/app-error.js'
import { cleanText } from '../../platform/text.js'
import { findQuarantineEntry, findSourceById } from './wire-queries.js'
import type { IngestOutcome, QuarantineEntry } from './wire-source.js'
import { prepareDocument, storeDocumentIn, type WireDeps } from './wire-service.js'

export interface RerunInput {
  /** Corrected bytes to ingest instead of the kept ones (which stay, as the original). */
  replacement?: Uint8Array | undefined
  note?: string | undefined
}

export interface RerunResult {
  entry: QuarantineEntry
  outcomes: IngestOutcome[]
}

/** One quarantine entry, open or closed. */
export async function getQuarantineEntry(deps: Pick<WireDeps, 'db'>, id: number): Promise<QuarantineEntry> {
  const entry = await findQuarantineEntry(deps.db, id)
  if (!entry) throw new AppError('NOT_FOUND', `No quarantine entry ${id}`)
  return entry
}

/**
 * Runs a quarantined document through ingest again, after a fix (a parser change, a
 * source setting) or with corrected bytes. If every item is taken the entry is resolved;
 * if not, nothing of it is stored, the entry stays open with the new reason, and no
 * further entry is made. The original bytes stay either way.
 */
export async function rerunQuarantined(
  deps: WireDeps,
  actor: Actor | null,
  id: number,
  input: RerunInput = {},
): Promise<RerunResult> {
  const note = checkNote(input.note)
  const stored = await deps.db
    .selectFrom('wire_quarantine')
    .select(['bytes', 'size', 'source_id', 'origin', 'resolved_at'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!stored) throw new AppError('NOT_FOUND', `No quarantine entry ${id}`)
  if (stored.resolved_at !== null) throw new AppError('CONFLICT', `Quarantine entry ${id} is already closed`)
  const source = stored.source_id === null ? undefined : await findSourceById(deps.db, stored.source_id)
  const replaced = input.replacement !== undefined
  const bytes = input.replacement ?? new Uint8Array(stored.bytes)
  const document = prepareDocument(deps, {
    bytes,
    origin: stored.origin,
    source,
    ...(!replaced && { originalSize: Number(stored.size) }),
  })
  const outcomes = await deps.db
    .transaction()
    .execute(async (trx) => {
      const results = await storeDocumentIn({ ...deps, db: trx }, trx, document, { quarantine: false })
      const refused = results.filter((o) => o.status === 'rejected')
      if (refused.length > 0)
        throw new RerunRefused(results, refused.map((o) => o.reason ?? 'refused').join('; '))
      await close(trx, id, { resolution: 'rerun', note, by: actor?.userId ?? null, at: deps.clock.now() })
      return results
    })
    .catch(async (error: unknown) => {
      if (!(error instanceof RerunRefused)) throw error
      await deps.db
        .updateTable('wire_quarantine')
        .set({ reason: error.reason })
        .where('id', '=', id)
        .execute()
      return error.outcomes
    })
  return { entry: await getQuarantineEntry(deps, id), outcomes }
}

/**
 * Closes an entry by hand: "resolved" (handled some other way; the bytes stay) or
 * "discarded" (not wanted; the bytes are deleted, the record of them stays).
 */
export async function closeQuarantined(
  deps: Pick<WireDeps, 'db' | 'clock'>,
  actor: Actor | null,
  id: number,
  input: { resolution: 'resolved' | 'discarded'; note?: string | undefined },
): Promise<QuarantineEntry> {
  const note = checkNote(input.note)
  const entry = await getQuarantineEntry(deps, id)
  if (entry.resolvedAt !== null && !(entry.resolution !== 'discarded' && input.resolution === 'discarded'))
    throw new AppError('CONFLICT', `Quarantine entry ${id} is already ${entry.resolution ?? 'closed'}`)
  await close(deps.db, id, {
    resolution: input.resolution,
    note,
    by: actor?.userId ?? null,
    at: deps.clock.now(),
  })
  return getQuarantineEntry(deps, id)
}

class RerunRefused extends Error {
  constructor(
    readonly outcomes: IngestOutcome[],
    readonly reason: string,
  ) {
    super(reason)
  }
}

function checkNote(note: string | undefined): string {
  const clean = cleanText(note ?? '')
  if (clean.length > 1000) throw new AppError('INVALID_INPUT', 'note: must be at most 1000 characters')
  return clean
}

async function close(
  db: WireDeps['db'],
  id: number,
  change: { resolution: 'rerun' | 'resolved' | 'discarded'; note: string; by: number | null; at: Date },
): Promise<void> {
  await db
    .updateTable('wire_quarantine')
    .set({
      resolution: change.resolution,
      note: change.note,
      resolved_by: change.by,
      resolved_at: change.at,
      ...(change.resolution === 'discarded' && { bytes: new Uint8Array(0) }),
    })
    .where('id', '=', id)
    .execute()
}
