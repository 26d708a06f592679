import type { ServerResponse } from 'node:http'

const KiB = 1024
const MiB = 1024 * KiB
/** Slots are cut from slabs this large; a page larger than a slab keeps a Buffer of its own. */
const SLAB = MiB
const SMALLEST_SLOT = 4 * KiB

/**
 * Where cached pages keep their bytes: slots cut from 1 MiB slabs and reused page after
 * page, instead of a new Buffer for every page rendered.
 *
 * V8 counts Buffers as memory outside its heap, and once a few tens of megabytes more of
 * it are live than after its last full garbage collection, it runs another: 7–17 ms in
 * which no request moves. A cache turning over 26 KB pages got there about every 2,000
 * renders, and those pauses were the whole tail of the uncached page's latency. Reused
 * slots keep that count flat: once the cache is warm, rendering allocates no lasting
 * outside memory at all.
 *
 * A socket may still be writing a page's bytes after the cache has let the page go (a
 * content change, an eviction), so a slot is reused only when both are done with it: the
 * cache has dropped it and every response that took the page has closed.
 */
export class PageMemory {
  private readonly free = new Map<number, Slot[]>()
  private slabBytes = 0

  constructor(
    /** Slab memory at most; past it, pages keep Buffers of their own. */
    readonly budget = 256 * MiB,
  ) {}

  /** Slab memory taken so far (it is kept for reuse, never given back). */
  get allocated(): number {
    return this.slabBytes
  }

  /** The bytes copied into a free slot; or, when no slot fits, the bytes themselves. */
  hold(bytes: Buffer): { body: Buffer; slot?: Slot } {
    const size = slotSize(bytes.length)
    const slot = size === undefined ? undefined : this.take(size)
    if (!slot) return { body: bytes }
    bytes.copy(slot.memory)
    return { body: slot.memory.subarray(0, bytes.length), slot }
  }

  private take(size: number): Slot | undefined {
    let free = this.free.get(size)
    if (!free) this.free.set(size, (free = []))
    const reused = free.pop()
    if (reused) return reused.take()
    if (this.slabBytes + SLAB > this.budget) return undefined
    const slab = Buffer.allocUnsafeSlow(SLAB)
    this.slabBytes += SLAB
    for (let at = size; at + size <= SLAB; at += size) free.push(new Slot(slab.subarray(at, at + size), free))
    return new Slot(slab.subarray(0, size), free).take()
  }
}

/**
 * The size of slot for a page of `length` bytes: rounded up to a quarter of its power of
 * two (a 26 KB page takes 28 KiB), so at most a fifth of a slot goes unused.
 */
export function slotSize(length: number): number | undefined {
  if (length > SLAB) return undefined
  if (length <= SMALLEST_SLOT) return SMALLEST_SLOT
  const step = 2 ** (Math.floor(Math.log2(length)) - 2)
  return Math.ceil(length / step) * step
}

/** One page's room in a slab, and who still needs what is in it. */
export class Slot {
  private state: 'free' | 'in use' | 'dropped' = 'free'
  /** Responses that have taken the page and not yet closed. */
  private sending = 0

  constructor(
    readonly memory: Buffer,
    private readonly home: Slot[],
  ) {}

  take(): this {
    if (this.state !== 'free') throw new Error('a page slot was handed out twice')
    this.state = 'in use'
    return this
  }

  /** The page is going out on `response`: its bytes stay as they are until it closes. */
  pin(response: ServerResponse): void {
    if (this.state === 'free') throw new Error('a free page slot was pinned')
    // A reader gone while the page was built: nothing will be sent, and no close will come.
    if (response.closed) return
    this.sending += 1
    response.once('close', () => {
      this.sending -= 1
      this.reuseWhenDone()
    })
  }

  /** The cache no longer holds the page. */
  drop(): void {
    if (this.state !== 'in use') return
    this.state = 'dropped'
    this.reuseWhenDone()
  }

  private reuseWhenDone(): void {
    if (this.state !== 'dropped' || this.sending > 0) return
    this.state = 'free'
    this.home.push(this)
  }
}
