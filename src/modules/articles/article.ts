import type { Actor } from '../auth/index.js'

export type ArticleStatus = 'draft' | 'scheduled' | 'published' | 'unpublished'

/** A story as the content core stores it. */
export interface Article {
  id: number
  slug: string
  shortCode: string
  headline: string
  keyPoints: string[]
  bodyHtml: string
  sectionId: number
  byline: string
  sourceCredit: string
  heroMediaId: number | null
  status: ArticleStatus
  /** When readers first saw it; never moves once set. */
  firstPublishedAt: Date | null
  /** The public "Updated" time: moves on publish and on substantive updates only. */
  publicUpdatedAt: Date | null
  scheduledAt: Date | null
  /** Grows by one on every save; an edit must name the version it started from. */
  version: number
  createdAt: Date
  modifiedAt: Date
  createdBy: number | null
  /** Flagged as breaking news: the site-wide banner and breaking alerts follow it. */
  breaking: boolean
  /** The dateline place, e.g. "Kyiv, Ukraine"; empty when none. */
  dateline: string
  /** BCP 47 tag of the story's language, e.g. "en", "pt-BR". */
  language: string
  /** Not to be published before this time; null when there is no embargo. */
  embargoUntil: Date | null
  /** When a contributor asked for review; null when not waiting for an editor. */
  submittedAt: Date | null
  submittedBy: number | null
  /** The editor's note when the story was last sent back to its writer; empty when none. */
  reviewNote: string
  reviewNoteAt: Date | null
  reviewNoteBy: number | null
}

export interface HeroImage {
  id: number
  src: string
  width: number
  height: number
  /** Smaller renditions: "url 480w, url 800w"; empty when there are none. */
  srcset: string
  /** The same sizes in modern formats, for <picture> sources; empty when there are none. */
  sources: { type: string; srcset: string }[]
  /** Whether the photo is in the media library (its size and renditions are then its own). */
  stored: boolean
  alt: string
  caption: string
  credit: string
}

export interface ArticleAuthor {
  id: number
  displayName: string
  slug: string
}

export interface Correction {
  note: string
  createdAt: Date
}

/** An article with everything a page or API response shows beside it. */
export interface ArticleView extends Article {
  section: { id: number; slug: string; name: string }
  topics: { id: number; slug: string; name: string }[]
  authors: ArticleAuthor[]
  hero: HeroImage | null
  corrections: Correction[]
}

/** A line in a list of stories: fronts, "next stories", topic pages. */
export interface ArticleSummary {
  id: number
  slug: string
  headline: string
  keyPoints: string[]
  sectionSlug: string
  sectionName: string
  firstPublishedAt: Date
  publicUpdatedAt: Date
  hero: HeroImage | null
}

export type UpdateKind = 'substantive' | 'minor'

export function canonicalPath(article: { slug: string }, sectionSlug: string): string {
  return `/${sectionSlug}/${article.slug}`
}

/** Only a story that is live may be shown to readers. */
export function isPublic(article: Pick<Article, 'status'>): boolean {
  return article.status === 'published'
}

/**
 * The platform acting on its own, with no person behind the change (wire ingest). It may
 * do what an editor may; its revisions record no user and it adds no author.
 */
export interface SystemActor {
  readonly system: 'wire'
}

/** Who changes a story: a member of staff, or the platform itself. */
export type ArticleWriter = Actor | SystemActor

export function isSystemActor(writer: ArticleWriter): writer is SystemActor {
  return 'system' in writer
}

/** The user a change is recorded against; null for the platform itself. */
export function userIdOf(writer: ArticleWriter | null): number | null {
  return writer === null || isSystemActor(writer) ? null : writer.userId
}
