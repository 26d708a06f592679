import { createHash } from 'node:crypto'
import type { Updateable } from '#kysely'
import type { WireSourceTable } from '../../platform/database.js'
import type { DocumentFetcher } from './ports.js'
import {
  claimDueSource,
  listDueSourceIds,
  updateSourceRow,
  type PollTarget,
} from './source-intake-queries.js'
import { findSourceById } from './wire-queries.js'
import { ingestDocument, type WireDeps } from './wire-service.js'
import type { IngestOutcome } from './wire-source.js'

export interface PollDeps extends WireDeps {
  fetcher: DocumentFetcher
}

/** Longest wait after failures, unless the source's own interval is longer. */
export const MAX_BACKOFF_SECONDS = 3600
/** How long a claimed source stays away from other pollers if this one dies mid-poll. */
const CLAIM_LEASE_MS = 10 * 60 * 1000
/** Sources polled per round; the rest wait for the next round. */
const ROUND_LIMIT = 20

/** One poll of one source, for logs and tests. */
export interface PollReport {
  source: string
  /** fetched and ingested; not-modified (304); unchanged (same bytes); refused (the document); failed (the fetch). */
  result: 'ingested' | 'not-modified' | 'unchanged' | 'refused' | 'failed'
  outcomes: IngestOutcome[]
  reason?: string
}

/**
 * Seconds until the next poll after `failures` failed polls in a row: the interval,
 * doubled per failure, capped at MAX_BACKOFF_SECONDS (or the interval, if longer).
 */
export function pollDelaySeconds(intervalSeconds: number, failures: number): number {
  if (failures <= 0) return intervalSeconds
  const cap = Math.max(intervalSeconds, MAX_BACKOFF_SECONDS)
  return Math.min(intervalSeconds * 2 ** Math.min(failures, 20), cap)
}

/**
 * Polls every source whose feed is due, each claimed first so that pollers on other
 * nodes skip it. Conditional GET with the last validators: a 304, or the same bytes
 * as last time, ingests nothing.
 */
export async function pollDueSources(deps: PollDeps): Promise<PollReport[]> {
  const now = deps.clock.now()
  const reports: PollReport[] = []
  for (const id of await listDueSourceIds(deps.db, now, ROUND_LIMIT)) {
    const target = await claimDueSource(deps.db, id, now, new Date(now.getTime() + CLAIM_LEASE_MS))
    if (target) reports.push(await pollClaimed(deps, target))
  }
  return reports
}

async function pollClaimed(deps: PollDeps, target: PollTarget): Promise<PollReport> {
  const fetched = await deps.fetcher.fetch({
    url: target.feedUrl,
    allowPrivateNetwork: target.allowPrivateNetwork,
    etag: target.etag ?? undefined,
    lastModified: target.lastModified ?? undefined,
  })
  const report = (result: PollReport['result'], outcomes: IngestOutcome[] = [], reason?: string) => ({
    source: target.name,
    result,
    outcomes,
    ...(reason !== undefined && { reason }),
  })
  if (fetched.status === 'failed') {
    const failures = target.failures + 1
    await record(deps, target, { poll_failures: failures, poll_last_error: fetched.reason }, failures)
    return report('failed', [], fetched.reason)
  }
  // A document refused earlier stays the last error until new content comes; a fetch error clears on recovery.
  const recovered = target.failures > 0 ? { poll_failures: 0, poll_last_error: null } : {}
  if (fetched.status === 'not-modified') {
    await record(deps, target, recovered, 0)
    return report('not-modified')
  }
  const validators = {
    poll_etag: fetched.etag ?? null,
    poll_last_modified: fetched.lastModified ?? null,
  }
  const hash = createHash('sha256').update(fetched.bytes).digest('base64url')
  if (hash === target.contentHash) {
    await record(deps, target, { ...validators, ...recovered }, 0)
    return report('unchanged')
  }
  const origin = `feed ${target.name}`
  let outcomes: IngestOutcome[]
  try {
    const source = await findSourceById(deps.db, target.id)
    outcomes = await ingestDocument(deps, {
      bytes: fetched.bytes,
      origin,
      source,
      documentUrl: target.feedUrl,
    })
  } catch (error) {
    // Recorded on the source so admins see it, and backed off like a failed fetch; items
    // taken before the error are committed and a later poll re-reads the rest.
    deps.logger.error({ err: error, source: target.name }, 'feed ingest failed')
    const reason = `could not ingest the feed: ${error instanceof Error ? error.message : String(error)}`
    const failures = target.failures + 1
    await record(deps, target, { poll_failures: failures, poll_last_error: reason }, failures)
    return report('failed', [], reason)
  }
  const [first] = outcomes
  const refused = outcomes.length === 1 && first?.status === 'rejected' && first.label === origin
  const lastError = refused ? `the feed document was refused: ${first.reason ?? 'no reason given'}` : null
  await record(
    deps,
    target,
    { ...validators, poll_content_hash: hash, poll_failures: 0, poll_last_error: lastError },
    0,
  )
  return refused ? report('refused', outcomes, lastError ?? undefined) : report('ingested', outcomes)
}

async function record(
  deps: PollDeps,
  target: PollTarget,
  values: Updateable<WireSourceTable>,
  failures: number,
): Promise<void> {
  const now = deps.clock.now()
  const delayMs = pollDelaySeconds(target.intervalSeconds, failures) * 1000
  await updateSourceRow(deps.db, target.id, {
    ...values,
    last_polled_at: now,
    next_poll_at: new Date(now.getTime() + delayMs),
  })
}
