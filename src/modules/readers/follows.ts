import { AppError } from '../../platform/app-error.js'
import { toDate, type Db } from '../../platform/database.js'
import { followKey, type Follow, type FollowTarget } from './reader.js'
import type { ReaderDeps } from './reader-deps.js'

/** The name and page of a follow target, or undefined when it does not exist. */
export async function describeTarget(
  db: Db,
  target: FollowTarget,
): Promise<{ name: string; path: string } | undefined> {
  if (target.kind === 'topic') {
    const row = await db
      .selectFrom('topic')
      .select(['name', 'slug'])
      .where('id', '=', target.targetId)
      .executeTakeFirst()
    return row && { name: row.name, path: `/topic/${row.slug}` }
  }
  if (target.kind === 'author') {
    const row = await db
      .selectFrom('user')
      .select(['display_name', 'slug'])
      .where('id', '=', target.targetId)
      .executeTakeFirst()
    return row && { name: row.display_name, path: `/author/${row.slug}` }
  }
  const row = await db
    .selectFrom('section')
    .select(['name', 'slug'])
    .where('id', '=', target.targetId)
    .executeTakeFirst()
  return row && { name: row.name, path: `/${row.slug}` }
}

/** Adds a follow; following twice is the same as once. */
export async function addFollow(db: Db, readerId: number, target: FollowTarget, now: Date): Promise<void> {
  await db
    .insertInto('follow')
    .values({ reader_id: readerId, kind: target.kind, target_id: target.targetId, created_at: now })
    .onConflict((oc) => oc.columns(['reader_id', 'kind', 'target_id']).doNothing())
    .execute()
}

/** Follows a topic, author or section; NOT_FOUND when there is no such thing. */
export async function followTarget(deps: ReaderDeps, readerId: number, target: FollowTarget): Promise<void> {
  if (!(await describeTarget(deps.db, target))) throw new AppError('NOT_FOUND', `No such ${target.kind}`)
  await addFollow(deps.db, readerId, target, deps.clock.now())
}

/** Stops following; unfollowing something not followed does nothing. */
export async function unfollowTarget(
  deps: ReaderDeps,
  readerId: number,
  target: FollowTarget,
): Promise<void> {
  await deps.db
    .deleteFrom('follow')
    .where('reader_id', '=', readerId)
    .where('kind', '=', target.kind)
    .where('target_id', '=', target.targetId)
    .execute()
}

/**
 * Readers of topic `fromId` follow topic `intoId` instead (a topic merge): one follow each,
 * the one they had when they followed both. A sign-in link still to complete a follow of
 * the old topic completes one of the new.
 */
export async function moveTopicFollows(db: Db, fromId: number, intoId: number): Promise<void> {
  await db
    .updateTable('follow')
    .set({ target_id: intoId })
    .where('kind', '=', 'topic')
    .where('target_id', '=', fromId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('follow as other')
            .select('other.id')
            .whereRef('other.reader_id', '=', 'follow.reader_id')
            .where('other.kind', '=', 'topic')
            .where('other.target_id', '=', intoId),
        ),
      ),
    )
    .execute()
  await db.deleteFrom('follow').where('kind', '=', 'topic').where('target_id', '=', fromId).execute()
  await db
    .updateTable('reader_login_token')
    .set({ follow_target_id: intoId })
    .where('follow_kind', '=', 'topic')
    .where('follow_target_id', '=', fromId)
    .execute()
}

/** Everything a reader follows, with names, topics first, then authors, then sections. */
export async function listFollows(db: Db, readerId: number): Promise<Follow[]> {
  const [topics, authors, sections] = await Promise.all([
    db
      .selectFrom('follow')
      .innerJoin('topic', 'topic.id', 'follow.target_id')
      .select(['follow.target_id', 'follow.created_at', 'topic.name', 'topic.slug'])
      .where('follow.reader_id', '=', readerId)
      .where('follow.kind', '=', 'topic')
      .orderBy('topic.name')
      .execute(),
    db
      .selectFrom('follow')
      .innerJoin('user', 'user.id', 'follow.target_id')
      .select(['follow.target_id', 'follow.created_at', 'user.display_name as name', 'user.slug'])
      .where('follow.reader_id', '=', readerId)
      .where('follow.kind', '=', 'author')
      .orderBy('user.display_name')
      .execute(),
    db
      .selectFrom('follow')
      .innerJoin('section', 'section.id', 'follow.target_id')
      .select(['follow.target_id', 'follow.created_at', 'section.name', 'section.slug'])
      .where('follow.reader_id', '=', readerId)
      .where('follow.kind', '=', 'section')
      .orderBy('section.position')
      .execute(),
  ])
  const to = (kind: Follow['kind'], pathOf: (slug: string) => string) => (row: (typeof topics)[number]) => ({
    kind,
    targetId: row.target_id,
    name: row.name,
    path: pathOf(row.slug),
    createdAt: toDate(row.created_at),
  })
  return [
    ...topics.map(to('topic', (slug) => `/topic/${slug}`)),
    ...authors.map(to('author', (slug) => `/author/${slug}`)),
    ...sections.map(to('section', (slug) => `/${slug}`)),
  ]
}

/** What a reader follows as "kind:id" keys, to mark Follow buttons on a page. */
export async function listFollowKeys(db: Db, readerId: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom('follow')
    .select(['kind', 'target_id'])
    .where('reader_id', '=', readerId)
    .execute()
  return new Set(rows.map((r) => followKey({ kind: r.kind, targetId: r.target_id })))
}
