import type { Generated, Kysely, Transaction } from 'kysely'

/**
 * Row types for every table. Times are Date on PostgreSQL (timestamptz) and ISO-8601
 * text on SQLite; the *-queries.ts mappers accept both through toDate().
 */
type Time = Date | string
type JsonText = string

export interface UserTable {
  id: Generated<number>
  email: string
  display_name: string
  slug: string
  role: 'contributor' | 'editor' | 'admin'
  password_hash: string
  bio: string
  created_at: Time
  disabled_at: Time | null
}

export interface SessionTable {
  id_hash: string
  user_id: number
  created_at: Time
  expires_at: Time
}

export interface ApiTokenTable {
  id: Generated<number>
  user_id: number
  name: string
  token_hash: string
  created_at: Time
  last_used_at: Time | null
  revoked_at: Time | null
}

export interface SectionTable {
  id: Generated<number>
  slug: string
  name: string
  position: number
}

export interface TopicTable {
  id: Generated<number>
  slug: string
  name: string
}

export interface TopicAliasTable {
  slug: string
  topic_id: number
  name: string
}

export interface MediaTable {
  id: Generated<number>
  src: string
  width: number
  height: number
  /** Smaller renditions for responsive images: "url 480w, url 800w"; empty when none. */
  srcset: Generated<string>
  alt: string
  caption: string
  credit: string
  created_at: Time
}

export interface ArticleTable {
  id: Generated<number>
  slug: string
  short_code: string
  headline: string
  key_points: JsonText
  body_html: string
  section_id: number
  byline: string
  source_credit: string
  hero_media_id: number | null
  status: 'draft' | 'scheduled' | 'published' | 'unpublished'
  first_published_at: Time | null
  public_updated_at: Time | null
  scheduled_at: Time | null
  version: number
  created_at: Time
  modified_at: Time
  created_by: number | null
}

export interface ArticleSlugTable {
  slug: string
  article_id: number
}

export interface ArticleTopicTable {
  article_id: number
  topic_id: number
  position: number
}

export interface ArticleAuthorTable {
  article_id: number
  user_id: number
  position: number
}

export interface ArticleRevisionTable {
  id: Generated<number>
  article_id: number
  version: number
  user_id: number | null
  created_at: Time
  kind: 'created' | 'substantive' | 'minor' | 'published' | 'unpublished' | 'scheduled'
  changed_fields: JsonText
  snapshot: JsonText
}

export interface ArticleCorrectionTable {
  id: Generated<number>
  article_id: number
  note: string
  created_at: Time
}

export interface EventTable {
  id: Generated<number>
  type: string
  article_id: number | null
  payload: JsonText
  created_at: Time
}

export interface Database {
  user: UserTable
  session: SessionTable
  api_token: ApiTokenTable
  section: SectionTable
  topic: TopicTable
  topic_alias: TopicAliasTable
  media: MediaTable
  article: ArticleTable
  article_slug: ArticleSlugTable
  article_topic: ArticleTopicTable
  article_author: ArticleAuthorTable
  article_revision: ArticleRevisionTable
  article_correction: ArticleCorrectionTable
  event: EventTable
}

/** The query handle every *-queries.ts function takes first: the database or a transaction. */
export type Db = Kysely<Database> | Transaction<Database>

export function toDate(value: Time): Date
export function toDate(value: Time | null): Date | null
export function toDate(value: Time | null): Date | null {
  if (value === null) return null
  return value instanceof Date ? value : new Date(value)
}
