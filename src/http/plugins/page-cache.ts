import { crc32 } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { PageMemory, type Slot } from './page-memory.js'
import { Turns } from './turns.js'

/**
 * Rendered reader pages, kept until the event log says content changed. Any content
 * event clears the whole cache: fronts depend on every story, and rebuilding a page
 * costs under half a millisecond, so precise invalidation would buy little. The pages'
 * bytes live in reused memory (PageMemory), so turning pages over allocates nothing lasting.
 */
export interface CachedPage {
  status: number
  body: Buffer
  etag: string
  contentType: string
  location?: string | undefined
  storedAt: number
  /** Where `body` lives when it is in the cache's page memory. */
  slot?: Slot | undefined
}

export class PageCache {
  private readonly pages = new Map<string, CachedPage>()
  private readonly lists = new Map<string, { value: Promise<unknown>; storedAt: number }>()
  private clears = 0
  constructor(
    private readonly maxAgeMs: number,
    /** Pages kept at most; the oldest goes first. */
    readonly capacity = 5000,
    private readonly memory = new PageMemory(),
    /** Pages to build take turns (see Turns), so under load they are built in the order asked. */
    private readonly turns = new Turns(),
  ) {}

  /**
   * The cached entry for `key`, or the one `build` makes, held for `reply`: its bytes stay
   * as they are until that response has closed, whatever the cache does meanwhile. A page
   * built from data read before a change must not outlive that change, so it is stored
   * only if the cache was not cleared while it was being built.
   */
  async getOrBuild(
    key: string,
    reply: FastifyReply,
    build: () => Promise<Omit<CachedPage, 'etag' | 'storedAt' | 'slot'>>,
  ): Promise<CachedPage> {
    const cached = this.fresh(key)
    if (cached) return heldFor(reply, cached)
    await this.turns.take()
    // A request ahead of this one in the turns may have built the very same page.
    const built = this.fresh(key)
    if (built) return heldFor(reply, built)
    const stale = this.pages.get(key)
    if (stale) this.forget(key, stale)
    const now = Date.now()
    const generation = this.clears
    const page = await build()
    const stored = { ...page, ...this.memory.hold(page.body), etag: entityTag(page.body), storedAt: now }
    heldFor(reply, stored)
    if (generation !== this.clears) {
      stored.slot?.drop()
      return stored
    }
    const previous = this.pages.get(key)
    if (previous) this.forget(key, previous)
    else if (this.pages.size >= this.capacity) {
      const oldest = this.pages.entries().next()
      if (!oldest.done) this.forget(...oldest.value)
    }
    this.pages.set(key, stored)
    return stored
  }

  private fresh(key: string): CachedPage | undefined {
    const page = this.pages.get(key)
    return page && Date.now() - page.storedAt <= this.maxAgeMs ? page : undefined
  }

  private forget(key: string, page: CachedPage): void {
    this.pages.delete(key)
    page.slot?.drop()
  }

  /**
   * Data that many pages show (the section list, the newest stories), read once and
   * dropped by the same clear as the pages, so it is exactly as fresh as they are. Pages
   * rendered together share one read; a failed read is not kept.
   */
  shared<T>(key: string, now: number, load: () => Promise<T>): Promise<T> {
    const hit = this.lists.get(key)
    if (hit && now - hit.storedAt <= this.maxAgeMs) return hit.value as Promise<T>
    const value = load()
    this.lists.set(key, { value, storedAt: now })
    value.catch(() => {
      if (this.lists.get(key)?.value === value) this.lists.delete(key)
    })
    return value
  }

  clear(): void {
    this.clears += 1
    for (const page of this.pages.values()) page.slot?.drop()
    this.pages.clear()
    this.lists.clear()
  }
}

/**
 * The validator of a page's bytes: their CRC-32 and length. It only has to change when
 * the bytes do (a clash needs the same length and checksum, about one change in four
 * billion, and costs one reader a stale 304 until the next change); hashing a 25 KB page
 * with SHA-1 cost a tenth of the instructions of rendering it.
 */
function entityTag(body: Buffer): string {
  return `"${crc32(body).toString(36)}-${body.length.toString(36)}"`
}

function heldFor(reply: FastifyReply, page: CachedPage): CachedPage {
  page.slot?.pin(reply.raw)
  return page
}

/** Sends a cached entry the one way every cached page goes out: ETag, 304, redirect. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, page: CachedPage) {
  reply.header('cache-control', 'no-cache').header('etag', page.etag).header('vary', 'accept-encoding')
  if (page.location) return reply.code(301).header('location', page.location).send()
  if (page.status === 200 && request.headers['if-none-match'] === page.etag) return reply.code(304).send()
  return reply.code(page.status).type(page.contentType).send(page.body)
}
