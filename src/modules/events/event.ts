/** What happened to content; every change writes one in the same transaction (the outbox). */
export type ContentEventType =
  | 'article.created'
  | 'article.updated'
  | 'article.published'
  | 'article.unpublished'
  | 'article.scheduled'
  | 'article.submitted'
  | 'article.review_withdrawn'
  | 'article.sent_back'
  | 'article.embargo_changed'
  | 'section.changed'
  | 'topic.changed'
  | 'user.changed'
  | 'wire.version_held'
  | 'wire.withdrawn'
  | 'wire.version_reviewed'
  | 'media.updated'
  | 'media.deleted'

export interface ContentEvent {
  id: number
  type: ContentEventType
  articleId: number | null
  payload: Record<string, unknown>
  createdAt: Date
}

export interface NewContentEvent {
  type: ContentEventType
  articleId?: number | null
  payload?: Record<string, unknown>
}

/**
 * Whether an event can change what readers see. Drafts being created and edited,
 * schedules being set and wire versions being held change no public page, and a
 * newsroom busy with wire copy writes many of those; caches of public pages need not
 * drop anything for them. Every other event, including kinds added later, counts.
 */
export function changesPublicPages(event: Pick<ContentEvent, 'type' | 'payload'>): boolean {
  switch (event.type) {
    case 'article.created':
    case 'article.scheduled':
    case 'wire.version_held':
    case 'media.deleted': // only a photo no story shows can be deleted
      return false
    case 'article.updated':
      return event.payload['live'] !== false
    default:
      return true
  }
}
