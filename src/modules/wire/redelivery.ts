import { Buffer } from 'node:buffer'
import type { Db } from '../../platform/database.js'
import { findRawBytes, type StoredWireRow } from './wire-queries.js'
import { decideVersion, type IncomingVersion, type VersionDecision } from './wire-versions.js'

/** A delivery as decideVersion weighs it, with the bytes it came in. */
export interface Delivery extends IncomingVersion {
  raw: Uint8Array
}

/**
 * decideVersion's answer, except that a delivery byte for byte the same as a version taken
 * before is a duplicate. Content hashes are of the item as this release reads it: when a
 * release reads agency copy differently (a body cleaned another way), an agency resending
 * a version would otherwise be refused as that version "with different content", and a
 * feed's unchanged item taken as a new version. Only those two answers are checked, against
 * the one version they concern, so the bytes are read from the database only then.
 */
export async function decideDelivery(
  db: Db,
  delivery: Delivery,
  stored: readonly StoredWireRow[],
): Promise<VersionDecision> {
  const [decision] = await decideDeliveries(db, [{ delivery, stored }])
  return decision!
}

/** decideDelivery for many deliveries, with one read of the bytes for all that need it. */
export async function decideDeliveries(
  db: Db,
  deliveries: readonly { delivery: Delivery; stored: readonly StoredWireRow[] }[],
): Promise<VersionDecision[]> {
  const decided = deliveries.map(({ delivery, stored }) => {
    const decision = decideVersion(delivery, [...stored])
    return { decision, against: bytesDecide(delivery, decision, stored) }
  })
  const against = decided.flatMap(({ against }) => (against ? [against.id] : []))
  const raw = against.length === 0 ? new Map<number, Uint8Array>() : await findRawBytes(db, against)
  return decided.map(({ decision, against }, i) => {
    const before = against && raw.get(against.id)
    return before && Buffer.from(before).equals(deliveries[i]!.delivery.raw)
      ? { action: 'duplicate', version: against.version }
      : decision
  })
}

/** The version whose bytes settle a decision: the one a conflict names, or the one a feed's change follows. */
function bytesDecide(
  delivery: Delivery,
  decision: VersionDecision,
  stored: readonly StoredWireRow[],
): StoredWireRow | undefined {
  if (decision.action === 'conflict') return stored.find((s) => s.version === delivery.version)
  if (decision.action === 'update' && delivery.version === null)
    return stored.reduce<StoredWireRow | undefined>((a, b) => (a && a.version > b.version ? a : b), undefined)
  return undefined
}
