import { isIPv6 } from 'node:net'
import { ipv6Bytes, mappedIPv4 } from '../../platform/ip-address.js'
import { inTransaction, type Db } from '../../platform/database.js'
import {
  clearRateLimit,
  countRateLimitHit,
  takeBackRateLimitHit,
  type RateLimitWindow,
} from './rate-limit-queries.js'

/**
 * Failed sign-ins allowed in a window before further attempts are refused until it ends.
 * Per account, so one password is guessed slowly however many addresses guess it; per
 * client address, looser, so one address spraying a common password over many accounts
 * is stopped too, while a newsroom sharing one address is not stopped by its own typos.
 */
export interface SignInLimits {
  /** Failures on one account (its normalised email, whether or not it exists). */
  perAccount: number
  /** Failures from one client address, whatever the accounts. */
  perAddress: number
  windowMs: number
}

export const SIGN_IN_LIMITS: SignInLimits = { perAccount: 10, perAddress: 100, windowMs: 15 * 60 * 1000 }

/** An attempt being checked: counted as a failure until its password proves right. */
export interface CountedAttempt {
  accountKey: string
  addressKey: string
  addressWindow: RateLimitWindow
}

export type AttemptCount =
  { allowed: true; attempt: CountedAttempt } | { allowed: false; retryAfterMs: number }

/**
 * Counts an attempt as a failure against its address and then its account, in one
 * transaction, before any password is checked: concurrent attempts each see their own
 * count, so a burst cannot check more passwords than the limit allows. An attempt over
 * either limit is refused. One refused by its address is not counted against its account,
 * so an address already refused cannot go on to lock accounts; one refused by its account
 * still counts against its address, as the failure it is.
 */
export async function countSignInAttempt(
  db: Db,
  input: { email: string; address: string },
  limits: SignInLimits,
  now: Date,
): Promise<AttemptCount> {
  const nowMs = now.getTime()
  const addressKey = `sign-in|address:${countedAddress(input.address)}`
  const accountKey = `sign-in|account:${input.email}`
  return inTransaction(db, async (trx) => {
    const addressWindow = await countRateLimitHit(trx, addressKey, limits.windowMs, nowMs)
    if (addressWindow.hits > limits.perAddress)
      return { allowed: false, retryAfterMs: addressWindow.resetsAtMs - nowMs }
    const accountWindow = await countRateLimitHit(trx, accountKey, limits.windowMs, nowMs)
    if (accountWindow.hits > limits.perAccount)
      return { allowed: false, retryAfterMs: accountWindow.resetsAtMs - nowMs }
    return { allowed: true, attempt: { accountKey, addressKey, addressWindow } }
  })
}

/**
 * A successful attempt: the address's count of it is taken back and the account's failures
 * are cleared. Address first, as countSignInAttempt does, so that on PostgreSQL concurrent
 * transactions lock the two rows in the same order and cannot deadlock.
 */
export async function forgiveSignInAttempt(db: Db, attempt: CountedAttempt): Promise<void> {
  await takeBackRateLimitHit(db, attempt.addressKey, attempt.addressWindow)
  await clearRateLimit(db, attempt.accountKey)
}

/**
 * The address a limit counts. An IPv6 client is usually given a whole /64 and may change
 * address within it at will, so IPv6 addresses count by their /64; IPv4 ones, mapped into
 * IPv6 or not, count as they are.
 */
export function countedAddress(address: string): string {
  const bare = address.replace(/%.*$/, '')
  if (!isIPv6(bare)) return address
  const bytes = ipv6Bytes(bare)
  const mapped = mappedIPv4(bytes)
  if (mapped) return mapped.join('.')
  const groups = [0, 2, 4, 6].map((i) => (((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16))
  return `${groups.join(':')}::/64`
}
