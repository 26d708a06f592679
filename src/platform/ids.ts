import { createHash, randomBytes } from 'node:crypto'

// No 0/O, 1/l/I: short codes are read aloud and typed from print.
const SHORT_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'

/** A random code from an unambiguous alphabet, e.g. for short URLs. */
export function randomShortCode(length = 7): string {
  let code = ''
  while (code.length < length) {
    const byte = randomByte()
    // Reject bytes past the largest multiple of the alphabet size to keep the draw uniform.
    if (byte < 256 - (256 % SHORT_ALPHABET.length)) code += SHORT_ALPHABET[byte % SHORT_ALPHABET.length]
  }
  return code
}

// Random bytes drawn a few thousand at a time: a call into the system's generator costs
// as much as a short code's worth of bytes from it, and a wire batch draws hundreds of codes.
const RANDOM_POOL_BYTES = 4096
let randomPool: Buffer | undefined
let randomPoolAt = 0

function randomByte(): number {
  if (!randomPool || randomPoolAt >= randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL_BYTES)
    randomPoolAt = 0
  }
  return randomPool[randomPoolAt++]!
}

/** A URL-safe secret with 256 bits of entropy (session ids, API tokens). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * How a secret we issued (session id, API or push token, sign-in link) is stored: its
 * SHA-256. It carries 256 bits, so no salt or slow hash is needed; a leaked table
 * gives nobody a usable secret.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}

export function isShortCode(value: string): boolean {
  return /^[2-9a-hjkmnp-zA-HJ-NP-Z]{4,12}$/.test(value)
}
