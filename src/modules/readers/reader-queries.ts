import type { Selectable } from '#kysely'
import { toDate, type Db, type ReaderTable } from '../../platform/database.js'
import { randomSecret } from '../../platform/ids.js'
import type { FollowTarget, Reader } from './reader.js'

function toReader(row: Selectable<ReaderTable>): Reader {
  return {
    id: row.id,
    email: row.email,
    emailFrequency: row.email_frequency,
    createdAt: toDate(row.created_at),
  }
}

export async function findReaderById(db: Db, id: number): Promise<Reader | undefined> {
  const row = await db.selectFrom('reader').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toReader(row)
}

export async function findReaderByEmail(db: Db, email: string): Promise<Reader | undefined> {
  const row = await db.selectFrom('reader').selectAll().where('email', '=', email).executeTakeFirst()
  return row && toReader(row)
}

/** The reader with this address, created if there is none; two sign-ins at once still make one. */
export async function findOrCreateReader(db: Db, email: string, now: Date): Promise<Reader> {
  await db
    .insertInto('reader')
    .values({ email, email_frequency: 'immediately', unsubscribe_token: randomSecret(), created_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute()
  const reader = await findReaderByEmail(db, email)
  if (!reader) throw new Error('reader vanished right after it was created')
  return reader
}

/** The reader and their unsubscribe token, in one query, for an email that links to it. */
export async function findReaderWithUnsubscribeToken(
  db: Db,
  id: number,
): Promise<{ reader: Reader; unsubscribeToken: string } | undefined> {
  const row = await db.selectFrom('reader').selectAll().where('id', '=', id).executeTakeFirst()
  return row && { reader: toReader(row), unsubscribeToken: row.unsubscribe_token }
}

export async function findReaderByUnsubscribeToken(db: Db, token: string): Promise<Reader | undefined> {
  const row = await db
    .selectFrom('reader')
    .selectAll()
    .where('unsubscribe_token', '=', token)
    .executeTakeFirst()
  return row && toReader(row)
}

export async function insertLoginToken(
  db: Db,
  input: {
    tokenHash: string
    email: string
    returnTo: string | undefined
    follow: FollowTarget | undefined
    now: Date
    expiresAt: Date
  },
): Promise<void> {
  await db
    .insertInto('reader_login_token')
    .values({
      token_hash: input.tokenHash,
      email: input.email,
      return_to: input.returnTo ?? null,
      follow_kind: input.follow?.kind ?? null,
      follow_target_id: input.follow?.targetId ?? null,
      created_at: input.now,
      expires_at: input.expiresAt,
      used_at: null,
    })
    .execute()
}

export async function countRecentLoginTokens(db: Db, email: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('reader_login_token')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Marks a link used and returns what it carried, in one statement: of two clicks at
 * once only one gets a row back. Expired and used links return nothing.
 */
/** The address a sign-in link is for, while it is unused and unexpired; it stays usable. */
export async function findUsableLoginToken(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<{ email: string } | undefined> {
  const row = await db
    .selectFrom('reader_login_token')
    .select('email')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return row && { email: row.email }
}

export async function consumeLoginToken(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<{ email: string; returnTo: string | null; follow: FollowTarget | undefined } | undefined> {
  const row = await db
    .updateTable('reader_login_token')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['email', 'return_to', 'follow_kind', 'follow_target_id'])
    .executeTakeFirst()
  if (!row) return undefined
  const follow =
    row.follow_kind && row.follow_target_id !== null
      ? { kind: row.follow_kind, targetId: row.follow_target_id }
      : undefined
  return { email: row.email, returnTo: row.return_to, follow }
}

export async function insertReaderSession(
  db: Db,
  input: { idHash: string; readerId: number; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('reader_session')
    .values({
      id_hash: input.idHash,
      reader_id: input.readerId,
      created_at: input.now,
      expires_at: input.expiresAt,
    })
    .execute()
}

export async function findReaderBySessionHash(
  db: Db,
  idHash: string,
  now: Date,
): Promise<Reader | undefined> {
  const row = await db
    .selectFrom('reader_session')
    .innerJoin('reader', 'reader.id', 'reader_session.reader_id')
    .selectAll('reader')
    .where('reader_session.id_hash', '=', idHash)
    .where('reader_session.expires_at', '>', now)
    .executeTakeFirst()
  return row && toReader(row)
}

export async function deleteReaderSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('reader_session').where('id_hash', '=', idHash).execute()
}
