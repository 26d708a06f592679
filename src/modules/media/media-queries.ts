import { sql, type Selectable } from '#kysely'
import { toDate, type Db, type MediaTable } from '../../platform/database.js'
import type { ImageSource, MediaItem, MediaUse, Rendition } from './media.js'

type MediaRow = Selectable<MediaTable>

function parseList<T>(json: string): T[] {
  const value: unknown = JSON.parse(json)
  return Array.isArray(value) ? (value as T[]) : []
}

export function toMediaItem(row: MediaRow): MediaItem {
  return {
    id: row.id,
    src: row.src,
    storageKey: row.storage_key,
    width: row.width,
    height: row.height,
    contentType: row.content_type,
    byteSize: row.byte_size,
    srcset: row.srcset,
    sources: parseList<ImageSource>(row.sources),
    renditions: parseList<Rendition>(row.renditions),
    renditionStatus: row.rendition_status,
    alt: row.alt,
    caption: row.caption,
    credit: row.credit,
    origin: row.origin,
    uploadedBy: row.uploaded_by,
    createdAt: toDate(row.created_at),
  }
}

export interface NewMedia {
  src: string
  storageKey: string
  width: number
  height: number
  contentType: string
  byteSize: number
  alt: string
  caption: string
  credit: string
  origin: string
  uploadedBy: number | null
  renditionStatus: 'none' | 'pending'
}

export async function insertMedia(db: Db, media: NewMedia, now: Date): Promise<MediaItem> {
  const row = await db
    .insertInto('media')
    .values({
      src: media.src,
      storage_key: media.storageKey,
      width: media.width,
      height: media.height,
      content_type: media.contentType,
      byte_size: media.byteSize,
      alt: media.alt,
      caption: media.caption,
      credit: media.credit,
      origin: media.origin,
      uploaded_by: media.uploadedBy,
      rendition_status: media.renditionStatus,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toMediaItem(row)
}

export async function findMediaById(db: Db, id: number): Promise<MediaItem | undefined> {
  const row = await db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toMediaItem(row)
}

export async function findMediaByKey(db: Db, storageKey: string): Promise<MediaItem | undefined> {
  const row = await db
    .selectFrom('media')
    .selectAll()
    .where('storage_key', '=', storageKey)
    .executeTakeFirst()
  return row && toMediaItem(row)
}

export interface MediaFilter {
  /** Words to find in the caption, credit or alt text, any case. */
  q?: string | undefined
  limit: number
  offset: number
}

/** Stored photos, newest first; LIKE patterns escape the user's % and _. */
export async function listMedia(db: Db, filter: MediaFilter): Promise<{ items: MediaItem[]; total: number }> {
  let query = db.selectFrom('media').where('storage_key', 'is not', null)
  const q = filter.q?.trim().toLowerCase()
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query = query.where((eb) =>
      eb.or(
        (['caption', 'credit', 'alt'] as const).map(
          (column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
        ),
      ),
    )
  }
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { items: rows.map(toMediaItem), total: Number(count.total) }
}

export interface MediaTextUpdate {
  alt?: string | undefined
  caption?: string | undefined
  credit?: string | undefined
}

export async function deleteMediaRow(db: Db, id: number): Promise<void> {
  await db.deleteFrom('media').where('id', '=', id).execute()
}

export async function updateMediaText(db: Db, id: number, update: MediaTextUpdate): Promise<void> {
  const values = {
    ...(update.alt !== undefined && { alt: update.alt }),
    ...(update.caption !== undefined && { caption: update.caption }),
    ...(update.credit !== undefined && { credit: update.credit }),
  }
  if (Object.keys(values).length === 0) return
  await db.updateTable('media').set(values).where('id', '=', id).execute()
}

export async function saveRenditions(
  db: Db,
  id: number,
  result: { srcset: string; sources: ImageSource[]; renditions: Rendition[]; status: 'done' | 'failed' },
): Promise<void> {
  await db
    .updateTable('media')
    .set({
      srcset: result.srcset,
      sources: JSON.stringify(result.sources),
      renditions: JSON.stringify(result.renditions),
      rendition_status: result.status,
    })
    .where('id', '=', id)
    .execute()
}

/**
 * The stories that show each photo (up to 50 inline uses each): as hero by reference,
 * inline by its address in the body. The inline search reads the bodies once with LIKE
 * for a whole page of the library.
 */
export async function findMediaUses(db: Db, items: MediaItem[]): Promise<Map<number, MediaUse[]>> {
  const uses = new Map<number, MediaUse[]>(items.map((item) => [item.id, []]))
  if (items.length === 0) return uses
  const heroes = await db
    .selectFrom('article')
    .select(['id', 'headline', 'status', 'hero_media_id'])
    .where(
      'hero_media_id',
      'in',
      items.map((i) => i.id),
    )
    .orderBy('id', 'desc')
    .execute()
  for (const row of heroes) {
    if (row.hero_media_id !== null)
      uses
        .get(row.hero_media_id)
        ?.push({ articleId: row.id, headline: row.headline, status: row.status, as: 'hero' })
  }
  // One pass over the bodies for the whole page of photos, not one per photo, and at most
  // 50 stories per photo, counted per photo: one photo in thousands of stories crowds out none.
  const stored = items.filter((item): item is MediaItem & { storageKey: string } => item.storageKey !== null)
  if (stored.length === 0) return uses
  const photos = sql.join(
    stored.map((item) => sql`(cast(${item.id} as integer), cast(${`/media/${item.storageKey}`} as text))`),
  )
  const { rows } = await sql<{ media_id: number | string; id: number; headline: string; status: string }>`
    with photo (media_id, address) as (values ${photos})
    select media_id, id, headline, status from (
      select photo.media_id, article.id, article.headline, article.status,
        row_number() over (partition by photo.media_id order by article.id desc) as n
      from article join photo on article.body_html like '%' || photo.address || '%'
    ) used
    where n <= 50
    order by id desc`.execute(db)
  for (const row of rows)
    uses.get(Number(row.media_id))?.push({
      articleId: Number(row.id),
      headline: row.headline,
      status: row.status,
      as: 'inline',
    })
  return uses
}
