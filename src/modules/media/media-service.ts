import { AppError, assertNoProblems, type FieldProblem } from '../../platform/app-error.js'
import type { Clock } from '../../platform/clock.js'
import { inTransaction, type Db } from '../../platform/database.js'
import type { Logger } from '../../platform/logger.js'
import { cleanText } from '../../platform/text.js'
import type { EventOutbox } from '../events/index.js'
import { enqueueJob } from '../queue/index.js'
import { contentKey, makeRenditionFiles, MODERN_FORMATS, type RenditionFile } from './make-renditions.js'
import {
  CONTENT_TYPES,
  mediaUrl,
  type ImageFormat,
  type ImageLimits,
  type MediaItem,
  type MediaUse,
} from './media.js'
import {
  deleteMediaRow,
  findMediaById,
  findMediaByKey,
  findMediaUses,
  insertMedia,
  listMedia,
  saveRenditions,
  updateMediaText,
  type MediaFilter,
} from './media-queries.js'
import type { BlobStore } from './ports.js'
import { prepareImage } from './prepare-image.js'

/** What every media use case receives; main/context.ts wires it. */
export interface MediaDeps {
  db: Db
  clock: Clock
  store: BlobStore
  events: EventOutbox
  limits: ImageLimits
  logger: Logger
  /** Called after a renditions job is queued, so the runner starts it now rather than at its next poll. */
  onJobsQueued?: () => void
}

export const MEDIA_RENDITIONS_JOB = 'media.renditions'

export const MAX_ALT_LENGTH = 500
export const MAX_CAPTION_LENGTH = 1000
export const MAX_CREDIT_LENGTH = 200

export interface MediaTextInput {
  alt?: string | undefined
  caption?: string | undefined
  credit?: string | undefined
}

export interface StoreImageInput extends MediaTextInput {
  /** "upload" for the newsroom; wire pictures name their agency, e.g. "wire:acme". */
  origin: string
  /** The type the sender declared; when given it must agree with the content. */
  declaredType?: string | undefined
  uploadedBy?: number | null | undefined
}

function cleanTexts(input: MediaTextInput): { alt?: string; caption?: string; credit?: string } {
  const problems: FieldProblem[] = []
  const clean = (field: string, value: string | undefined, max: number) => {
    if (value === undefined) return undefined
    const text = cleanText(value)
    if (text.length > max) problems.push({ field, message: `must be at most ${max} characters` })
    return text
  }
  const alt = clean('alt', input.alt, MAX_ALT_LENGTH)
  const caption = clean('caption', input.caption, MAX_CAPTION_LENGTH)
  const credit = clean('credit', input.credit, MAX_CREDIT_LENGTH)
  assertNoProblems(problems)
  return {
    ...(alt !== undefined && { alt }),
    ...(caption !== undefined && { caption }),
    ...(credit !== undefined && { credit }),
  }
}

/**
 * Takes in one image from anywhere (the upload route, wire pictures): checks it by its
 * content, strips its metadata, stores the original under its content key, and records
 * it with a queued renditions job in one transaction. The original is usable at once.
 * A failure anywhere leaves no file that this call wrote. The same photo stored again
 * (the same stripped bytes) is the same library item, returned as it is.
 */
export async function storeImage(
  deps: MediaDeps,
  bytes: Uint8Array,
  input: StoreImageInput,
): Promise<MediaItem> {
  const texts = cleanTexts(input)
  const image = await prepareImage(bytes, deps.limits, input.declaredType)
  const key = contentKey(image.bytes, image.format)
  const existed = await deps.store.has(key)
  if (!existed) await deps.store.put(key, image.bytes, image.contentType)
  try {
    const item = await inTransaction(deps.db, async (trx) => {
      const known = await findMediaByKey(trx, key)
      if (known) return { ...(await fillBlankTexts(trx, known, texts)), queued: false }
      const now = deps.clock.now()
      const created = await insertMedia(
        trx,
        {
          src: mediaUrl(key),
          storageKey: key,
          width: image.width,
          height: image.height,
          contentType: image.contentType,
          byteSize: image.bytes.byteLength,
          alt: texts.alt ?? '',
          caption: texts.caption ?? '',
          credit: texts.credit ?? '',
          origin: cleanText(input.origin).slice(0, 100),
          uploadedBy: input.uploadedBy ?? null,
          // An animation keeps its one file: resizing every frame is not worth it.
          renditionStatus: image.animated ? 'none' : 'pending',
        },
        now,
      )
      if (!image.animated) {
        await enqueueJob(
          trx,
          {
            type: MEDIA_RENDITIONS_JOB,
            payload: { mediaId: created.id },
            runAt: now,
            dedupeKey: `${MEDIA_RENDITIONS_JOB}:${created.id}`,
          },
          now,
        )
      }
      return { ...created, queued: !image.animated }
    })
    if (item.queued) deps.onJobsQueued?.()
    const { queued: _queued, ...stored } = item
    return stored
  } catch (error) {
    // Best effort: the row was not written, so nothing refers to the file this call added.
    if (!existed) await deps.store.delete(key).catch(() => undefined)
    throw error
  }
}

/** The same photo again: it stays one library item, taking only texts it did not have. */
async function fillBlankTexts(trx: Db, item: MediaItem, texts: MediaTextInput): Promise<MediaItem> {
  const update = {
    ...(item.alt === '' && texts.alt && { alt: texts.alt }),
    ...(item.caption === '' && texts.caption && { caption: texts.caption }),
    ...(item.credit === '' && texts.credit && { credit: texts.credit }),
  }
  await updateMediaText(trx, item.id, update)
  return { ...item, ...update }
}

export async function getMedia(
  deps: Pick<MediaDeps, 'db'>,
  id: number,
): Promise<MediaItem & { uses: MediaUse[] }> {
  const item = await findMediaById(deps.db, id)
  if (!item) throw new AppError('NOT_FOUND', `No media ${id}`)
  const uses = await findMediaUses(deps.db, [item])
  return { ...item, uses: uses.get(item.id) ?? [] }
}

/** One page of the media library, each photo with the stories that use it. */
export async function searchMedia(
  deps: Pick<MediaDeps, 'db'>,
  filter: MediaFilter,
): Promise<{ items: (MediaItem & { uses: MediaUse[] })[]; total: number }> {
  const { items, total } = await listMedia(deps.db, filter)
  const uses = await findMediaUses(deps.db, items)
  return { items: items.map((item) => ({ ...item, uses: uses.get(item.id) ?? [] })), total }
}

/** Changes a photo's texts wherever it is used; the reader pages that show it are refreshed. */
export async function updateMedia(
  deps: MediaDeps,
  id: number,
  input: MediaTextInput,
): Promise<MediaItem & { uses: MediaUse[] }> {
  const texts = cleanTexts(input)
  await inTransaction(deps.db, async (trx) => {
    const item = await findMediaById(trx, id)
    if (!item) throw new AppError('NOT_FOUND', `No media ${id}`)
    await updateMediaText(trx, id, texts)
    await deps.events.append(trx, { type: 'media.updated', payload: { mediaId: id } })
  })
  return getMedia(deps, id)
}

/**
 * Deletes a photo no story uses, with its files. Refused (CONFLICT, naming the stories)
 * while a story shows it. The row goes first, in its transaction: a crash before the files
 * are removed leaves unreferenced files, never a library item without its image.
 */
export async function deleteMedia(deps: MediaDeps, id: number): Promise<void> {
  const item = await inTransaction(deps.db, async (trx) => {
    const found = await findMediaById(trx, id)
    if (!found) throw new AppError('NOT_FOUND', `No media ${id}`)
    const uses = (await findMediaUses(trx, [found])).get(id) ?? []
    if (uses.length > 0) {
      const named = uses.slice(0, 3).map((u) => `"${u.headline}"`)
      const more = uses.length > 3 ? ` and ${uses.length - 3} more` : ''
      throw new AppError(
        'CONFLICT',
        `The photo is used in ${named.join(', ')}${more}: take it out of ${uses.length === 1 ? 'that story' : 'those stories'} first`,
      )
    }
    await deleteMediaRow(trx, id)
    await deps.events.append(trx, { type: 'media.deleted', payload: { mediaId: id } })
    return found
  })
  const keys = [item.storageKey, ...item.renditions.map((r) => r.key)].filter((k): k is string => k !== null)
  for (const key of keys) {
    await deps.store.delete(key).catch((error: unknown) => {
      deps.logger.warn({ err: error, key }, 'a deleted photo left a file behind')
    })
  }
}

export type RenditionOutcome = 'made' | 'nothing-to-do' | 'missing-original' | 'undecodable'

/**
 * The renditions job's work for one photo. Idempotent: the files are content-addressed,
 * so running it again writes the same keys and the same row.
 */
export async function makeRenditions(deps: MediaDeps, mediaId: number): Promise<RenditionOutcome> {
  const item = await findMediaById(deps.db, mediaId)
  if (!item?.storageKey || item.renditionStatus === 'done' || item.renditionStatus === 'none')
    return 'nothing-to-do'
  const original = await deps.store.get(item.storageKey)
  if (!original) return 'missing-original'
  const format = formatOfType(item.contentType)
  let files: RenditionFile[]
  try {
    files = await makeRenditionFiles(original, format)
  } catch (error) {
    deps.logger.warn({ err: error, mediaId }, 'renditions could not be made; the original stays in use')
    await saveRenditions(deps.db, mediaId, { srcset: '', sources: [], renditions: [], status: 'failed' })
    return 'undecodable'
  }
  for (const file of files) {
    if (!(await deps.store.has(file.key)))
      await deps.store.put(file.key, file.body, CONTENT_TYPES[file.format])
  }
  const renditions = files.map(({ body: _body, ...rendition }) => rendition)
  const srcsetOf = (format: ImageFormat) =>
    renditions
      .filter((r) => r.format === format)
      .map((r) => `${mediaUrl(r.key)} ${r.width}w`)
      .join(', ')
  const modern: readonly ImageFormat[] = MODERN_FORMATS
  const fallback = renditions.find((r) => !modern.includes(r.format))?.format
  const sources = MODERN_FORMATS.map((f) => ({ type: CONTENT_TYPES[f], srcset: srcsetOf(f) })).filter(
    (source) => source.srcset !== '',
  )
  await inTransaction(deps.db, async (trx) => {
    await saveRenditions(trx, mediaId, {
      srcset: fallback ? srcsetOf(fallback) : '',
      sources,
      renditions,
      status: 'done',
    })
    await deps.events.append(trx, { type: 'media.updated', payload: { mediaId } })
  })
  return 'made'
}

function formatOfType(contentType: string): ImageFormat {
  const format = (Object.keys(CONTENT_TYPES) as ImageFormat[]).find((f) => CONTENT_TYPES[f] === contentType)
  return format ?? 'jpeg'
}
