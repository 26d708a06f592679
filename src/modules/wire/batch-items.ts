import { agencyKeyOf, contextOrNone, type ItemContext } from './ingest-item.js'
import type { WireItem } from './wire-item.js'
import { lockStories, savepoint, storyKey } from './wire-queries.js'
import type { IngestInput, PreparedDocument, WireDeps } from './wire-service.js'
import type { IngestOutcome } from './wire-source.js'

/** An item of a batch with what it needs to be stored: its source's context, bytes and label. */
export interface BatchItem {
  context: ItemContext
  item: WireItem
  raw: Uint8Array
  label: string
  contentHash: string
}

/**
 * The batch's items whose source context is known, each of a story met only once in the
 * batch: the bulk steps leave a story met twice to the one-by-one path, which stores its
 * versions in their order.
 */
export async function itemsMetOnce(
  documents: readonly PreparedDocument[],
  contextOf: (input: IngestInput) => Promise<ItemContext>,
): Promise<BatchItem[]> {
  const seen = new Map<string, number>()
  const items: BatchItem[] = []
  for (const { input, parsed } of documents) {
    if (!parsed.ok) continue
    const entries = parsed.entries.flatMap((entry) => (entry.kind === 'item' ? [entry] : []))
    for (const { item } of entries) {
      const key = storyKey(agencyKeyOf(input), item.guid)
      seen.set(key, (seen.get(key) ?? 0) + 1)
    }
    const context = await contextOrNone(contextOf, input)
    if (!context) continue
    for (const { item, raw, label, contentHash } of entries) {
      items.push({ context, item, raw, label: label === '' ? input.origin : label, contentHash })
    }
  }
  return items.filter((item) => seen.get(storyOf(item).key) === 1)
}

/** A batch item's story: its key, and the agency key and guid the stored versions are found by. */
export function storyOf({ context, item }: BatchItem): { key: string; agencyKey: string; guid: string } {
  return { key: storyKey(context.agencyKey, item.guid), agencyKey: context.agencyKey, guid: item.guid }
}

/** Locks the stories of a bulk step's items for the batch's transaction; returns them in order. */
export async function lockStoriesOf(
  deps: WireDeps,
  items: readonly BatchItem[],
): Promise<ReturnType<typeof storyOf>[]> {
  const stories = items.map(storyOf)
  await lockStories(
    deps.db,
    stories.map((s) => s.key),
    deps.dialect,
  )
  return stories
}

/**
 * Runs a bulk step inside its own savepoint of the batch's transaction: if anything fails
 * (a concurrent writer's unique slug, say), the savepoint rolls back and the step answers
 * nothing, leaving each of its `count` items to the one-by-one path.
 */
export async function inBulkSavepoint(
  deps: WireDeps,
  step: string,
  count: number,
  work: () => Promise<Map<WireItem, IngestOutcome>>,
): Promise<Map<WireItem, IngestOutcome>> {
  await savepoint(deps.db, 'begin', 'wire_bulk')
  try {
    const outcomes = await work()
    await savepoint(deps.db, 'release', 'wire_bulk')
    return outcomes
  } catch (error) {
    await savepoint(deps.db, 'rollback', 'wire_bulk')
    deps.logger.info({ err: error, items: count }, `wire bulk step (${step}) failed; its items go one by one`)
    return new Map()
  }
}
