import { AppError, assertNoProblems, type FieldProblem } from '../../platform/app-error.js'
import { inTransaction, type Db } from '../../platform/database.js'
import type { EventOutbox } from '../events/index.js'
import { isValidSlug, slugify } from '../../platform/slug.js'
import { cleanText } from '../../platform/text.js'
import type { Section, Topic, TopicRef } from './taxonomy.js'
import { RESERVED_SLUGS } from './taxonomy.js'
import { checkTopicFields } from './topic-edits.js'
import {
  findSectionBySlug,
  findTopicBySlug,
  findTopicRefs,
  insertAliases,
  insertSection,
  insertTopic,
  insertTopics,
  updateSectionRow,
} from './taxonomy-queries.js'

export interface TaxonomyDeps {
  db: Db
  events: EventOutbox
}

export interface CreateSectionInput {
  name: string
  slug?: string | undefined
  position?: number | undefined
}

export async function createSection(deps: TaxonomyDeps, input: CreateSectionInput): Promise<Section> {
  const name = cleanText(input.name)
  const slug = input.slug ?? slugify(name)
  const problems: FieldProblem[] = []
  if (name === '' || name.length > 60) problems.push({ field: 'name', message: 'must be 1-60 characters' })
  if (!isValidSlug(slug))
    problems.push({ field: 'slug', message: 'must be lower-case letters, digits and dashes' })
  else if (RESERVED_SLUGS.has(slug))
    problems.push({ field: 'slug', message: `"${slug}" is reserved by the site` })
  assertNoProblems(problems)
  return inTransaction(deps.db, async (trx) => {
    if (await findSectionBySlug(trx, slug))
      throw new AppError('CONFLICT', `A section with slug "${slug}" exists`)
    const section = await insertSection(trx, { name, slug, position: input.position ?? 0 })
    await deps.events.append(trx, { type: 'section.changed', payload: { sectionId: section.id } })
    return section
  })
}

export async function renameSection(deps: TaxonomyDeps, slug: string, name: string): Promise<Section> {
  const clean = cleanText(name)
  assertNoProblems(
    clean === '' || clean.length > 60 ? [{ field: 'name', message: 'must be 1-60 characters' }] : [],
  )
  return inTransaction(deps.db, async (trx) => {
    const section = await findSectionBySlug(trx, slug)
    if (!section) throw new AppError('NOT_FOUND', `No section "${slug}"`)
    const updated = await updateSectionRow(trx, section.id, { name: clean })
    await deps.events.append(trx, { type: 'section.changed', payload: { sectionId: section.id } })
    return updated
  })
}

/**
 * Resolves topic names to topics, creating the missing ones. "Donald Trump" finds the
 * topic whose slug or alias is donald-trump, so agency and editor spellings meet.
 */
export async function resolveTopics(deps: TaxonomyDeps, names: string[]): Promise<TopicRef[]> {
  const [topics = []] = await resolveTopicLists(deps, [names])
  return topics
}

/**
 * resolveTopics for many lists at once (many stories' topics): three queries however
 * many names. A missing topic is created once, named as the first list to mention it.
 */
export async function resolveTopicLists(
  deps: TaxonomyDeps,
  lists: readonly (readonly string[])[],
): Promise<TopicRef[][]> {
  const named = lists.map((names) =>
    names
      .map((raw) => ({ name: cleanText(raw), slug: slugify(cleanText(raw)) }))
      .filter((t) => t.slug !== ''),
  )
  const wanted = new Map<string, string>()
  for (const { slug, name } of named.flat()) if (!wanted.has(slug)) wanted.set(slug, name)
  const found = await findTopicRefs(deps.db, [...wanted.keys()])
  const missing = [...wanted].filter(([slug]) => !found.has(slug)).map(([slug, name]) => ({ slug, name }))
  for (const [slug, topic] of await insertTopics(deps.db, missing)) found.set(slug, topic)
  return named.map((names) => {
    const topics: TopicRef[] = []
    for (const { slug } of names) {
      const topic = found.get(slug)
      if (topic && !topics.some((t) => t.id === topic.id)) topics.push(topic)
    }
    return topics
  })
}

export interface CreateTopicInput {
  name: string
  slug?: string | undefined
  aliases?: string[] | undefined
}

export async function createTopic(deps: TaxonomyDeps, input: CreateTopicInput): Promise<Topic> {
  const edit = checkTopicFields({ name: input.name, slug: input.slug, aliases: input.aliases ?? [] })
  const name = edit.name ?? ''
  const slug = edit.slug ?? slugify(name)
  return inTransaction(deps.db, async (trx) => {
    if (await findTopicBySlug(trx, slug)) throw new AppError('CONFLICT', `A topic or alias "${slug}" exists`)
    const topic = await insertTopic(trx, { slug, name })
    const rows: { slug: string; name: string }[] = []
    for (const alias of edit.aliases ?? []) {
      if (alias.slug === slug || rows.some((row) => row.slug === alias.slug)) continue
      if (await findTopicBySlug(trx, alias.slug))
        throw new AppError('CONFLICT', `Alias "${alias.name}" already names a topic`)
      rows.push(alias)
    }
    await insertAliases(trx, topic.id, rows)
    await deps.events.append(trx, { type: 'topic.changed', payload: { topicId: topic.id } })
    return { ...topic, aliases: rows.map((row) => row.name) }
  })
}
