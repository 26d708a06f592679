import { sql } from '#kysely'
import { insertRows, statementChunks, type Db } from '../../platform/database.js'
import type { Section, Topic, TopicRef } from './taxonomy.js'

export async function listSections(db: Db): Promise<Section[]> {
  return db.selectFrom('section').selectAll().orderBy('position').orderBy('name').execute()
}

export async function findSectionBySlug(db: Db, slug: string): Promise<Section | undefined> {
  return db.selectFrom('section').selectAll().where('slug', '=', slug).executeTakeFirst()
}

/** Sections by slug, many at once. */
export async function findSectionsBySlug(db: Db, slugs: readonly string[]): Promise<Map<string, Section>> {
  const unique = [...new Set(slugs)]
  const rows =
    unique.length === 0
      ? []
      : await db.selectFrom('section').selectAll().where('slug', 'in', unique).execute()
  return new Map(rows.map((row) => [row.slug, row]))
}

export async function findSectionById(db: Db, id: number): Promise<Section | undefined> {
  return db.selectFrom('section').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertSection(db: Db, input: Omit<Section, 'id'>): Promise<Section> {
  const row = await db.insertInto('section').values(input).returningAll().executeTakeFirstOrThrow()
  return row
}

export async function updateSectionRow(
  db: Db,
  id: number,
  changes: Partial<Omit<Section, 'id'>>,
): Promise<Section> {
  return db.updateTable('section').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

/** Finds a topic by its own slug or by one of its aliases. */
export async function findTopicBySlug(db: Db, slug: string): Promise<Topic | undefined> {
  const topic = await findTopicRef(db, slug)
  return topic && { ...topic, aliases: await listAliasNames(db, topic.id) }
}

/** A topic by its own slug or an alias, without loading its aliases. */
export async function findTopicRef(db: Db, slug: string): Promise<TopicRef | undefined> {
  return (await findTopicRefs(db, [slug])).get(slug)
}

/**
 * Topics by their own slug or an alias, for many slugs at once (two queries): a topic's own
 * slug wins over another topic's alias, as in findTopicRef.
 */
export async function findTopicRefs(db: Db, slugs: readonly string[]): Promise<Map<string, TopicRef>> {
  const found = new Map<string, TopicRef>()
  for (const chunk of statementChunks(slugs, 1)) {
    const rows = await db
      .selectFrom('topic')
      .select(['id', 'slug', 'name'])
      .where('slug', 'in', chunk)
      .execute()
    for (const row of rows) found.set(row.slug, row)
  }
  const rest = slugs.filter((slug) => !found.has(slug))
  for (const chunk of statementChunks(rest, 1)) {
    const rows = await db
      .selectFrom('topic_alias')
      .innerJoin('topic', 'topic.id', 'topic_alias.topic_id')
      .select(['topic_alias.slug as alias', 'topic.id', 'topic.slug', 'topic.name'])
      .where('topic_alias.slug', 'in', chunk)
      .execute()
    for (const { alias, ...topic } of rows) found.set(alias, topic)
  }
  return found
}

export async function listAliasNames(db: Db, topicId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('topic_alias')
    .select('name')
    .where('topic_id', '=', topicId)
    .orderBy('name')
    .execute()
  return rows.map((r) => r.name)
}

export async function listTopics(db: Db, options: { limit: number; offset: number }): Promise<Topic[]> {
  const rows = await db
    .selectFrom('topic')
    .selectAll()
    .orderBy('name')
    .limit(options.limit)
    .offset(options.offset)
    .execute()
  return Promise.all(rows.map(async (row) => ({ ...row, aliases: await listAliasNames(db, row.id) })))
}

export async function insertTopic(db: Db, input: { slug: string; name: string }): Promise<Topic> {
  const row = await db.insertInto('topic').values(input).returningAll().executeTakeFirstOrThrow()
  return { ...row, aliases: [] }
}

/** Inserts topics in one statement per chunk; returned by slug (RETURNING order is not guaranteed). */
export async function insertTopics(
  db: Db,
  topics: readonly { slug: string; name: string }[],
): Promise<Map<string, TopicRef>> {
  const inserted = new Map<string, TopicRef>()
  for (const chunk of statementChunks(topics, 2)) {
    const rows = await db.insertInto('topic').values(chunk).returning(['id', 'slug', 'name']).execute()
    for (const row of rows) inserted.set(row.slug, row)
  }
  return inserted
}

export async function insertAliases(
  db: Db,
  topicId: number,
  aliases: readonly { slug: string; name: string }[],
): Promise<void> {
  await insertRows(
    db,
    'topic_alias',
    aliases.map((alias) => ({ topic_id: topicId, ...alias })),
  )
}

/**
 * Topics whose name or one of whose aliases contains the words typed ("Trump" finds
 * "Donald Trump" by its alias), names that start with them first.
 */
export async function searchTopics(db: Db, query: string, limit: number): Promise<Topic[]> {
  const q = query.trim().toLowerCase()
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`)
  const contains = `%${escaped}%`
  const rows = await db
    .selectFrom('topic')
    .selectAll()
    .where((eb) =>
      eb.or([
        sql<boolean>`lower(topic.name) like ${contains} escape '\\'`,
        eb.exists(
          eb
            .selectFrom('topic_alias')
            .select('topic_alias.slug')
            .whereRef('topic_alias.topic_id', '=', 'topic.id')
            .where(sql<boolean>`lower(topic_alias.name) like ${contains} escape '\\'`),
        ),
      ]),
    )
    .orderBy(sql`lower(topic.name) like ${`${escaped}%`} escape '\\'`, 'desc')
    .orderBy('topic.name')
    .limit(limit)
    .execute()
  return Promise.all(rows.map(async (row) => ({ ...row, aliases: await listAliasNames(db, row.id) })))
}

/** A topic by its own slug only (not an alias): what a merge takes from. */
export async function findOwnTopic(db: Db, slug: string): Promise<TopicRef | undefined> {
  return db.selectFrom('topic').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst()
}

/**
 * Holds topics against concurrent writers until the transaction ends, and reads them again
 * as they are once held (PostgreSQL; SQLite serialises writers anyway, so there the topics
 * come back as given). A story saved meanwhile with one of them waits, so a merge sees every
 * story filed under the topic it deletes. In id order, so two merges cannot deadlock. A topic
 * deleted before it could be held is missing from the answer.
 */
export async function lockTopics(
  db: Db,
  topics: readonly TopicRef[],
  dialect: 'sqlite' | 'postgres',
): Promise<Map<number, TopicRef>> {
  if (dialect !== 'postgres') return new Map(topics.map((t) => [t.id, t]))
  const rows = await db
    .selectFrom('topic')
    .select(['id', 'slug', 'name'])
    .where(
      'id',
      'in',
      topics.map((t) => t.id),
    )
    .orderBy('id')
    .forUpdate()
    .execute()
  return new Map(rows.map((row) => [row.id, row]))
}

export async function listAliases(db: Db, topicId: number): Promise<{ slug: string; name: string }[]> {
  return db
    .selectFrom('topic_alias')
    .select(['slug', 'name'])
    .where('topic_id', '=', topicId)
    .orderBy('name')
    .execute()
}

export async function updateTopicRow(
  db: Db,
  id: number,
  changes: { slug: string; name: string },
): Promise<TopicRef> {
  return db
    .updateTable('topic')
    .set(changes)
    .where('id', '=', id)
    .returning(['id', 'slug', 'name'])
    .executeTakeFirstOrThrow()
}

export async function deleteAliases(db: Db, topicId: number, slugs: readonly string[]): Promise<void> {
  for (const chunk of statementChunks(slugs, 1)) {
    await db.deleteFrom('topic_alias').where('topic_id', '=', topicId).where('slug', 'in', chunk).execute()
  }
}

/** Gives one topic's aliases to another (a merge). */
export async function moveAliases(db: Db, fromId: number, intoId: number): Promise<void> {
  await db.updateTable('topic_alias').set({ topic_id: intoId }).where('topic_id', '=', fromId).execute()
}

export async function deleteTopicRow(db: Db, id: number): Promise<void> {
  await db.deleteFrom('topic').where('id', '=', id).execute()
}
