import { inTransaction } from '../../platform/database.js'
import { findArticleById, toArticleView, updateArticle } from '../articles/index.js'
import { WIRE } from './ingest-item.js'
import type { MediaItem } from '../media/index.js'
import { settlePendingPicture, updatePictureRow, type StoryKey } from './picture-queries.js'
import type { DocumentFetcher } from './ports.js'
import { heroInputOf, storePicture, type PictureJobPayload } from './take-picture.js'
import { findSourceById, listStoredVersions, lockStory, storyKey } from './wire-queries.js'
import { redactUrl } from './wire-source-service.js'
import type { WireDeps } from './wire-service.js'
import { hasChangedSince, heroFingerprint } from './wire-versions.js'

/** Tries at fetching one picture before it is refused for good (the runner's back-off: about 15 minutes). */
export const PICTURE_FETCH_ATTEMPTS = 6

export interface PictureJobDeps extends WireDeps {
  /** The guarded fetcher with the image size and time limits. */
  fetcher: DocumentFetcher
}

/** How one run went: the runner retries, or gives up keeping the reason. */
export type PictureLanding = { status: 'done' } | { status: 'retry' | 'give_up'; error: string }

/**
 * The picture job's work: fetch the picture (with the source's private-network allowance),
 * store it through the media library's checks, and make it the story's hero. A refusal (a
 * private address, an answer of 404, not an image, too large) is recorded on the waiting
 * versions and not tried again; a fetch that may pass later (no answer, 5xx) is tried
 * again, up to PICTURE_FETCH_ATTEMPTS. Idempotent: the same bytes are the same photo.
 */
export async function landPicture(
  deps: PictureJobDeps,
  payload: PictureJobPayload,
  attempt: number,
): Promise<PictureLanding> {
  const story: StoryKey = { agencyKey: payload.agencyKey, guid: payload.guid }
  const shown = redactUrl(payload.href)
  const source = payload.sourceId === null ? undefined : await findSourceById(deps.db, payload.sourceId)
  const fetched = await deps.fetcher.fetch({
    url: payload.href,
    allowPrivateNetwork: source?.allowPrivateNetwork ?? false,
  })
  if (fetched.status !== 'fetched') {
    const reason = fetched.status === 'failed' ? fetched.reason : `${shown} answered 304 to a plain GET`
    return fail(deps, story, payload.href, attempt, reason, fetched.status === 'failed' && fetched.retryable)
  }
  const stored = await storePicture(deps, fetched.bytes, payload, payload.agencyKey, shown)
  if (!stored.ok) return fail(deps, story, payload.href, attempt, stored.reason, stored.retryable)
  await setHero(deps, story, payload, stored.media)
  return { status: 'done' }
}

/** A failure that may pass is tried again, noted on the waiting versions, until the last try. */
async function fail(
  deps: PictureJobDeps,
  story: StoryKey,
  href: string,
  attempt: number,
  reason: string,
  retryable: boolean | undefined,
): Promise<PictureLanding> {
  if (retryable !== true) return refuse(deps, story, href, reason)
  if (attempt >= PICTURE_FETCH_ATTEMPTS)
    return refuse(deps, story, href, `gave up after ${attempt} tries: ${reason}`)
  await settlePendingPicture(deps.db, story, href, {
    status: 'pending',
    reason: `try ${attempt} of ${PICTURE_FETCH_ATTEMPTS} failed, trying again: ${reason}`,
  })
  return { status: 'retry', error: reason }
}

async function refuse(
  deps: PictureJobDeps,
  story: StoryKey,
  href: string,
  reason: string,
): Promise<PictureLanding> {
  await settlePendingPicture(deps.db, story, href, { status: 'refused', reason })
  deps.logger.warn({ guid: story.guid, picture: redactUrl(href) }, `wire picture refused: ${reason}`)
  return { status: 'give_up', error: reason }
}

/**
 * Makes the stored photo the hero, as a minor revision by the wire (the public Updated
 * time stays), if the story's newest applied version still offers this picture and nobody
 * has changed the story's text or hero since. Otherwise the photo waits in the library.
 */
async function setHero(
  deps: PictureJobDeps,
  story: StoryKey,
  payload: PictureJobPayload,
  media: MediaItem,
): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    await lockStory(trx, storyKey(story.agencyKey, story.guid), deps.dialect)
    await settlePendingPicture(trx, story, payload.href, { status: 'stored', reason: '', mediaId: media.id })
    const latest = (await listStoredVersions(trx, story.agencyKey, story.guid))
      .filter((s) => s.status !== 'held')
      .at(-1)
    if (!latest || latest.picture.href !== payload.href || latest.articleId === null) return
    const article = await findArticleById(trx, latest.articleId)
    if (!article) return
    const current = await toArticleView(trx, article)
    if (hasChangedSince(current, latest.articleHash) || heroFingerprint(current.hero) !== latest.heroHash) {
      await updatePictureRow(trx, latest.id, {
        status: 'skipped',
        reason: 'an editor changed the story before the picture came; it waits in the media library',
      })
      return
    }
    if (current.hero?.id === media.id) return
    const after = await updateArticle({ ...deps.articles, db: trx }, WIRE, current.id, {
      hero: heroInputOf(media, payload),
      version: current.version,
      updateKind: 'minor',
    })
    await updatePictureRow(trx, latest.id, { heroHash: heroFingerprint(after.hero) })
  })
}
