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
  hero: Hero | null
  status: ArticleStatus
  firstPublishedAt: string | null
  publicUpdatedAt: string | null
  scheduledAt: string | null
  version: number
  createdAt: string
  modifiedAt: string
  corrections: { note: string; createdAt: string }[]
}

export interface Section {
  slug: string
  name: string
}

export interface Revision {
  version: number
  userId: number | null
  createdAt: string
  kind: string
  changedFields: string[]
}

/** Editors and admins may publish; contributors write their own drafts only. */
export function canPublish(role: Role): boolean {
  return role === 'editor' || role === 'admin'
}
