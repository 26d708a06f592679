import { toDate, type Db } from '../../platform/database.js'
import type { WireItem } from './wire-item.js'

/** A held agency version (or held kill notice) as listed for review. */
export interface HeldVersionSummary {
  id: number
  articleId: number
  guid: string
  version: number
  /** What the agency sent: a new version of the text, or a withdrawal of the story. */
  kind: 'version' | 'withdrawal'
  headline: string
  source: string | null
  /** When the agency first filed the story and this version, as it says; null where it did not (or before they were kept). */
  firstCreated: Date | null
  versionCreated: Date | null
  receivedAt: Date
  review: 'accepted' | 'dismissed' | null
  reviewedAt: Date | null
  reviewNote: string
}

export interface HeldVersion extends HeldVersionSummary {
  item: WireItem
}

function held(db: Db) {
  return db
    .selectFrom('wire_item')
    .leftJoin('wire_source', 'wire_source.id', 'wire_item.source_id')
    .select([
      'wire_item.id',
      'wire_item.article_id',
      'wire_item.guid',
      'wire_item.version',
      'wire_item.headline',
      'wire_item.first_created',
      'wire_item.version_created',
      'wire_item.received_at',
      'wire_item.review',
      'wire_item.reviewed_at',
      'wire_item.review_note',
      'wire_item.item',
      'wire_source.name as source_name',
    ])
    .where('wire_item.article_id', 'is not', null)
}

type HeldRow = Awaited<ReturnType<ReturnType<typeof held>['executeTakeFirstOrThrow']>>

function toHeld(row: HeldRow): HeldVersion {
  const item = JSON.parse(row.item) as WireItem
  return {
    id: row.id,
    articleId: row.article_id ?? 0,
    guid: row.guid,
    version: row.version,
    kind: item.withdrawn ? 'withdrawal' : 'version',
    headline: row.headline,
    source: row.source_name,
    firstCreated: toDate(row.first_created),
    versionCreated: toDate(row.version_created),
    receivedAt: toDate(row.received_at),
    review: row.review,
    reviewedAt: toDate(row.reviewed_at),
    reviewNote: row.review_note,
    item,
  }
}

/**
 * Held versions, oldest first: pending ones only (all articles, or one), or every one an
 * article ever had, reviewed included, with `includeReviewed`.
 */
export async function listHeldVersions(
  db: Db,
  options: { articleId?: number | undefined; includeReviewed?: boolean; limit: number },
): Promise<HeldVersionSummary[]> {
  let query = held(db)
  query = options.includeReviewed
    ? query.where((eb) =>
        eb.or([eb('wire_item.status', '=', 'held'), eb('wire_item.review', 'is not', null)]),
      )
    : query.where('wire_item.status', '=', 'held').where('wire_item.reviewed_at', 'is', null)
  if (options.articleId !== undefined) query = query.where('wire_item.article_id', '=', options.articleId)
  const rows = await query
    .orderBy('wire_item.received_at')
    .orderBy('wire_item.id')
    .limit(options.limit)
    .execute()
  return rows.map((row) => {
    const { item: _item, ...summary } = toHeld(row)
    return summary
  })
}

export async function findHeldVersion(db: Db, id: number): Promise<HeldVersion | undefined> {
  const row = await held(db)
    .where('wire_item.id', '=', id)
    .where((eb) => eb.or([eb('wire_item.status', '=', 'held'), eb('wire_item.review', 'is not', null)]))
    .executeTakeFirst()
  return row && toHeld(row)
}

/** Records an editor's decision; an accepted version becomes the applied one for later versions. */
export async function markReviewed(
  db: Db,
  id: number,
  review: {
    review: 'accepted' | 'dismissed'
    by: number
    at: Date
    note: string
    applied?: { status: 'updated' | 'withdrawn'; articleHash: string } | undefined
  },
): Promise<boolean> {
  const result = await db
    .updateTable('wire_item')
    .set({
      review: review.review,
      reviewed_by: review.by,
      reviewed_at: review.at,
      review_note: review.note,
      ...(review.applied && { status: review.applied.status, article_hash: review.applied.articleHash }),
    })
    .where('id', '=', id)
    .where('status', '=', 'held')
    .where('reviewed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
