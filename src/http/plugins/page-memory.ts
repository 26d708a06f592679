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
  private readonly slabs: Slab[] = []

  constructor(
    /** Slab memory at most; past it, pages keep Buffers of their own. */
    readonly budget = 256 * MiB,
  ) {}

  /** Slab memory taken so far (it is kept for reuse, never given back). */
  get allocated(): number {
    return this.slabs.length * SLAB
  }

  /** The bytes copied into a free slot; or, when no slot fits, the bytes themselves. */
  hold(bytes: Buffer): { body: Buffer; slot?: Slot } {
    const size = bytes.length === 0 ? undefined : slotSize(bytes.length)
    const slot = size === undefined ? undefined : this.take(size)
    if (!slot) return { body: bytes }
    bytes.copy(slot.memory)
    return { body: slot.memory.subarray(0, bytes.length), slot }
  }

  private take(size: number): Slot | undefined {
    const reused = this.freeSlots(size).pop()
    if (reused) return reused.take()
    // Once the budget is spent, a slab none of whose slots is in use is cut again for
    // this size: pages change size over a day (a long live story, a new front), and
    // slabs kept for sizes no longer seen would leave every new page without a slot.
    const slab =
      this.slabs.length * SLAB + SLAB <= this.budget ? this.newSlab() : this.slabs.find((s) => s.idle)
    if (!slab) return undefined
    if (slab.size !== undefined) {
      // In place: the slots of other slabs of that size return to this very list.
      const others = this.freeSlots(slab.size)
      let kept = 0
      for (const slot of others) if (slot.slab !== slab) others[kept++] = slot
      others.length = kept
    }
    const free = this.freeSlots(size)
    const slots = slab.cut(size, free)
    free.push(...slots.slice(1))
    return slots[0]!.take()
  }

  private newSlab(): Slab {
    const slab = new Slab(Buffer.allocUnsafeSlow(SLAB))
    this.slabs.push(slab)
    return slab
  }

  private freeSlots(size: number): Slot[] {
    let free = this.free.get(size)
    if (!free) this.free.set(size, (free = []))
    return free
  }
}

/** 1 MiB of page memory, cut into slots of one size. */
class Slab {
  size: number | undefined
  /** Its slots that are taken: a page in the cache, or one a response is still sending. */
  taken = 0

  constructor(private readonly memory: Buffer) {}

  get idle(): boolean {
    return this.taken === 0
  }

  /** Cuts the slab into slots of `size`, which go back to `home` when freed. */
  cut(size: number, home: Slot[]): Slot[] {
    this.size = size
    const slots: Slot[] = []
    for (let at = 0; at + size <= SLAB; at += size) {
      slots.push(new Slot(this.memory.subarray(at, at + size), this, home))
    }
    return slots
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
    readonly slab: Slab,
    private readonly home: Slot[],
  ) {}

  take(): this {
    if (this.state !== 'free') throw new Error('a page slot was handed out twice')
    this.state = 'in use'
    this.slab.taken += 1
    return this
  }

  /** The page is going out on `response`: its bytes stay as they are until it closes. */
  pin(response: ServerResponse): void {
    if (this.state === 'free') throw new Error('a free page slot was pinned')
    // A reader gone while the page was built: nothing will be sent, and no close will come.
    if (response.closed || response.destroyed) return
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
    this.slab.taken -= 1
    this.home.push(this)
  }
}
