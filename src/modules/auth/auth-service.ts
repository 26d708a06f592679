import { AppError, assertNoProblems, type FieldProblem } from '../../platform/app-error.js'
import type { Clock } from '../../platform/clock.js'
import { inTransaction, toDate, type Db } from '../../platform/database.js'
import { hashSecret, randomSecret } from '../../platform/ids.js'
import { slugify } from '../../platform/slug.js'
import { cleanText } from '../../platform/text.js'
import { getDecoyHash, hashPassword, verifyPassword } from './password.js'
import {
  countSignInAttempt,
  forgiveSignInAttempt,
  SIGN_IN_LIMITS,
  type SignInLimits,
} from './sign-in-limits.js'
import { isRole, type Actor, type Role, type User } from './user.js'
import { findUserByEmail, findUserById, insertUser, updateUserRow } from './user-queries.js'

export interface AuthDeps {
  db: Db
  clock: Clock
  /** Lower only in tests; production always uses the OWASP cost. */
  passwordCost?: { N: number; r: number; p: number }
  /** Tighter only in tests; production always uses SIGN_IN_LIMITS. */
  signInLimits?: SignInLimits
}

export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000
const EMAIL_PATTERN = /^[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+$/

export interface CreateUserInput {
  email: string
  displayName?: string | undefined
  role: string
  password: string
}

export async function createUser(deps: AuthDeps, input: CreateUserInput): Promise<User> {
  const email = input.email.trim().toLowerCase()
  const displayName = cleanText(input.displayName ?? email.split('@')[0] ?? '')
  const problems: FieldProblem[] = emailProblems(input.email)
  if (!isRole(input.role)) problems.push({ field: 'role', message: 'must be contributor, editor or admin' })
  if (input.password.length < 12)
    problems.push({ field: 'password', message: 'must be at least 12 characters' })
  if (input.password.length > 256)
    problems.push({ field: 'password', message: 'must be at most 256 characters' })
  if (displayName === '' || displayName.length > 80)
    problems.push({ field: 'displayName', message: 'must be 1-80 characters' })
  assertNoProblems(problems)
  if (await findUserByEmail(deps.db, email)) throw new AppError('CONFLICT', 'A user with that email exists')
  const passwordHash = await hashPassword(input.password, deps.passwordCost)
  const slug = await uniqueUserSlug(deps.db, slugify(displayName) || 'staff')
  return insertUser(deps.db, {
    email,
    displayName,
    slug,
    role: input.role as Role,
    passwordHash,
    now: deps.clock.now(),
  })
}

/**
 * What is wrong with a new user's email, if it is a string at all (a request's schema names
 * other types): an API request refused for its types hears of this in the same answer.
 */
export function emailProblems(value: unknown): FieldProblem[] {
  if (typeof value !== 'string') return []
  const email = value.trim().toLowerCase()
  return EMAIL_PATTERN.test(email) && email.length <= 254
    ? []
    : [{ field: 'email', message: 'is not an email address' }]
}

async function uniqueUserSlug(db: Db, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`
    const taken = await db.selectFrom('user').select('id').where('slug', '=', candidate).executeTakeFirst()
    if (!taken) return candidate
  }
}

/**
 * Checks a password. Unknown email, disabled account and wrong password give the
 * same answer after the same work, so the login form does not reveal who has an account.
 */
export async function authenticate(deps: AuthDeps, email: string, password: string): Promise<User> {
  const user = await findUserByEmail(deps.db, email.trim())
  const ok = await verifyPassword(password, user?.passwordHash ?? (await getDecoyHash(deps.passwordCost)))
  if (!user || !ok || user.disabledAt) throw new AppError('UNAUTHENTICATED', 'Email or password is incorrect')
  const { passwordHash: _hash, ...publicUser } = user
  return publicUser
}

export interface SignInInput {
  email: string
  password: string
  /** The client's address, as the HTTP layer determined it (TRUST_PROXY). */
  address: string
}

/**
 * Signs a user in within the sign-in limits (sign-in-limits.ts) and starts their session.
 * The attempt counts as a failure until the password proves right; then, in one
 * transaction, the account's failures are cleared and the session is started. An account
 * or address over its limit is refused RATE_LIMITED before any password is checked, and
 * alike whether the account exists or not, since accounts are counted by email.
 */
export async function signIn(
  deps: AuthDeps,
  input: SignInInput,
): Promise<{ user: User; sessionId: string; expiresAt: Date }> {
  const email = input.email.trim().toLowerCase()
  const limits = deps.signInLimits ?? SIGN_IN_LIMITS
  const counted = await countSignInAttempt(
    deps.db,
    { email, address: input.address },
    limits,
    deps.clock.now(),
  )
  if (!counted.allowed)
    throw new AppError('RATE_LIMITED', 'Too many attempts; try again later', {
      details: { retryAfterSeconds: Math.max(1, Math.ceil(counted.retryAfterMs / 1000)) },
    })
  const user = await authenticate(deps, email, input.password)
  return inTransaction(deps.db, async (trx) => {
    await forgiveSignInAttempt(trx, counted.attempt)
    return { user, ...(await insertSession(trx, user.id, deps.clock.now())) }
  })
}

export async function startSession(
  deps: AuthDeps,
  userId: number,
): Promise<{ sessionId: string; expiresAt: Date }> {
  return insertSession(deps.db, userId, deps.clock.now())
}

async function insertSession(
  db: Db,
  userId: number,
  now: Date,
): Promise<{ sessionId: string; expiresAt: Date }> {
  const sessionId = randomSecret()
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS)
  await db
    .insertInto('session')
    .values({ id_hash: hashSecret(sessionId), user_id: userId, created_at: now, expires_at: expiresAt })
    .execute()
  return { sessionId, expiresAt }
}

export async function endSession(deps: AuthDeps, sessionId: string): Promise<void> {
  await deps.db.deleteFrom('session').where('id_hash', '=', hashSecret(sessionId)).execute()
}

/** Deletes staff sessions past their expiry (they already sign no one in); returns how many. */
export async function pruneExpiredSessions(deps: AuthDeps): Promise<number> {
  const result = await deps.db
    .deleteFrom('session')
    .where('expires_at', '<', deps.clock.now())
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Deletes rate-limit windows (sign-in-limits.ts, http/plugins/rate-limit-store.ts) that have ended. */
export async function pruneEndedRateLimits(deps: AuthDeps): Promise<number> {
  const result = await deps.db
    .deleteFrom('rate_limit')
    .where('resets_at_ms', '<', deps.clock.now().getTime())
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function findActorBySession(
  deps: AuthDeps,
  sessionId: string,
): Promise<(Actor & { user: User }) | undefined> {
  const row = await deps.db
    .selectFrom('session')
    .select(['user_id', 'expires_at'])
    .where('id_hash', '=', hashSecret(sessionId))
    .executeTakeFirst()
  if (!row || toDate(row.expires_at) <= deps.clock.now()) return undefined
  const user = await findUserById(deps.db, row.user_id)
  if (!user || user.disabledAt) return undefined
  return { userId: user.id, role: user.role, via: 'session', user }
}

/** Creates an API token; the secret is shown once and only its hash is kept. */
export async function createApiToken(
  deps: AuthDeps,
  userId: number,
  name: string,
): Promise<{ id: number; token: string }> {
  const clean = cleanText(name)
  assertNoProblems(
    clean === '' || clean.length > 80 ? [{ field: 'name', message: 'must be 1-80 characters' }] : [],
  )
  if (!(await findUserById(deps.db, userId))) throw new AppError('NOT_FOUND', 'No such user')
  const token = `dl_${randomSecret()}`
  const row = await deps.db
    .insertInto('api_token')
    .values({
      user_id: userId,
      name: clean,
      token_hash: hashSecret(token),
      created_at: deps.clock.now(),
      last_used_at: null,
      revoked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, token }
}

export async function findActorByToken(
  deps: AuthDeps,
  token: string,
): Promise<(Actor & { user: User }) | undefined> {
  const row = await deps.db
    .selectFrom('api_token')
    .select(['id', 'user_id', 'revoked_at'])
    .where('token_hash', '=', hashSecret(token))
    .executeTakeFirst()
  if (!row || row.revoked_at) return undefined
  const user = await findUserById(deps.db, row.user_id)
  if (!user || user.disabledAt) return undefined
  return { userId: user.id, role: user.role, via: 'token', user }
}

export async function changeUser(
  deps: AuthDeps,
  id: number,
  changes: { role?: string | undefined; displayName?: string | undefined; disabled?: boolean | undefined },
): Promise<User> {
  const problems: FieldProblem[] = []
  if (changes.role !== undefined && !isRole(changes.role))
    problems.push({ field: 'role', message: 'must be contributor, editor or admin' })
  const displayName = changes.displayName === undefined ? undefined : cleanText(changes.displayName)
  if (displayName !== undefined && (displayName === '' || displayName.length > 80)) {
    problems.push({ field: 'displayName', message: 'must be 1-80 characters' })
  }
  assertNoProblems(problems)
  const user = await updateUserRow(deps.db, id, {
    ...(changes.role !== undefined && { role: changes.role as Role }),
    ...(displayName !== undefined && { displayName }),
    ...(changes.disabled !== undefined && { disabledAt: changes.disabled ? deps.clock.now() : null }),
  })
  if (!user) throw new AppError('NOT_FOUND', 'No such user')
  if (changes.disabled) await deps.db.deleteFrom('session').where('user_id', '=', id).execute()
  return user
}
