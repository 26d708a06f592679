import { createHash } from 'node:crypto'
import { isAppError } from '../../platform/app-error.js'
import type { Logger } from '../../platform/logger.js'
import type { HeroInput } from '../articles/index.js'
import { findMediaById, storeImage, type MediaItem } from '../media/index.js'
import { enqueueJob } from '../queue/index.js'
import type { ItemContext } from './ingest-item.js'
import type { PictureRead } from './ports.js'
import type { WireItem } from './wire-item.js'
import { choosePicture, heroTextsOf, type HeroTexts, type PictureBase } from './wire-pictures.js'
import { NO_PICTURE, type PictureRecord, type StoredWireRow } from './wire-queries.js'
import type { IngestOutcome } from './wire-source.js'
import { redactUrl } from './wire-source-service.js'
import type { IngestInput, PreparedDocument, WireDeps } from './wire-service.js'

/** The persisted job that fetches a wire picture at an http(s) URL and makes it the hero. */
export const WIRE_PICTURE_JOB = 'wire.picture'

/** What the picture job is given: the story, the picture's URL and the texts it brings. */
export interface PictureJobPayload extends HeroTexts {
  agencyKey: string
  guid: string
  href: string
  /** The source whose private-network allowance applies; null without one (public addresses only). */
  sourceId: number | null
}

/**
 * A wire picture stored in the library, or why not; `retryable` when the image was fine but
 * storing it failed (the media store did not answer), so the picture job tries again.
 */
export type FilePicture =
  { ok: true; media: MediaItem; texts: HeroTexts } | { ok: false; reason: string; retryable?: boolean }

/** The file pictures of a batch, by the item that offered each. */
export type FilePictures = Map<WireItem, FilePicture>

export function pictureBaseOf(input: IngestInput): PictureBase {
  return { documentUrl: input.documentUrl, besideFile: input.readPicture !== undefined }
}

/**
 * Reads and stores the pictures items name beside their delivered file. It runs before the
 * batch's transaction, so the image work (decoding, stripping, re-encoding) never holds the
 * database's write lock, and while the file is still where it was delivered (a watch folder
 * moves it afterwards). A photo whose item turns out a duplicate or held stays in the
 * library unused; the same bytes stored again are the same library item.
 */
export async function storeFilePictures(
  deps: WireDeps,
  documents: readonly PreparedDocument[],
): Promise<FilePictures> {
  const pictures: FilePictures = new Map()
  for (const { input, parsed } of documents) {
    if (!parsed.ok || !input.readPicture) continue
    for (const entry of parsed.entries) {
      if (entry.kind !== 'item' || entry.item.withdrawn) continue
      const choice = choosePicture(entry.item.pictures, pictureBaseOf(input))
      if (choice.kind !== 'chosen' || choice.address.kind !== 'file') continue
      const texts = heroTextsOf(choice.candidate, entry.item.headline)
      const path = choice.address.path
      // A picture that cannot be read never stops its story, whatever the reader ran into.
      const read = await input.readPicture(path).catch((error: unknown): PictureRead => ({
        ok: false,
        reason: `${path} could not be read (${errorText(error)})`,
      }))
      const picture = read.ok
        ? await storePicture(deps, read.bytes, texts, input.source?.name ?? '', path)
        : read
      if (!picture.ok)
        deps.logger.info({ origin: input.origin, reason: picture.reason }, 'wire picture refused')
      pictures.set(entry.item, picture)
    }
  }
  return pictures
}

/** Stores a wire picture through the media library's checks; a refusal names the picture and the fault. */
export async function storePicture(
  deps: Pick<WireDeps, 'media' | 'logger'>,
  bytes: Uint8Array,
  texts: HeroTexts,
  agencyKey: string,
  what: string,
): Promise<FilePicture> {
  try {
    const { alt, caption, credit } = texts
    const media = await storeImage(deps.media, bytes, {
      alt,
      caption,
      credit,
      origin: `wire:${agencyKey || 'ingest'}`,
    })
    return { ok: true, media, texts: { alt, caption, credit } }
  } catch (error) {
    const refusal = imageRefusal(what, error)
    if (refusal !== undefined) return { ok: false, reason: refusal }
    // Best effort: the story goes on without its picture; the log has the cause.
    logFailure(deps.logger, what, error)
    return { ok: false, reason: `${what} could not be stored (${errorText(error)})`, retryable: true }
  }
}

/** The media library's refusal of an image (not an image, cut short, too large), as one sentence. */
export function imageRefusal(what: string, error: unknown): string | undefined {
  if (!isAppError(error) || (error.code !== 'INVALID_INPUT' && error.code !== 'PAYLOAD_TOO_LARGE'))
    return undefined
  const problem = error.details?.problems?.[0]?.message ?? error.message
  return `${what} ${problem}`
}

function logFailure(logger: Logger, what: string, error: unknown): void {
  logger.warn({ err: error, picture: what }, 'wire picture could not be stored')
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200)
}

/** What one applied version does with its picture. */
export interface PictureTake {
  record: PictureRecord
  /** Set as the hero together with this version's article change. */
  hero?: HeroInput
  /** A fetch to queue with the version's row. */
  fetch?: PictureJobPayload
  note?: IngestOutcome['picture']
}

export interface StoryHero {
  /** Every version of the story stored so far. */
  stored: readonly StoredWireRow[]
  /** The story's hero is still as the wire left it (or it has none), so the wire may set it. */
  heroAllowed: boolean
  currentHeroId: number | null
}

const EDITOR_HERO = "an editor chose the story's hero; the agency's picture is left out"

/**
 * Decides a version's picture: none; refused with its reason; a file picture stored
 * before the transaction, set as the hero now; an http(s) picture queued for the fetch
 * job, unless an earlier version of the story already offered the same URL (its fetch,
 * or its photo, serves this one too). An editor's hero is never replaced.
 */
export async function takePicture(context: ItemContext, item: WireItem, t: StoryHero): Promise<PictureTake> {
  const choice = choosePicture(item.pictures, pictureBaseOf(context.input))
  if (choice.kind === 'none') return { record: NO_PICTURE }
  if (choice.kind === 'refused') return refused(choice.href, choice.reason)
  const { candidate, address } = choice
  if (address.kind === 'file') {
    const file = context.filePictures.get(item) ?? { ok: false, reason: `${address.path} was not read` }
    if (!file.ok) return refused(address.path, file.reason)
    const record: PictureRecord = { href: address.path, status: 'stored', reason: '', mediaId: file.media.id }
    return useStored(record, file.media, file.texts, t, address.path)
  }
  const url = address.url
  const texts = heroTextsOf(candidate, item.headline)
  const earlier = t.stored.findLast(
    (s) =>
      s.picture.href === url &&
      (s.picture.status === 'pending' ||
        s.picture.status === 'refused' ||
        (s.picture.status === 'stored' && s.picture.mediaId !== null)),
  )
  if (earlier?.picture.status === 'stored' && earlier.picture.mediaId !== null) {
    const media = await findMediaById(context.deps.db, earlier.picture.mediaId)
    if (media) return useStored({ ...earlier.picture }, media, texts, t, redactUrl(url))
  } else if (earlier) return { record: { ...earlier.picture } }
  if (!t.heroAllowed)
    return {
      record: { ...NO_PICTURE, href: url, status: 'skipped', reason: EDITOR_HERO },
      note: skippedNote(),
    }
  return {
    record: { href: url, status: 'pending', reason: '', mediaId: null },
    fetch: {
      agencyKey: context.agencyKey,
      guid: item.guid,
      href: url,
      sourceId: context.input.source?.id ?? null,
      ...texts,
    },
    note: { status: 'queued', detail: redactUrl(url) },
  }
}

function useStored(
  record: PictureRecord,
  media: MediaItem,
  texts: HeroTexts,
  t: StoryHero,
  shown: string,
): PictureTake {
  if (!t.heroAllowed)
    return { record: { ...record, status: 'skipped', reason: EDITOR_HERO }, note: skippedNote() }
  if (t.currentHeroId === media.id) return { record }
  return { record, hero: heroInputOf(media, texts), note: { status: 'set', detail: shown } }
}

function refused(href: string, reason: string): PictureTake {
  return {
    record: { href, status: 'refused', reason: reason.slice(0, 1000), mediaId: null },
    note: { status: 'refused', detail: reason },
  }
}

function skippedNote(): IngestOutcome['picture'] {
  return { status: 'skipped', detail: EDITOR_HERO }
}

/** A stored photo as a story's hero, with the texts the agency gave it. */
export function heroInputOf(media: MediaItem, texts: HeroTexts): HeroInput {
  const { alt, caption, credit } = texts
  return { src: media.src, width: media.width, height: media.height, alt, caption, credit }
}

/**
 * Queues the picture's fetch, if any, in the item's transaction: one job per story version
 * and URL, so a re-run of the same version queues none, while a later version that must
 * fetch the URL again (its photo was deleted from the library, say) gets a job of its own.
 */
export async function queuePictureFetch(
  context: ItemContext,
  take: PictureTake,
  version: number,
): Promise<void> {
  const payload = take.fetch
  if (!payload) return
  const key = createHash('sha256').update(
    `${payload.agencyKey}\n${payload.guid}\n${version}\n${payload.href}`,
  )
  const now = context.deps.clock.now()
  await enqueueJob(
    context.deps.db,
    { type: WIRE_PICTURE_JOB, payload, runAt: now, dedupeKey: `${WIRE_PICTURE_JOB}:${key.digest('hex')}` },
    now,
  )
}

/** The outcome, with what became of the picture when anything new did. */
export function withPicture(outcome: IngestOutcome, take: PictureTake): IngestOutcome {
  return take.note ? { ...outcome, picture: take.note } : outcome
}
