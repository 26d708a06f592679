/** A desk of the publication with its own front: World, Business, Sport. */
export interface Section {
  id: number
  slug: string
  name: string
  position: number
}

/** A subject stories are tagged with; readers follow topics. Aliases resolve to it. */
export interface Topic {
  id: number
  slug: string
  name: string
  aliases: string[]
}

/** A topic as a story carries it: without its aliases. */
export type TopicRef = Omit<Topic, 'aliases'>

/** Paths the reader site owns; a section cannot take one of them as its slug. */
export const RESERVED_SLUGS = new Set([
  'api',
  's',
  'topic',
  'topics',
  'author',
  'authors',
  'newsroom',
  'assets',
  'media',
  'search',
  'feed',
  'feeds',
  'sitemap',
  'sitemaps',
  'health',
  'login',
  'logout',
  'account',
  'robots.txt',
  'favicon.ico',
  'latest',
])
