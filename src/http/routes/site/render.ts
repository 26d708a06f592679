import { readFileSync } from 'node:fs'
import { render } from 'preact-render-to-string'
import type { VNode } from 'preact'
import { listSections } from '../../../modules/taxonomy/index.js'
import { listBreakingStories } from '../../live/live-message.js'
import type { Db } from '../../../platform/database.js'
import { utf8 } from '../../../platform/text.js'
import type { SiteChrome } from '../../../views/layouts/layout.js'
import { minifyCss } from '../../../views/layouts/minify-css.js'
import type { AppDeps } from '../../app-deps.js'
import type { PageCache } from '../../plugins/page-cache.js'

const ASSET_DIR = new URL('../../../../../src/views/assets/', import.meta.url)

export const SITE_CSS = minifyCss(readFileSync(new URL('site.css', ASSET_DIR), 'utf8'))
export const SITE_JS = readFileSync(new URL('site.js', ASSET_DIR), 'utf8')
export const SITE_LOGO = readFileSync(new URL('logo.png', ASSET_DIR))

/** A whole page as the UTF-8 bytes sent (see utf8() for why not Buffer.from). */
export function renderDocument(page: VNode): Buffer {
  return utf8(`<!doctype html>${render(page)}`)
}

export async function loadChrome(db: Db, site: { name: string; publicUrl: string }): Promise<SiteChrome> {
  const [sections, breaking] = await Promise.all([listSections(db), listBreakingStories(db)])
  return {
    siteName: site.name,
    publicUrl: site.publicUrl,
    sections: sections.map((s) => ({ slug: s.slug, name: s.name })),
    css: SITE_CSS,
    breaking,
  }
}

/** The chrome of a page (masthead, sections, breaking banner), however the page is served. */
export type ChromeLoader = () => Promise<SiteChrome>

/**
 * The chrome every page shows, read once per content change and shared through the page
 * cache by every kind of page (cached, signed-in, account, error). The tail's position is
 * read first, so the page's data is at least as new as the event its live stream resumes after.
 */
export function sharedChrome(deps: Pick<AppDeps, 'db' | 'tail' | 'config'>, cache: PageCache): ChromeLoader {
  return () =>
    cache.shared('chrome', Date.now(), async () => {
      const liveSince = deps.tail.lastEventId()
      return { ...(await loadChrome(deps.db, deps.config.site)), liveSince }
    })
}
