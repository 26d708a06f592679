import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * scrypt at OWASP's recommended cost (N=2^17, r=8, p=1). The parameters are stored
 * in each hash, so raising the cost later still verifies old hashes.
 */
export const PASSWORD_COST = { N: 2 ** 17, r: 8, p: 1 } as const
const KEY_LENGTH = 32

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

function maxmemFor(N: number, r: number): number {
  return 128 * N * r * 2
}

export async function hashPassword(
  password: string,
  cost: { N: number; r: number; p: number } = PASSWORD_COST,
) {
  const salt = randomBytes(16)
  const key = await scryptAsync(password.normalize('NFC'), salt, {
    ...cost,
    maxmem: maxmemFor(cost.N, cost.r),
  })
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  // A damaged hash is a failed check, not a crash: scrypt throws on these parameters.
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N < 2 || !Number.isInteger(Math.log2(N)))
    return false
  const salt = Buffer.from(parts[4] ?? '', 'base64url')
  const expected = Buffer.from(parts[5] ?? '', 'base64url')
  const key = await scryptAsync(password.normalize('NFC'), salt, { N, r, p, maxmem: maxmemFor(N, r) })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A hash of a password no one has, verified against when the email is unknown so timing tells nothing. */
const decoyHashes = new Map<string, Promise<string>>()
export function getDecoyHash(cost: { N: number; r: number; p: number } = PASSWORD_COST): Promise<string> {
  // One decoy per cost, so an unknown email costs exactly what a known one does.
  const key = `${cost.N}/${cost.r}/${cost.p}`
  let hash = decoyHashes.get(key)
  if (!hash) {
    hash = hashPassword(randomBytes(16).toString('hex'), cost)
    decoyHashes.set(key, hash)
  }
  return hash
}
