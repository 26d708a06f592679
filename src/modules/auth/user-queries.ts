import { toDate, type Db } from '../../platform/database.js'
import type { UserTable } from '../../platform/database.js'
import { sql, type Selectable } from '#kysely'
import type { Role, User } from './user.js'

type UserRow = Selectable<UserTable>

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    slug: row.slug,
    role: row.role,
    bio: row.bio,
    createdAt: toDate(row.created_at),
    disabledAt: toDate(row.disabled_at),
  }
}

export async function findUserByEmail(
  db: Db,
  email: string,
): Promise<(User & { passwordHash: string }) | undefined> {
  const row = await db
    .selectFrom('user')
    .selectAll()
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst()
  return row && { ...toUser(row), passwordHash: row.password_hash }
}

export async function findUserById(db: Db, id: number): Promise<User | undefined> {
  const row = await db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toUser(row)
}

export async function findUserBySlug(db: Db, slug: string): Promise<User | undefined> {
  const row = await db.selectFrom('user').selectAll().where('slug', '=', slug).executeTakeFirst()
  return row && toUser(row)
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('user').selectAll().orderBy('display_name').execute()
  return rows.map(toUser)
}

export async function insertUser(
  db: Db,
  input: { email: string; displayName: string; slug: string; role: Role; passwordHash: string; now: Date },
): Promise<User> {
  const row = await db
    .insertInto('user')
    .values({
      email: input.email.toLowerCase(),
      display_name: input.displayName,
      slug: input.slug,
      role: input.role,
      password_hash: input.passwordHash,
      bio: '',
      created_at: input.now,
      disabled_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toUser(row)
}

export async function updateUserRow(
  db: Db,
  id: number,
  changes: { role?: Role; displayName?: string; disabledAt?: Date | null; passwordHash?: string },
): Promise<User | undefined> {
  const row = await db
    .updateTable('user')
    .set({
      ...(changes.role !== undefined && { role: changes.role }),
      ...(changes.displayName !== undefined && { display_name: changes.displayName }),
      ...(changes.disabledAt !== undefined && { disabled_at: changes.disabledAt }),
      ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash }),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
  return row && toUser(row)
}

/** A person who can be named as an author: what editors and contributors may see of staff. */
export interface StaffName {
  id: number
  displayName: string
  slug: string
}

/** Active staff whose name contains the words typed, best matches (name starts with them) first. */
export async function searchStaffNames(db: Db, query: string, limit: number): Promise<StaffName[]> {
  const q = query.trim().toLowerCase()
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`)
  let select = db.selectFrom('user').select(['id', 'display_name', 'slug']).where('disabled_at', 'is', null)
  if (q !== '') {
    select = select.where(sql<boolean>`lower(display_name) like ${`%${escaped}%`} escape '\\'`)
  }
  const rows = await select
    .orderBy(sql`lower(display_name) like ${`${escaped}%`} escape '\\'`, 'desc')
    .orderBy('display_name')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, slug: r.slug }))
}
