import { AppError, assertNoProblems, problemsError, type FieldProblem } from '../../platform/app-error.js'
import { inTransaction, type Db } from '../../platform/database.js'
import { isValidSlug, slugify } from '../../platform/slug.js'
import { cleanText } from '../../platform/text.js'
import type { TopicLinks } from './ports.js'
import type { Topic, TopicRef } from './taxonomy.js'
import type { TaxonomyDeps } from './taxonomy-service.js'
import {
  deleteAliases,
  deleteTopicRow,
  findOwnTopic,
  findTopicRef,
  findTopicRefs,
  insertAliases,
  listAliasNames,
  listAliases,
  lockTopics,
  moveAliases,
  updateTopicRow,
} from './taxonomy-queries.js'

/** Editing and merging topics: TaxonomyDeps, the dialect (to hold rows) and what other modules link to topics. */
export interface TopicEditDeps extends TaxonomyDeps {
  dialect: 'sqlite' | 'postgres'
  links: TopicLinks
}

export interface UpdateTopicInput {
  name?: string | undefined
  /** Where the topic's page lives; when left out it follows a new name, or stays. */
  slug?: string | undefined
  /** Every alias the topic is to have: those left out are removed. Left out, they stay. */
  aliases?: string[] | undefined
}

interface Alias {
  slug: string
  name: string
}

/**
 * Renames a topic or changes its aliases. A new name moves the slug to the name's (unless
 * a slug is given), and the old slug stays as an alias named as the topic was, so its page
 * redirects and agencies' old spelling still lands here. An alias another topic already
 * answers to is a CONFLICT naming that topic: merge the two instead.
 */
export async function updateTopic(
  deps: TopicEditDeps,
  slug: string,
  input: UpdateTopicInput,
): Promise<Topic> {
  const edit = checkTopicFields(input)
  return inTransaction(deps.db, async (trx) => {
    const [topic] = await holdTopics(trx, deps.dialect, [await getTopic(trx, slug)])
    const newSlug = edit.slug ?? (edit.name === undefined ? topic.slug : slugify(edit.name))
    const moves = newSlug !== topic.slug
    const current = await listAliases(trx, topic.id)
    const asked = edit.aliases && sameRows(edit.aliases, current)
    await assertUnclaimed(trx, topic.id, [
      ...(moves
        ? [{ field: edit.slug ? 'slug' : 'name', text: edit.slug ?? edit.name!, slug: newSlug }]
        : []),
      ...(asked ?? []).map((alias, i) => ({ field: `aliases/${i}`, text: alias.name, slug: alias.slug })),
    ])
    const wanted = [...(asked ?? current), ...(moves ? [{ slug: topic.slug, name: topic.name }] : [])]
    const { removed, added } = aliasChanges(current, wanted, newSlug)
    const change = async () => {
      const updated = await updateTopicRow(trx, topic.id, { slug: newSlug, name: edit.name ?? topic.name })
      await deleteAliases(
        trx,
        topic.id,
        removed.map((a) => a.slug),
      )
      await insertAliases(trx, topic.id, added)
      return updated
    }
    // The wire fingerprints stories' topics by slug: only a slug that moves changes them.
    const updated = moves ? await deps.links.retagStories(trx, topic.id, change) : await change()
    await deps.events.append(trx, {
      type: 'topic.changed',
      payload: {
        topicId: topic.id,
        // Its stories' search summaries carry its name: the index takes them in again.
        ...(edit.name !== undefined && edit.name !== topic.name && { renamed: true }),
        ...(moves && { previousSlug: topic.slug }),
      },
    })
    return { ...updated, aliases: await listAliasNames(trx, topic.id) }
  })
}

export interface MergeTopicsInput {
  /** The topic that stays, by its slug or an alias. */
  into: string
  /** The topic merged into it and deleted, by its own slug. */
  from: string
}

/**
 * Merges one topic into another in one transaction: its stories move (a story filed under
 * both keeps one link, at the earlier of the two places), its readers follow the other
 * topic, and its name and aliases become the other's aliases, so its page redirects there
 * and the wire's spellings of it land there from now on.
 */
export async function mergeTopics(deps: TopicEditDeps, input: MergeTopicsInput): Promise<Topic> {
  if (input.from === input.into) throw invalid('from', 'is the topic merged into; name another topic')
  return inTransaction(deps.db, async (trx) => {
    const found = await getTopic(trx, input.into)
    const [into, from] = await holdTopics(trx, deps.dialect, [
      found,
      await getMergedTopic(trx, input.from, found),
    ])
    await deps.links.retagStories(trx, from.id, () => deps.links.moveLinks(trx, from.id, into.id))
    await moveAliases(trx, from.id, into.id)
    await deleteTopicRow(trx, from.id)
    await insertAliases(trx, into.id, [{ slug: from.slug, name: from.name }])
    await deps.events.append(trx, {
      type: 'topic.changed',
      payload: { topicId: into.id, mergedTopicId: from.id, mergedSlug: from.slug },
    })
    return { ...into, aliases: await listAliasNames(trx, into.id) }
  })
}

interface CleanTopicEdit {
  name?: string
  slug?: string
  aliases?: Alias[]
}

/** A topic's fields as given to create or edit it, cleaned, or INVALID_INPUT naming every field at fault. */
export function checkTopicFields(input: UpdateTopicInput): CleanTopicEdit {
  if (input.name === undefined && input.slug === undefined && input.aliases === undefined)
    throw invalid('body', 'nothing to change: give a name, a slug or aliases')
  const problems: FieldProblem[] = []
  const edit: CleanTopicEdit = {}
  if (input.name !== undefined) {
    edit.name = cleanText(input.name)
    if (edit.name === '' || edit.name.length > 80)
      problems.push({ field: 'name', message: 'must be 1-80 characters' })
    else if (input.slug === undefined && slugify(edit.name) === '')
      problems.push({ field: 'name', message: 'must contain a letter or a digit' })
  }
  if (input.slug !== undefined) {
    edit.slug = input.slug
    if (!isValidSlug(input.slug))
      problems.push({ field: 'slug', message: 'must be lower-case letters, digits and dashes' })
  }
  if (input.aliases !== undefined) {
    edit.aliases = input.aliases.map((raw, i) => {
      const name = cleanText(raw)
      if (name.length > 80) problems.push({ field: `aliases/${i}`, message: 'must be at most 80 characters' })
      else if (slugify(name) === '')
        problems.push({ field: `aliases/${i}`, message: 'must contain a letter or a digit' })
      return { slug: slugify(name), name }
    })
  }
  assertNoProblems(problems)
  return edit
}

/** Aliases asked for, taking the stored row of one named exactly so (its slug may be older than the rule). */
function sameRows(asked: readonly Alias[], current: readonly Alias[]): Alias[] {
  return asked.map((alias) => current.find((c) => c.name === alias.name) ?? alias)
}

/** The alias rows to delete and to insert so a topic at `slug` has those wanted (one per slug, none its own). */
function aliasChanges(
  current: readonly Alias[],
  wanted: readonly Alias[],
  slug: string,
): { removed: Alias[]; added: Alias[] } {
  const seen = new Set<string>([slug])
  const aliases = wanted.filter((a) => !seen.has(a.slug) && seen.add(a.slug))
  const same = (a: Alias, b: Alias) => a.slug === b.slug && a.name === b.name
  return {
    removed: current.filter((c) => !aliases.some((a) => same(a, c))),
    added: aliases.filter((a) => !current.some((c) => same(a, c))),
  }
}

/** CONFLICT when another topic already answers to one of these slugs, naming that topic for each field. */
async function assertUnclaimed(
  trx: Db,
  topicId: number,
  wanted: readonly { field: string; text: string; slug: string }[],
): Promise<void> {
  const owners = await findTopicRefs(
    trx,
    wanted.map((w) => w.slug),
  )
  const problems = wanted.flatMap(({ field, text, slug }) => {
    const owner = owners.get(slug)
    if (!owner || owner.id === topicId) return []
    return [
      {
        field,
        message: `"${text}" already names topic "${owner.name}" (${owner.slug}); merge the two instead`,
      },
    ]
  })
  if (problems.length > 0) throw problemsError('CONFLICT', problems)
}

const invalid = (field: string, message: string) => problemsError('INVALID_INPUT', [{ field, message }])

async function getTopic(trx: Db, slug: string): Promise<TopicRef> {
  const topic = await findTopicRef(trx, slug)
  if (!topic) throw new AppError('NOT_FOUND', `No topic "${slug}"`)
  return topic
}

/** The topic a merge deletes: named by its own slug, never by an alias, so no topic goes by mistake. */
async function getMergedTopic(trx: Db, slug: string, into: TopicRef): Promise<TopicRef> {
  const own = await findOwnTopic(trx, slug)
  if (own && own.id !== into.id) return own
  const owner = own ?? (await findTopicRef(trx, slug))
  if (!owner) throw new AppError('NOT_FOUND', `No topic "${slug}"`)
  if (owner.id === into.id) throw invalid('from', `"${slug}" is already topic "${into.name}" (${into.slug})`)
  throw invalid('from', `"${slug}" is an alias of topic "${owner.name}" (${owner.slug}); merge that topic`)
}

/**
 * Topics held until the transaction ends, as they are once held: CONFLICT for one merged
 * away meanwhile (PostgreSQL; SQLite serialises writers, so nothing changes in between).
 */
async function holdTopics<const T extends readonly TopicRef[]>(
  trx: Db,
  dialect: 'sqlite' | 'postgres',
  topics: T,
): Promise<{ [K in keyof T]: TopicRef }> {
  const held = await lockTopics(trx, topics, dialect)
  return topics.map((topic) => {
    const now = held.get(topic.id)
    if (!now) throw new AppError('CONFLICT', `Topic "${topic.slug}" was merged meanwhile; try again`)
    return now
  }) as { [K in keyof T]: TopicRef }
}
