/** The shapes the JSON API answers with (see /api/v1/openapi.json); only what the app reads. */

export type Role = 'contributor' | 'editor' | 'admin'
export type ArticleStatus = 'draft' | 'scheduled' | 'published' | 'unpublished'

export interface SessionUser {
  id: number
  email: string
  displayName: string
  role: Role
}

export interface Hero {
  src: string
  width: number
  height: number
  alt: string
  caption: string
  credit: string
}

/** A photo in the media library (GET /media). */
export interface MediaItem {
  id: number
  src: string
  width: number
  height: number
  srcset: string
  renditionStatus: string
  alt: string
  caption: string
  credit: string
  uploadedBy: number | null
  createdAt: string
  uses: { articleId: number; headline: string; status: ArticleStatus; as: 'hero' | 'inline' }[]
}

export interface Article {
  id: number
  slug: string
  url: string
  shortUrl: string
  headline: string
  keyPoints: string[]
  bodyHtml: string
  section: { slug: string; name: string }
  topics: { slug: string; name: string }[]
  authors: { id: number; displayName: string }[]
  byline: string
  sourceCredit: string
  breaking: boolean
  dateline: string
  language: string
  hero: Hero | null
  status: ArticleStatus
  firstPublishedAt: string | null
  publicUpdatedAt: string | null
  scheduledAt: string | null
  version: number
  createdAt: string
  modifiedAt: string
  corrections: { note: string; createdAt: string }[]
  /** Not to be published before this time; null when there is no embargo. */
  embargoUntil: string | null
  /** When it was submitted for review; null when it is not waiting for an editor. */
  submittedAt: string | null
  submittedBy: number | null
  /** The editor's note when it was sent back; empty when none. */
  reviewNote: string
  reviewNoteAt: string | null
}

/** A topic as the picker finds it: by its name or one of its aliases. */
export interface Topic {
  slug: string
  name: string
  aliases: string[]
}

/** A member of staff who can be named as an author: only what the picker needs. */
export interface AuthorName {
  id: number
  displayName: string
}

export type ListName = 'mine' | 'review' | 'scheduled' | 'published' | 'wire'
export type ListCounts = Record<ListName, number>

export interface Section {
  slug: string
  name: string
}

export interface Revision {
  version: number
  userId: number | null
  userName: string | null
  createdAt: string
  kind: string
  changedFields: string[]
  /** For a restore: the version it brought back. */
  restoredFrom: number | null
  /** The story's content at this revision (see comparableOfSnapshot). */
  snapshot: Record<string, unknown>
}

/** Editors and admins may publish; contributors write their own drafts only. */
export function canPublish(role: Role): boolean {
  return role === 'editor' || role === 'admin'
}

/** An agency version (or kill notice) held because the desk changed the story. */
export interface HeldVersion {
  id: number
  articleId: number
  version: number
  kind: 'version' | 'withdrawal'
  headline: string
  source: string | null
  receivedAt: string
  review: 'accepted' | 'dismissed' | null
}

export interface HeldComparison {
  held: HeldVersion & {
    text: { headline: string; keyPoints: string[]; bodyHtml: string; byline: string; topics: string[] }
  }
  current: { id: number; version: number; headline: string }
}
