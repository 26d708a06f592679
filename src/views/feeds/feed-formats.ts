import { escapeHtml } from '../../platform/text.js'

/**
 * The site's stories as syndication feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1, all from
 * one model so the three always carry the same items. Text goes in escaped; the body HTML
 * travels escaped too (never in CDATA, which a "]]>" in a story could end early).
 */

export interface FeedModel {
  title: string
  description: string
  /** The HTML page the feed follows: the front, a section or a topic. */
  homeUrl: string
  /** This feed's own address, in the format being written. */
  feedUrl: string
  language: string
  siteName: string
  /** The newest change among the items (or now, for an empty feed). */
  updated: Date
  items: FeedItem[]
}

export interface FeedItem {
  /** Stable for the story's life: its short URL, which survives headline changes. */
  id: string
  url: string
  title: string
  summary: string
  /** The body as readers see it, with absolute addresses. */
  contentHtml: string
  published: Date
  updated: Date
  authors: string[]
  categories: string[]
  image?: { url: string; type: string; width: number; height: number; caption: string; credit: string }
}

export type FeedFormat = 'rss' | 'atom' | 'json'

export const FEED_FILES: Record<FeedFormat, { file: string; contentType: string; label: string }> = {
  rss: { file: 'feed.xml', contentType: 'application/rss+xml; charset=utf-8', label: 'RSS' },
  atom: { file: 'feed.atom', contentType: 'application/atom+xml; charset=utf-8', label: 'Atom' },
  json: { file: 'feed.json', contentType: 'application/feed+json; charset=utf-8', label: 'JSON Feed' },
}

/** An address on our site ("/media/…") made absolute; other addresses as they are. */
export function absoluteUrl(address: string, origin: string): string {
  return /^\/(?!\/)/.test(address) ? `${origin}${address}` : address
}

/** A body read away from our site (a feed reader, a partner's system): its /media/ and /links name us. */
export function absoluteAddresses(html: string, origin: string): string {
  return html.replace(/ (src|href)="(\/(?!\/)[^"]*)"/g, (_m, attribute: string, path: string) => {
    return ` ${attribute}="${origin}${path}"`
  })
}

export function writeFeed(format: FeedFormat, feed: FeedModel): string {
  switch (format) {
    case 'rss':
      return toRss(feed)
    case 'atom':
      return toAtom(feed)
    case 'json':
      return toJsonFeed(feed)
  }
}

// Characters XML 1.0 cannot carry at all, even escaped.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text or attribute content for XML: escaped, with characters XML forbids dropped. */
export function xmlText(text: string): string {
  return escapeHtml(text.replace(NOT_XML, ''))
}

const element = (name: string, text: string) => `<${name}>${xmlText(text)}</${name}>`

function toRss(feed: FeedModel): string {
  const items = feed.items.map((item) =>
    [
      '<item>',
      element('title', item.title),
      element('link', item.url),
      `<guid isPermaLink="true">${xmlText(item.id)}</guid>`,
      element('pubDate', item.published.toUTCString()),
      element('description', item.summary),
      element('content:encoded', item.contentHtml),
      ...item.authors.map((name) => element('dc:creator', name)),
      ...item.categories.map((name) => element('category', name)),
      item.image
        ? `<media:content url="${xmlText(item.image.url)}" type="${xmlText(item.image.type)}" medium="image" ` +
          `width="${item.image.width}" height="${item.image.height}">` +
          (item.image.caption
            ? `<media:description type="plain">${xmlText(item.image.caption)}</media:description>`
            : '') +
          (item.image.credit ? element('media:credit', item.image.credit) : '') +
          '</media:content>'
        : '',
      '</item>',
    ].join(''),
  )
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" ' +
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">',
    '<channel>',
    element('title', feed.title),
    element('link', feed.homeUrl),
    element('description', feed.description),
    element('language', feed.language),
    element('lastBuildDate', feed.updated.toUTCString()),
    `<atom:link href="${xmlText(feed.feedUrl)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    '</channel>',
    '</rss>',
    '',
  ].join('\n')
}

function toAtom(feed: FeedModel): string {
  const entries = feed.items.map((item) =>
    [
      '<entry>',
      element('id', item.id),
      `<title type="text">${xmlText(item.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${xmlText(item.url)}"/>`,
      element('published', item.published.toISOString()),
      element('updated', item.updated.toISOString()),
      // Atom asks every entry for an author: the byline, else the publication.
      ...(item.authors.length > 0 ? item.authors : [feed.siteName]).map(
        (name) => `<author>${element('name', name)}</author>`,
      ),
      ...item.categories.map((name) => `<category term="${xmlText(name)}"/>`),
      `<summary type="text">${xmlText(item.summary)}</summary>`,
      `<content type="html">${xmlText(item.contentHtml)}</content>`,
      '</entry>',
    ].join(''),
  )
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlText(feed.language)}">`,
    element('id', feed.feedUrl),
    `<title type="text">${xmlText(feed.title)}</title>`,
    `<subtitle type="text">${xmlText(feed.description)}</subtitle>`,
    element('updated', feed.updated.toISOString()),
    `<link rel="self" type="application/atom+xml" href="${xmlText(feed.feedUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlText(feed.homeUrl)}"/>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n')
}

function toJsonFeed(feed: FeedModel): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    description: feed.description,
    home_page_url: feed.homeUrl,
    feed_url: feed.feedUrl,
    language: feed.language,
    items: feed.items.map((item) => ({
      id: item.id,
      url: item.url,
      title: item.title,
      summary: item.summary,
      content_html: item.contentHtml,
      date_published: item.published.toISOString(),
      date_modified: item.updated.toISOString(),
      ...(item.authors.length > 0 && { authors: item.authors.map((name) => ({ name })) }),
      ...(item.categories.length > 0 && { tags: item.categories }),
      ...(item.image && { image: item.image.url }),
    })),
  })
}
