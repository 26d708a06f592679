import type { ArticleView } from '../modules/articles/index.js'
import { withBodyRenditions } from '../modules/media/index.js'
import type { Db } from '../platform/database.js'

/**
 * A story as readers get it, wherever they get it (its page, a live update, a preview):
 * library photos in the body carry their renditions.
 */
export async function asReadersSeeIt(db: Db, view: ArticleView): Promise<ArticleView> {
  return { ...view, bodyHtml: await withBodyRenditions(db, view.bodyHtml) }
}
