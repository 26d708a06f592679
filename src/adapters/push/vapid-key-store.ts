import type { Db } from '../../platform/database.js'
import { generateVapidKeys, type VapidKeys } from './web-push-crypto.js'

/**
 * The site's VAPID keys: the ones configured (VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY),
 * or else the pair in the vapid_key row, made the first time. Browsers subscribe with
 * the public key, so it must never change under them; the row keeps it across restarts
 * and shares it between nodes, and when two nodes start at once the first insert wins.
 */
export async function loadVapidKeys(
  db: Db,
  configured: VapidKeys | undefined,
  now: Date,
): Promise<VapidKeys> {
  if (configured) return configured
  const fresh = generateVapidKeys()
  await db
    .insertInto('vapid_key')
    .values({ id: 1, public_key: fresh.publicKey, private_key: fresh.privateKey, created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  const row = await db
    .selectFrom('vapid_key')
    .select(['public_key', 'private_key'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  return { publicKey: row.public_key, privateKey: row.private_key }
}
