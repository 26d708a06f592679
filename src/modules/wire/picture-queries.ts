import type { Db, WirePictureStatus } from '../../platform/database.js'

/** One story of one agency, as the picture job names it. */
export interface StoryKey {
  agencyKey: string
  guid: string
}

/**
 * What became of a fetched picture, on every version of the story still waiting for it
 * (a newer version offering the same picture waits on the first fetch, not a second).
 */
export async function settlePendingPicture(
  db: Db,
  story: StoryKey,
  href: string,
  outcome: { status: WirePictureStatus; reason: string; mediaId?: number | undefined },
): Promise<void> {
  await db
    .updateTable('wire_item')
    .set({
      picture_status: outcome.status,
      picture_reason: outcome.reason.slice(0, 1000),
      ...(outcome.mediaId !== undefined && { picture_media_id: outcome.mediaId }),
    })
    .where('agency_key', '=', story.agencyKey)
    .where('guid', '=', story.guid)
    .where('picture_href', '=', href)
    .where('picture_status', '=', 'pending')
    .execute()
}

/** Records on one version that its picture became the hero, or why it did not. */
export async function updatePictureRow(
  db: Db,
  id: number,
  update: { status?: WirePictureStatus; reason?: string; heroHash?: string },
): Promise<void> {
  await db
    .updateTable('wire_item')
    .set({
      ...(update.status !== undefined && { picture_status: update.status }),
      ...(update.reason !== undefined && { picture_reason: update.reason.slice(0, 1000) }),
      ...(update.heroHash !== undefined && { hero_hash: update.heroHash }),
    })
    .where('id', '=', id)
    .execute()
}
