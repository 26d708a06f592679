import {
  checkNewArticle,
  createCheckedArticles,
  newArticleProblems,
  type CheckedNewArticle,
} from '../articles/index.js'
import { inBulkSavepoint, lockStoriesOf, type BatchItem } from './batch-items.js'
import { deliveryColumns, isEmbargoed, newStoryInput, outcome, WIRE } from './ingest-item.js'
import { pictureBaseOf } from './take-picture.js'
import type { WireItem } from './wire-item.js'
import { choosePicture } from './wire-pictures.js'
import { findStoredStories, insertWireItems } from './wire-queries.js'
import type { WireDeps } from './wire-service.js'
import type { IngestOutcome } from './wire-source.js'
import { articleFingerprint, heroFingerprint } from './wire-versions.js'

/** Below this many fresh stories the bulk step saves nothing over storing them one by one. */
const MIN_BULK = 2

interface FreshItem extends BatchItem {
  story: CheckedNewArticle
}

/**
 * The bulk step of a batch: its fresh stories, created and published together with a
 * handful of multi-row statements instead of some fifteen statements each. Fresh means
 * what ingestItem would simply create and publish: not a withdrawal, a story no version of
 * which is stored, met once in the batch, published now by its source's policy (not
 * embargoed), with fields the article checks accept and no picture to take. It runs in
 * `deps.db`, the batch's transaction, inside its own savepoint: if anything fails (a
 * concurrent writer's unique slug, say), the savepoint rolls back and every item is left
 * to the one-by-one path, which stores or refuses each as it always does.
 * Returns the outcome of each item stored, by item.
 */
export async function storeFreshItems(
  deps: WireDeps,
  items: readonly BatchItem[],
): Promise<Map<WireItem, IngestOutcome>> {
  const candidates = findCandidates(items)
  if (candidates.length < MIN_BULK) return new Map()
  const stories = await lockStoriesOf(deps, candidates)
  const stored = await findStoredStories(deps.db, stories)
  const fresh = candidates.filter((_, i) => !stored.has(stories[i]!.key))
  if (fresh.length < MIN_BULK) return new Map()
  return inBulkSavepoint(deps, 'fresh stories', fresh.length, () => createFresh(deps, fresh))
}

async function createFresh(deps: WireDeps, fresh: FreshItem[]): Promise<Map<WireItem, IngestOutcome>> {
  const articleDeps = { ...deps.articles, db: deps.db }
  const views = await createCheckedArticles(
    articleDeps,
    WIRE,
    fresh.map((f) => f.story),
    { publish: true },
  )
  const receivedAt = deps.clock.now()
  await insertWireItems(
    deps.db,
    fresh.map((f, i) => ({
      ...deliveryColumns(f.context, f, receivedAt),
      version: f.item.version ?? 1,
      articleId: views[i]!.id,
      articleHash: articleFingerprint(views[i]!),
      status: 'created',
      heroHash: heroFingerprint(views[i]!.hero),
    })),
  )
  return new Map(fresh.map((f, i) => [f.item, outcome(f.label, 'created', views[i]!)]))
}

/** The batch's items that may be fresh, before the database is asked which stories it has. */
function findCandidates(items: readonly BatchItem[]): FreshItem[] {
  return items.flatMap((candidate): FreshItem[] => {
    const { context, item } = candidate
    if (!context.publish || item.withdrawn || isEmbargoed(context, item)) return []
    if (choosePicture(item.pictures, pictureBaseOf(context.input)).kind !== 'none') return []
    const story = checkNewArticle(newStoryInput(context, item, undefined))
    return newArticleProblems(story, { publish: true }).length > 0 ? [] : [{ ...candidate, story }]
  })
}
