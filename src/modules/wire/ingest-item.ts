import { isAppError, type AppError, type ErrorCode } from '../../platform/app-error.js'
import type { Db } from '../../platform/database.js'
import { MAX_DATELINE_LENGTH } from '../story-text/index.js'
import {
  canonicalPath,
  createArticle,
  findArticleById,
  findArticlePlace,
  isLanguageTag,
  publishView,
  scheduleArticle,
  setEmbargo,
  toArticleView,
  unpublishArticle,
  updateArticle,
  type ArticleDeps,
  type ArticleView,
  type CreateArticleInput,
  type HeroInput,
  type SystemActor,
} from '../articles/index.js'
import { queuePictureFetch, takePicture, withPicture, type FilePictures } from './take-picture.js'
import type { WireItem } from './wire-item.js'
import {
  insertWireItem,
  listStoredVersions,
  lockStory,
  storyKey,
  type NewWireItemRow,
  type StoredWireRow,
} from './wire-queries.js'
import type { IngestOutcome, WireItemStatus } from './wire-source.js'
import type { IngestInput, WireDeps } from './wire-service.js'
import { decideDelivery } from './redelivery.js'
import { articleFingerprint, hasChangedSince, heroFingerprint } from './wire-versions.js'

/** Who the wire's changes are recorded against. */
export const WIRE: SystemActor = { system: 'wire' }

/** A refusal found while storing an item; its savepoint rolls back and it goes to quarantine. */
export class ItemRefused extends Error {}

/** What every item of one document shares while it is stored: deps on the transaction, source, section. */
export interface ItemContext {
  deps: WireDeps
  input: IngestInput
  agencyKey: string
  section: string
  publish: boolean
  /** Pictures read from beside the delivered file before the transaction, by item. */
  filePictures: FilePictures
}

/**
 * One item of a document, stored inside the caller's transaction: the version decision
 * (create, update, hold, ignore), the article change and its wire_item row together.
 */
export async function ingestItem(
  context: ItemContext,
  item: WireItem,
  raw: Uint8Array,
  label: string,
  hash: string,
): Promise<IngestOutcome> {
  const { deps, agencyKey } = context
  const trx = deps.db
  await lockStory(trx, storyKey(agencyKey, item.guid), deps.dialect)
  const stored = await listStoredVersions(trx, agencyKey, item.guid)
  if (item.withdrawn) return withdrawStory(context, { item, raw, label, stored, hash })
  const decision = await decideDelivery(
    trx,
    { version: item.version, contentHash: hash, versionCreated: item.versionCreated, raw },
    stored,
  )
  const articleDeps: ArticleDeps = { ...deps.articles, db: trx }
  const row = deliveryColumns(context, { item, raw, contentHash: hash }, deps.clock.now())

  switch (decision.action) {
    case 'duplicate':
      return { label, status: 'duplicate', ...(await articleRef(trx, lastArticleId(stored))) }
    case 'older':
      return {
        label,
        status: 'older',
        reason: olderReason(item, decision.latest),
        ...(await articleRef(trx, lastArticleId(stored))),
      }
    case 'conflict':
      throw new ItemRefused(decision.reason)
    case 'create':
    case 'update': {
      const applied = stored.filter((s) => s.status !== 'held').at(-1)
      const existing = applied?.articleId == null ? undefined : await findArticleById(trx, applied.articleId)
      if (!applied || !existing) {
        const take = await takePicture(context, item, { stored, heroAllowed: true, currentHeroId: null })
        const live = await fileStory(context, articleDeps, item, take.hero)
        const created = live.view
        await insertWireItem(trx, {
          ...row,
          version: decision.version,
          articleId: created.id,
          articleHash: articleFingerprint(live.view),
          status: 'created',
          picture: take.record,
          heroHash: heroFingerprint(live.view.hero),
        })
        await queuePictureFetch(context, take, decision.version)
        return withPicture(outcome(label, 'created', live.view, live.reason), take)
      }
      return applyVersion(context, articleDeps, {
        row,
        version: decision.version,
        applied,
        stored,
        current: await toArticleView(trx, existing),
        label,
      })
    }
  }
}

interface Withdrawal {
  item: WireItem
  raw: Uint8Array
  label: string
  stored: StoredWireRow[]
  hash: string
}

/**
 * A kill or withhold notice. It applies whatever version number it carries: a story
 * the wire put live and nobody changed comes down (410, with an "unpublished" revision);
 * one an editor changed is left up and the notice is held for an editor to act on.
 */
async function withdrawStory(context: ItemContext, w: Withdrawal): Promise<IngestOutcome> {
  const { deps } = context
  const trx = deps.db
  const articleId = lastArticleId(w.stored)
  if (w.stored.some((s) => s.contentHash === w.hash))
    return { label: w.label, status: 'duplicate', ...(await articleRef(trx, articleId)) }
  const taken = new Set(w.stored.map((s) => s.version))
  const newest = w.stored.reduce((max, s) => Math.max(max, s.version), 0)
  // The notice keeps its own number unless a version of the story already holds it.
  const version = w.item.version !== null && !taken.has(w.item.version) ? w.item.version : newest + 1
  const applied = w.stored.filter((s) => s.status !== 'held').at(-1)
  const store = (status: WireItemStatus, articleHash: string, id: number | null) =>
    insertWireItem(trx, {
      ...deliveryColumns(context, { item: w.item, raw: w.raw, contentHash: w.hash }, deps.clock.now()),
      version,
      articleId: id,
      articleHash,
      status,
      heroHash: applied?.heroHash ?? '',
    })
  const existing = articleId === null ? undefined : await findArticleById(trx, articleId)
  if (!existing) {
    await store('withdrawn', '', null)
    return { label: w.label, status: 'withdrawn', reason: 'no story of ours to withdraw; the notice is kept' }
  }
  const current = await toArticleView(trx, existing)
  if (applied && hasChangedSince(current, applied.articleHash)) {
    await store('held', articleFingerprint(current), current.id)
    await deps.events.append(trx, {
      type: 'wire.version_held',
      articleId: current.id,
      payload: { guid: w.item.guid, version, withdrawn: w.item.withdrawn },
    })
    return outcome(
      w.label,
      'held',
      current,
      `an editor changed the story; the agency's ${w.item.withdrawn} notice is held for review`,
    )
  }
  const articleDeps: ArticleDeps = { ...deps.articles, db: trx }
  const live = current.status === 'published' || current.status === 'scheduled'
  const after = live ? await unpublishArticle(articleDeps, WIRE, current.id) : current
  await store('withdrawn', articleFingerprint(after), current.id)
  await deps.events.append(trx, {
    type: 'wire.withdrawn',
    articleId: current.id,
    payload: { guid: w.item.guid, version, withdrawn: w.item.withdrawn },
  })
  return outcome(
    w.label,
    'withdrawn',
    after,
    live
      ? `the agency ${w.item.withdrawn} the story; it was taken down`
      : `the story was not live (${after.status}); the notice is recorded`,
  )
}

interface VersionToApply {
  row: Omit<NewWireItemRow, 'version' | 'articleId' | 'articleHash' | 'status'>
  version: number
  applied: StoredWireRow
  stored: StoredWireRow[]
  current: ArticleView
  label: string
}

/** A newer version of a story we have: update the article, unless an editor has changed it. */
async function applyVersion(
  context: ItemContext,
  articleDeps: ArticleDeps,
  v: VersionToApply,
): Promise<IngestOutcome> {
  const trx = articleDeps.db
  // The hero as the wire last left it travels on, unless this version sets a new one.
  const store = (status: WireItemStatus, articleHash: string, more: Partial<NewWireItemRow> = {}) =>
    insertWireItem(trx, {
      ...v.row,
      version: v.version,
      articleId: v.current.id,
      articleHash,
      status,
      heroHash: v.applied.heroHash,
      ...more,
    })

  if (hasChangedSince(v.current, v.applied.articleHash)) {
    // The editor's story wins: the agency's version is kept on the wire item for review, not applied.
    await store('held', articleFingerprint(v.current))
    await context.deps.events.append(trx, {
      type: 'wire.version_held',
      articleId: v.current.id,
      payload: { guid: v.row.item.guid, version: v.version },
    })
    return outcome(
      v.label,
      'held',
      v.current,
      `an editor changed the story; agency version ${v.version} is held for review`,
    )
  }
  if (v.row.contentHash === v.applied.contentHash) {
    const live = await goLive(context, articleDeps, v.current, v.row.item)
    await store('unchanged', articleFingerprint(live.view), { picture: v.applied.picture })
    return outcome(v.label, 'unchanged', live.view, live.reason)
  }
  const heroAllowed = heroFingerprint(v.current.hero) === v.applied.heroHash
  const take = await takePicture(context, v.row.item, {
    stored: v.stored,
    heroAllowed,
    currentHeroId: v.current.hero?.id ?? null,
  })
  const updated = await updateArticle(articleDeps, WIRE, v.current.id, {
    ...articleFields(context, v.row.item),
    ...(take.hero && { hero: take.hero }),
    version: v.current.version,
    updateKind: 'substantive',
  })
  const live = await goLive(context, articleDeps, updated, v.row.item)
  await store('updated', articleFingerprint(live.view), {
    picture: take.record,
    ...(take.hero && { heroHash: heroFingerprint(live.view.hero) }),
  })
  await queuePictureFetch(context, take, v.version)
  return withPicture(outcome(v.label, 'updated', live.view, live.reason), take)
}

/** The story fields an item sets, as both a new story and a newer version file them. */
export function articleFields(context: ItemContext, item: WireItem) {
  return {
    headline: item.headline,
    keyPoints: item.keyPoints,
    bodyHtml: item.bodyHtml,
    byline: item.byline,
    sourceCredit: context.input.source?.credit || item.credit,
    topics: item.topics,
    breaking: item.breaking,
    dateline: item.located.slice(0, MAX_DATELINE_LENGTH),
    ...(languageTagOf(item.language) !== undefined && { language: languageTagOf(item.language) }),
  }
}

/** "EN_us" and "en-US" both become "en-US"; anything that is not a language tag is dropped. */
function languageTagOf(language: string): string | undefined {
  const [primary = '', ...rest] = language.trim().replace(/_/g, '-').split('-')
  const tag = [primary.toLowerCase(), ...rest].join('-')
  return isLanguageTag(tag) ? tag : undefined
}

/**
 * A new story from the wire: published as it is created when the policy says so and
 * nothing holds it back, else filed as a draft that goLive embargoes, schedules or explains.
 */
async function fileStory(
  context: ItemContext,
  articleDeps: ArticleDeps,
  item: WireItem,
  hero: HeroInput | undefined,
): Promise<{ view: ArticleView; reason?: string }> {
  const input = newStoryInput(context, item, hero)
  if (context.publish && !isEmbargoed(context, item)) {
    try {
      return { view: await createArticle(articleDeps, WIRE, input, { publish: true }) }
    } catch (error) {
      if (!isAppErrorOf(error, 'ARTICLE_NOT_PUBLISHABLE')) throw error
    }
  }
  return goLive(context, articleDeps, await createArticle(articleDeps, WIRE, input), item)
}

/** The story a new wire item files: its fields, the document's section, no staff author. */
export function newStoryInput(
  context: ItemContext,
  item: WireItem,
  hero: HeroInput | undefined,
): CreateArticleInput {
  return { ...articleFields(context, item), section: context.section, authorIds: [], ...(hero && { hero }) }
}

export function isEmbargoed(
  context: ItemContext,
  item: WireItem,
): item is WireItem & { embargoedUntil: Date } {
  return item.embargoedUntil !== null && item.embargoedUntil.getTime() > context.deps.clock.now().getTime()
}

/**
 * Records the agency's embargo on a draft, and publishes it when the policy says so: at
 * once, or at the embargo time. A story that cannot go live yet (no body, say) stays a
 * draft, and the outcome says why.
 */
async function goLive(
  context: ItemContext,
  articleDeps: ArticleDeps,
  view: ArticleView,
  item: WireItem,
): Promise<{ view: ArticleView; reason?: string }> {
  const embargoed = isEmbargoed(context, item)
  // Recorded on queued drafts too, so no editor picking it up can publish it early.
  if (embargoed && view.status === 'draft' && view.embargoUntil?.getTime() !== item.embargoedUntil.getTime())
    view = await setEmbargo(articleDeps, WIRE, view.id, item.embargoedUntil)
  if (!context.publish || view.status !== 'draft') return { view }
  try {
    if (embargoed) return { view: await scheduleArticle(articleDeps, WIRE, view.id, item.embargoedUntil) }
    return { view: await publishView(articleDeps, WIRE, view) }
  } catch (error) {
    if (isAppErrorOf(error, 'ARTICLE_NOT_PUBLISHABLE'))
      return { view, reason: `not published: ${error.message}` }
    throw error
  }
}

export function outcome(
  label: string,
  status: WireItemStatus,
  view: ArticleView,
  reason?: string,
): IngestOutcome {
  return { label, status, article: refOf(view), ...(reason !== undefined && { reason }) }
}

function refOf(view: ArticleView): NonNullable<IngestOutcome['article']> {
  return { id: view.id, status: view.status, path: canonicalPath(view, view.section.slug) }
}

/** Why a version below the newest taken is ignored. */
export function olderReason(item: WireItem, latest: number): string {
  return `version ${item.version ?? 'of this date'} is older than version ${latest} already taken`
}

/** The story the versions taken of it landed on last, if any. */
export function lastArticleId(stored: readonly StoredWireRow[]): number | null {
  return stored.findLast((s) => s.articleId !== null)?.articleId ?? null
}

/** The story a duplicate or older version belongs to: one read, not a whole view, on the hot path. */
async function articleRef(db: Db, articleId: number | null): Promise<Pick<IngestOutcome, 'article'>> {
  const place = articleId === null ? undefined : await findArticlePlace(db, articleId)
  return place ? { article: place } : {}
}

export function isAppErrorOf(error: unknown, code?: ErrorCode): error is AppError {
  return isAppError(error) && (code === undefined || error.code === code)
}

/** Whose stories a delivery's items are: its source's, by name; '' for items with no source. */
export function agencyKeyOf(input: IngestInput): string {
  return input.source?.name ?? ''
}

/** The columns of an item's wire_item row that are the delivery itself: source, story, content, bytes. */
export function deliveryColumns(
  context: ItemContext,
  delivered: { item: WireItem; raw: Uint8Array; contentHash: string },
  receivedAt: Date,
) {
  return {
    sourceId: context.input.source?.id ?? null,
    agencyKey: context.agencyKey,
    contentHash: delivered.contentHash,
    item: delivered.item,
    raw: delivered.raw,
    receivedAt,
  }
}

/** A document whose context cannot be made (no section to file in) is left to the one-by-one path. */
export async function contextOrNone(
  contextOf: (input: IngestInput) => Promise<ItemContext>,
  input: IngestInput,
): Promise<ItemContext | undefined> {
  try {
    return await contextOf(input)
  } catch (error) {
    if (isAppErrorOf(error)) return undefined
    throw error
  }
}
