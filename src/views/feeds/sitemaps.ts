import { xmlText } from './feed-formats.js'

/**
 * Sitemaps for search engines (sitemaps.org 0.9) and the Google News sitemap: an index
 * naming one sitemap per month of stories, and the news sitemap of the last two days.
 */

export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9'
export const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9'
/** The most URLs one sitemap file may hold. */
export const SITEMAP_URL_LIMIT = 50_000
/** Google News reads stories of the last two days, at most 1,000 per sitemap. */
export const NEWS_WINDOW_MS = 2 * 24 * 60 * 60 * 1000
export const NEWS_URL_LIMIT = 1000

interface Located {
  url: string
  lastModified?: Date | undefined
}

/** The index of sitemaps: one <sitemap> per file. */
export function sitemapIndex(entries: Located[]): string {
  return locations('sitemapindex', 'sitemap', entries)
}

/** One sitemap: one <url> per page. */
export function urlSet(entries: Located[]): string {
  return locations('urlset', 'url', entries)
}

function locations(root: string, child: string, entries: Located[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${root} xmlns="${SITEMAP_NS}">`,
    ...entries.map(
      (e) =>
        `<${child}><loc>${xmlText(e.url)}</loc>` +
        (e.lastModified ? `<lastmod>${e.lastModified.toISOString()}</lastmod>` : '') +
        `</${child}>`,
    ),
    `</${root}>`,
    '',
  ].join('\n')
}

export interface NewsEntry {
  url: string
  title: string
  language: string
  published: Date
}

export function newsSitemap(publication: string, entries: NewsEntry[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">`,
    ...entries.map(
      (e) =>
        `<url><loc>${xmlText(e.url)}</loc><news:news><news:publication>` +
        `<news:name>${xmlText(publication)}</news:name><news:language>${xmlText(newsLanguage(e.language))}</news:language>` +
        `</news:publication><news:publication_date>${e.published.toISOString()}</news:publication_date>` +
        `<news:title>${xmlText(e.title)}</news:title></news:news></url>`,
    ),
    '</urlset>',
    '',
  ].join('\n')
}

/** Google News wants ISO 639 codes, with zh-cn and zh-tw the only regional ones. */
function newsLanguage(tag: string): string {
  const lower = tag.toLowerCase()
  if (lower === 'zh-cn' || lower === 'zh-tw') return lower
  return lower.split('-')[0] || 'en'
}

/** "2026-11" for the months from the first story to the last, newest first. */
export function monthsBetween(first: Date, last: Date): string[] {
  const months: string[] = []
  let year = last.getUTCFullYear()
  let month = last.getUTCMonth()
  while (year > first.getUTCFullYear() || (year === first.getUTCFullYear() && month >= first.getUTCMonth())) {
    months.push(`${year}-${String(month + 1).padStart(2, '0')}`)
    month -= 1
    if (month < 0) {
      month = 11
      year -= 1
    }
  }
  return months
}

/** The files of one month's stories, SITEMAP_URL_LIMIT to a file: "2026-11", "2026-11-2", … */
export function monthFiles(month: string, stories: number): string[] {
  const pages = Math.max(1, Math.ceil(stories / SITEMAP_URL_LIMIT))
  return Array.from({ length: pages }, (_, i) => (i === 0 ? month : `${month}-${i + 1}`))
}

/** A month's sitemap file name ("2026-11.xml", "2026-11-2.xml") as its range and page; undefined otherwise. */
export function sitemapFile(name: string): { from: Date; to: Date; page: number } | undefined {
  const match = /^(\d{4}-\d{2})(?:-([2-9]|[1-9]\d{1,3}))?\.xml$/.exec(name)
  const range = match && monthRange(match[1]!)
  return range ? { ...range, page: Number(match[2] ?? 1) } : undefined
}

/** The first instant of a "2026-11" month and of the next one; undefined for anything else. */
export function monthRange(month: string): { from: Date; to: Date } | undefined {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month)
  if (!match) return undefined
  const year = Number(match[1])
  const index = Number(match[2]) - 1
  return { from: new Date(Date.UTC(year, index, 1)), to: new Date(Date.UTC(year, index + 1, 1)) }
}
