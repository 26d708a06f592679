import type { WireFormat } from './wire-item.js'

export type WirePolicy = 'publish' | 'queue'
export const WIRE_POLICIES: readonly WirePolicy[] = ['publish', 'queue']

/** Where agency copy comes from, and what to do with it, as an admin configured it. */
export interface WireSource {
  id: number
  name: string
  /** "auto" tells the format from each document. */
  format: WireFormat | 'auto'
  /** How stories from it are credited; the item's own provider when empty. */
  credit: string
  /** Section slug new stories are filed in; the first section when null. */
  defaultSection: string | null
  policy: WirePolicy
  acceptsPush: boolean
  createdAt: Date
  /** Polled every `pollIntervalSeconds` when set. */
  feedUrl: string | null
  pollIntervalSeconds: number
  /** Fetches may reach loopback and private addresses (a feed on the newsroom's own network). */
  allowPrivateNetwork: boolean
  /** A folder under the watch root whose documents are ingested as they arrive. */
  watchFolder: string | null
  poll: PollState
}

/** How the feed's polling goes, for admins: next and last poll, failures in a row and the last error. */
export interface PollState {
  nextAt: Date | null
  lastAt: Date | null
  failures: number
  lastError: string | null
}

export type WireItemStatus = 'created' | 'updated' | 'unchanged' | 'held' | 'withdrawn'

/** What became of one item of a delivery. */
export type IngestStatus = WireItemStatus | 'duplicate' | 'older' | 'rejected'

export interface IngestOutcome {
  /** Which item: its guid, or "#n" in a batch when it has none, or the document itself. */
  label: string
  status: IngestStatus
  /** Present when the item landed on an article. */
  article?: {
    id: number
    status: 'draft' | 'scheduled' | 'published' | 'unpublished'
    /** The public path, "/section/slug". */
    path: string
  }
  /** Why it was refused or held, or why a story meant to go live did not. */
  reason?: string
  quarantineId?: number
  /**
   * What became of the picture the item offered, when anything new did: set as the hero
   * (from a file beside the document), queued for the fetch job, refused, or skipped (an
   * editor's hero stands). A picture never refuses its story.
   */
  picture?: { status: 'set' | 'queued' | 'refused' | 'skipped'; detail: string }
}

export interface QuarantineEntry {
  id: number
  origin: string
  /** Size of the original document in bytes. */
  size: number
  reason: string
  source: string | null
  receivedAt: Date
  resolvedAt: Date | null
  /** How it was closed: re-run and ingested, resolved by hand, or discarded (its bytes deleted). */
  resolution: 'rerun' | 'resolved' | 'discarded' | null
  note: string
}
