import { findArticleViews, listStoryIdsWithTopic, type ArticleView } from '../articles/index.js'
import type { Db } from '../../platform/database.js'
import { findArticleHashes, replaceArticleHashes } from './wire-queries.js'
import { articleFingerprint, hasChangedSince } from './wire-versions.js'

/** Stories read at once while fingerprinting: their bodies are held only that long. */
const STORIES_AT_ONCE = 200

/**
 * Runs a change to a topic as its stories show it (its slug moves, it is merged into
 * another) and carries the wire's fingerprints of those stories through it: every stored
 * fingerprint a story matched before the change (`hasChangedSince`, either format) becomes
 * the story's fingerprint after it. A story the wire alone has changed so still takes the
 * agency's next version instead of having it held as if an editor had changed the story;
 * a story an editor changed matched no fingerprint before and matches none after.
 */
export async function keepWireFingerprints<T>(db: Db, topicId: number, change: () => Promise<T>): Promise<T> {
  const stories = await findArticleHashes(db, await listStoryIdsWithTopic(db, topicId))
  const matched = new Map<number, string[]>()
  await eachView(db, [...stories.keys()], (view) => {
    const hashes = (stories.get(view.id) ?? []).filter((hash) => !hasChangedSince(view, hash))
    if (hashes.length > 0) matched.set(view.id, hashes)
  })
  const result = await change()
  const after = new Map<number, string>()
  await eachView(db, [...matched.keys()], (view) => after.set(view.id, articleFingerprint(view)))
  for (const [articleId, hashes] of matched) {
    const now = after.get(articleId)
    if (now !== undefined) await replaceArticleHashes(db, articleId, hashes, now)
  }
  return result
}

async function eachView(
  db: Db,
  articleIds: readonly number[],
  visit: (view: ArticleView) => void,
): Promise<void> {
  for (let at = 0; at < articleIds.length; at += STORIES_AT_ONCE) {
    const views = await findArticleViews(db, articleIds.slice(at, at + STORIES_AT_ONCE))
    for (const view of views.values()) visit(view)
  }
}
