/** What happened to content; every change writes one in the same transaction (the outbox). */
export type ContentEventType =
  | 'article.created'
  | 'article.updated'
  | 'article.published'
  | 'article.unpublished'
  | 'article.scheduled'
  | 'section.changed'
  | 'topic.changed'
  | 'user.changed'
  | 'wire.version_held'
  | 'media.updated'

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
