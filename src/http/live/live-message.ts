import {
  canonicalPath,
  findArticleById,
  listPublished,
  toArticleView,
  type ArticleView,
} from '../../modules/articles/index.js'
import type { ContentEvent } from '../../modules/events/index.js'
import type { Db } from '../../platform/database.js'
import { asReadersSeeIt } from '../reader-story.js'

/** How many breaking stories the banner shows, most recent first. */
export const BANNER_SIZE = 3

/**
 * One frame of the live stream, already serialised: every connection that wants it is
 * sent the same bytes. `channels` says who wants it; a connection matching several of
 * them still gets the frame once.
 */
export interface LiveMessage {
  channels: readonly string[]
  frame: Buffer
}

/** A story in the breaking-news banner. */
export interface BreakingStory {
  id: number
  headline: string
  path: string
}

/** What an open article page needs to redraw itself; `bodyHtml` is the stored, sanitized body. */
export interface ArticleUpdate {
  id: number
  status: ArticleView['status']
  headline?: string
  keyPoints?: string[]
  bodyHtml?: string
  dateline?: string
  breaking?: boolean
  updatedAt?: string
  path?: string
}

export function sseFrame(id: number, event: string, data: object): Buffer {
  // JSON.stringify escapes line breaks, so the data stays on one `data:` line.
  return Buffer.from(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
}

export function articleChannel(articleId: number): string {
  return `article:${articleId}`
}

/** Channels a list page may ask for: the front, a section or a topic. */
export const LIST_CHANNEL = /^(front|section:[a-z0-9][a-z0-9-]{0,99}|topic:[a-z0-9][a-z0-9-]{0,99})$/

export async function listBreakingStories(db: Db): Promise<BreakingStory[]> {
  const stories = await listPublished(db, { breaking: true, limit: BANNER_SIZE, offset: 0 })
  return stories.map((s) => ({ id: s.id, headline: s.headline, path: canonicalPath(s, s.sectionSlug) }))
}

/**
 * What open pages must hear about one event, read from the database once. Only story
 * events move pages: the story's own page, the lists a first publication lands in, and
 * the banner when the story is, or just stopped being, breaking news.
 */
export async function renderEventMessages(db: Db, event: ContentEvent): Promise<LiveMessage[]> {
  const { type, articleId } = event
  if (articleId === null) return []
  if (type !== 'article.published' && type !== 'article.updated' && type !== 'article.unpublished') return []
  const article = await findArticleById(db, articleId)
  // Drafts save themselves every few seconds in the newsroom; no reader has their page open.
  if (!article || (article.status !== 'published' && article.status !== 'unpublished')) return []
  const view = await asReadersSeeIt(db, await toArticleView(db, article))
  const messages: LiveMessage[] = []
  const path = canonicalPath(view, view.section.slug)
  if (view.status === 'published') {
    const update: ArticleUpdate = {
      id: view.id,
      status: view.status,
      headline: view.headline,
      keyPoints: view.keyPoints,
      bodyHtml: view.bodyHtml,
      dateline: view.dateline,
      breaking: view.breaking,
      updatedAt: (view.publicUpdatedAt ?? view.firstPublishedAt ?? view.modifiedAt).toISOString(),
      path,
    }
    messages.push({ channels: [articleChannel(view.id)], frame: sseFrame(event.id, 'article', update) })
  } else if (type === 'article.unpublished' && view.status === 'unpublished') {
    const update: ArticleUpdate = { id: view.id, status: view.status }
    messages.push({ channels: [articleChannel(view.id)], frame: sseFrame(event.id, 'article', update) })
  }
  if (type === 'article.published' && event.payload['republished'] !== true && view.status === 'published') {
    const channels = ['front', `section:${view.section.slug}`, ...view.topics.map((t) => `topic:${t.slug}`)]
    messages.push({
      channels,
      frame: sseFrame(event.id, 'story', { id: view.id, headline: view.headline, path }),
    })
  }
  const changed = Array.isArray(event.payload['changed']) ? (event.payload['changed'] as unknown[]) : []
  if (view.breaking || changed.includes('breaking')) {
    const stories = await listBreakingStories(db)
    messages.push({ channels: ['breaking'], frame: sseFrame(event.id, 'breaking', { stories }) })
  }
  return messages
}
