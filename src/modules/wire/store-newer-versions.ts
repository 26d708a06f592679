import {
  checkTextEdit,
  findArticlePlaces,
  findArticleViews,
  saveTextEdits,
  type ArticleView,
  type CheckedTextEdit,
} from '../articles/index.js'
import { inBulkSavepoint, lockStoriesOf, type BatchItem } from './batch-items.js'
import { articleFields, deliveryColumns, lastArticleId, olderReason, outcome, WIRE } from './ingest-item.js'
import { pictureBaseOf } from './take-picture.js'
import type { WireItem } from './wire-item.js'
import { choosePicture } from './wire-pictures.js'
import {
  findStoredVersions,
  insertWireItems,
  NO_PICTURE,
  type NewWireItemRow,
  type StoredWireRow,
} from './wire-queries.js'
import type { WireDeps } from './wire-service.js'
import type { IngestOutcome } from './wire-source.js'
import { decideDeliveries } from './redelivery.js'
import { articleFingerprint, hasChangedSince, type VersionDecision } from './wire-versions.js'

/** Below this many items the step saves nothing over ingestItem. */
const MIN_BULK = 2

interface KnownItem extends BatchItem {
  stored: StoredWireRow[]
  decision: VersionDecision
}

/** A newer version to apply (an edit of the story) or to record as unchanged (no edit). */
interface Applied {
  known: KnownItem
  applied: StoredWireRow
  current: ArticleView
  version: number
  edit?: CheckedTextEdit | undefined
}

/**
 * The bulk step for a batch's items whose story we already have, after the fresh ones
 * (storeFreshItems): a re-delivery (`duplicate`) or an older version is answered from one
 * read of every such story's versions, and newer versions are applied together: the
 * stories' edits saved with saveTextEdits, their wire_item rows in one statement. The
 * outcome, story, revision, event and row of each are those ingestItem gives. Left to
 * ingestItem: kill notices, a story met twice in the batch or never taken, a version
 * refused (same number, other content), held (an editor changed the story), for a story
 * that is still a draft, offering a picture, or whose new headline would move the slug.
 * It runs in `deps.db`, the batch's transaction, inside its own savepoint: if anything
 * fails, the savepoint rolls back and every item goes one by one, as ever.
 * Returns the outcome of each item it stored, by item.
 */
export async function storeNewerVersions(
  deps: WireDeps,
  items: readonly BatchItem[],
  done: ReadonlyMap<WireItem, IngestOutcome>,
): Promise<Map<WireItem, IngestOutcome>> {
  // Not stored yet, and whose story may be known: not kill notices.
  const candidates = items.filter(({ item }) => !done.has(item) && !item.withdrawn)
  if (candidates.length < MIN_BULK) return new Map()
  const stories = await lockStoriesOf(deps, candidates)
  const stored = await findStoredVersions(deps.db, stories)
  const withVersions = candidates.flatMap((candidate, i) => {
    const versions = stored.get(stories[i]!.key)
    return versions ? [{ candidate, versions }] : []
  })
  const decisions = await decideDeliveries(
    deps.db,
    withVersions.map(({ candidate: { item, contentHash, raw }, versions }) => ({
      delivery: { version: item.version, contentHash, versionCreated: item.versionCreated, raw },
      stored: versions,
    })),
  )
  const known = withVersions.map(({ candidate, versions }, i): KnownItem => ({
    ...candidate,
    stored: versions,
    decision: decisions[i]!,
  }))
  if (known.length < MIN_BULK) return new Map()
  return inBulkSavepoint(
    deps,
    'newer versions',
    known.length,
    async () => new Map([...(await answerTaken(deps, known)), ...(await applyNewer(deps, known))]),
  )
}

/** Duplicates and older versions: nothing to store, only the story they belong to to name. */
async function answerTaken(deps: WireDeps, known: KnownItem[]): Promise<Map<WireItem, IngestOutcome>> {
  const taken = known.filter(({ decision }) => decision.action === 'duplicate' || decision.action === 'older')
  const places = await findArticlePlaces(
    deps.db,
    taken.flatMap(({ stored }) => lastArticleId(stored) ?? []),
  )
  return new Map(
    taken.map(({ item, label, stored, decision }) => {
      const articleId = lastArticleId(stored)
      const place = articleId === null ? undefined : places.get(articleId)
      const article = place ? { article: place } : {}
      const answer: IngestOutcome =
        decision.action === 'older'
          ? { label, status: 'older', reason: olderReason(item, decision.latest), ...article }
          : { label, status: 'duplicate', ...article }
      return [item, answer]
    }),
  )
}

/** Newer versions of stories the wire alone has changed: edits saved together, then every row. */
async function applyNewer(deps: WireDeps, known: KnownItem[]): Promise<Map<WireItem, IngestOutcome>> {
  const newer = await findApplicable(deps, known)
  const edits = newer.flatMap(({ edit }) => edit ?? [])
  const edited = edits.length > 0 ? await saveTextEdits({ ...deps.articles, db: deps.db }, WIRE, edits) : []
  const after = new Map(edited.map((view) => [view.id, view]))
  const receivedAt = deps.clock.now()
  const rows: NewWireItemRow[] = []
  const outcomes = new Map<WireItem, IngestOutcome>()
  for (const { known, applied, current, version, edit } of newer) {
    const view = edit ? after.get(current.id)! : current
    const { context, item, label } = known
    rows.push({
      ...deliveryColumns(context, known, receivedAt),
      version,
      articleId: current.id,
      articleHash: articleFingerprint(view),
      status: edit ? 'updated' : 'unchanged',
      // An edit takes no picture (none was offered); an unchanged version keeps the applied one's.
      picture: edit ? NO_PICTURE : applied.picture,
      heroHash: applied.heroHash,
    })
    outcomes.set(item, outcome(label, edit ? 'updated' : 'unchanged', view))
  }
  await insertWireItems(deps.db, rows)
  return outcomes
}

/**
 * The newer versions this step applies: the story as the last applied version left it
 * (its fingerprint unchanged), live or once live (not a draft, which ingestItem may yet
 * publish or embargo), and for a changed text an edit checkTextEdit accepts, with no picture.
 */
async function findApplicable(deps: WireDeps, known: KnownItem[]): Promise<Applied[]> {
  const newer = known.flatMap(({ decision, stored }, i) => {
    if (decision.action !== 'create' && decision.action !== 'update') return []
    const applied = stored.filter((s) => s.status !== 'held').at(-1)
    return applied?.articleId == null ? [] : [{ known: known[i]!, applied, version: decision.version }]
  })
  const views = await findArticleViews(
    deps.db,
    newer.map(({ applied }) => applied.articleId!),
  )
  return newer.flatMap(({ known, applied, version }): Applied[] => {
    const current = views.get(applied.articleId!)
    if (!current || current.status === 'draft') return []
    if (hasChangedSince(current, applied.articleHash)) return []
    if (known.contentHash === applied.contentHash) return [{ known, applied, current, version }]
    const { context, item } = known
    if (choosePicture(item.pictures, pictureBaseOf(context.input)).kind !== 'none') return []
    const input = {
      ...articleFields(context, item),
      version: current.version,
      updateKind: 'substantive' as const,
    }
    const edit = checkTextEdit(current, input)
    return edit ? [{ known, applied, current, version, edit }] : []
  })
}
