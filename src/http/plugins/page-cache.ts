import { createHash } from 'node:crypto'

/**
 * Rendered reader pages, kept until the event log says content changed. Any content
 * event clears the whole cache: fronts depend on every story, and rebuilding a page
 * costs about a millisecond, so precise invalidation would buy little.
 */
export interface CachedPage {
  status: number
  body: Buffer
  etag: string
  contentType: string
  location?: string | undefined
  storedAt: number
}

export class PageCache {
  private readonly pages = new Map<string, CachedPage>()
  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries = 5000,
  ) {}

  get(key: string, now: number): CachedPage | undefined {
    const page = this.pages.get(key)
    if (!page) return undefined
    if (now - page.storedAt > this.maxAgeMs) {
      this.pages.delete(key)
      return undefined
    }
    return page
  }

  set(key: string, page: Omit<CachedPage, 'etag' | 'storedAt'>, now: number): CachedPage {
    if (this.pages.size >= this.maxEntries) {
      const oldest = this.pages.keys().next()
      if (!oldest.done) this.pages.delete(oldest.value)
    }
    const etag = `"${createHash('sha1').update(page.body).digest('base64url')}"`
    const stored = { ...page, etag, storedAt: now }
    this.pages.set(key, stored)
    return stored
  }

  clear(): void {
    this.pages.clear()
  }

  get size(): number {
    return this.pages.size
  }
}
