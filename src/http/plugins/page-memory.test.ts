import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import { describe, it } from 'node:test'
import { PageMemory, slotSize } from './page-memory.js'

const KiB = 1024

/** A response as a slot sees one: something that closes. */
function response(): ServerResponse & { close(): void } {
  const emitter = new EventEmitter() as unknown as ServerResponse & { close(): void }
  emitter.close = () => emitter.emit('close')
  return emitter
}

function page(length: number, fill: string): Buffer {
  return Buffer.alloc(length, fill)
}

/** Compared by hand: a failed deepEqual of two large Buffers takes minutes to print. */
function assertPage(actual: Buffer, length: number, fill: string): void {
  assert.ok(
    actual.equals(page(length, fill)),
    `expected ${length} bytes of "${fill}", got "${actual.toString('latin1', 0, 8)}…" (${actual.length} bytes)`,
  )
}

describe('slotSize', () => {
  it('wastes at most a fifth of a slot on any page size', () => {
    for (let length = 1; length <= 1024 * KiB; length += 997) {
      const size = slotSize(length)!
      assert.ok(size >= length, `${length} fits its slot`)
      if (length > 4 * KiB) assert.ok(length / size > 0.8, `${length} bytes in a ${size}-byte slot`)
    }
  })

  it('has no slot for a page larger than a slab', () => {
    assert.equal(slotSize(1024 * KiB + 1), undefined)
  })
})

describe('PageMemory', () => {
  it('holds a copy of the bytes, so the page survives its original being overwritten', () => {
    const memory = new PageMemory()
    const original = page(26 * KiB, 'a')
    const held = memory.hold(original)
    original.fill('z')
    assert.ok(held.slot)
    assertPage(held.body, 26 * KiB, 'a')
  })

  it('reuses a dropped page’s slot for the next page instead of taking more memory', () => {
    const memory = new PageMemory()
    const first = memory.hold(page(26 * KiB, 'a'))
    const taken = memory.allocated
    for (let i = 0; i < 1000; i += 1) {
      const previous = i === 0 ? first : memory.hold(page(26 * KiB, 'b'))
      previous.slot!.drop()
    }
    assert.equal(memory.allocated, taken)
  })

  it('never hands out a slot whose page a response is still sending', () => {
    const memory = new PageMemory()
    const sending = memory.hold(page(26 * KiB, 'a'))
    const slow = response()
    sending.slot!.pin(slow)
    sending.slot!.drop()
    // Enough pages to go through every other slot of the slab many times over.
    const others = Array.from({ length: 200 }, () => memory.hold(page(26 * KiB, 'b')))
    for (const other of others) other.slot?.drop()
    for (let i = 0; i < 200; i += 1) memory.hold(page(26 * KiB, 'c')).slot?.drop()
    assertPage(sending.body, 26 * KiB, 'a')

    slow.close()
    const next = memory.hold(page(26 * KiB, 'd'))
    assertPage(next.body, 26 * KiB, 'd')
  })

  it('keeps a page the cache still holds even after every response sending it has closed', () => {
    const memory = new PageMemory()
    const kept = memory.hold(page(26 * KiB, 'a'))
    for (let i = 0; i < 3; i += 1) {
      const reader = response()
      kept.slot!.pin(reader)
      reader.close()
    }
    for (let i = 0; i < 100; i += 1) memory.hold(page(26 * KiB, 'b')).slot?.drop()
    assertPage(kept.body, 26 * KiB, 'a')
  })

  it('does not wait for a response that closed before the page was ready', () => {
    const memory = new PageMemory()
    const gone = response()
    gone.close()
    Object.defineProperty(gone, 'closed', { value: true })
    const built = memory.hold(page(26 * KiB, 'a'))
    built.slot!.pin(gone)
    built.slot!.drop()
    // A slab has 36 slots of this size: they all fit in the first only if that one is free.
    const taken = memory.allocated
    const held = Array.from({ length: 36 }, () => memory.hold(page(26 * KiB, 'b')))
    assert.ok(held.every((h) => h.slot))
    assert.equal(memory.allocated, taken, 'its slot went back to use')
  })

  it('does not wait for a response already destroyed, as an injected test request is', () => {
    const memory = new PageMemory(1024 * KiB)
    const gone = response()
    Object.defineProperty(gone, 'destroyed', { value: true })
    const built = memory.hold(page(26 * KiB, 'a'))
    built.slot!.pin(gone)
    built.slot!.drop()
    const held = Array.from({ length: 36 }, () => memory.hold(page(26 * KiB, 'b')))
    assert.ok(
      held.every((h) => h.slot),
      'its slot went back to use',
    )
  })

  it('spends no slot on an empty body (a redirect)', () => {
    const memory = new PageMemory()
    const empty = memory.hold(Buffer.alloc(0))
    assert.equal(empty.slot, undefined)
    assert.equal(empty.body.length, 0)
    assert.equal(memory.allocated, 0)
  })

  it('cuts an idle slab again for another page size once its budget is spent', () => {
    const memory = new PageMemory(1024 * KiB)
    const small = memory.hold(page(26 * KiB, 'a'))
    small.slot!.drop()
    const large = memory.hold(page(200 * KiB, 'b'))
    assert.ok(large.slot, 'the idle slab was cut for the larger size')
    assertPage(large.body, 200 * KiB, 'b')
    assert.equal(memory.allocated, 1024 * KiB)
    const next = memory.hold(page(200 * KiB, 'c'))
    assertPage(large.body, 200 * KiB, 'b')
    assertPage(next.body, 200 * KiB, 'c')
  })

  it('never cuts again a slab with a page still being sent', () => {
    const memory = new PageMemory(1024 * KiB)
    const small = memory.hold(page(26 * KiB, 'a'))
    const slow = response()
    small.slot!.pin(slow)
    small.slot!.drop()
    const large = memory.hold(page(200 * KiB, 'b'))
    assert.equal(large.slot, undefined, 'no slot: the slab is not idle')
    assertPage(small.body, 26 * KiB, 'a')
    slow.close()
    assert.ok(memory.hold(page(200 * KiB, 'c')).slot, 'once the response closed, the slab is cut again')
  })

  it('frees a slot once: dropping twice does not let two pages share it', () => {
    const memory = new PageMemory()
    const dropped = memory.hold(page(26 * KiB, 'a'))
    dropped.slot!.drop()
    dropped.slot!.drop()
    const one = memory.hold(page(26 * KiB, 'b'))
    const two = memory.hold(page(26 * KiB, 'c'))
    assertPage(one.body, 26 * KiB, 'b')
    assertPage(two.body, 26 * KiB, 'c')
  })

  it('gives pages past its budget, and pages larger than a slab, bytes of their own', () => {
    const memory = new PageMemory(1024 * KiB)
    const inBudget = Array.from({ length: 36 }, () => memory.hold(page(26 * KiB, 'a')))
    assert.ok(inBudget.every((held) => held.slot))
    const past = memory.hold(page(26 * KiB, 'b'))
    assert.equal(past.slot, undefined)
    assertPage(past.body, 26 * KiB, 'b')
    const huge = page(2048 * KiB, 'c')
    assert.equal(memory.hold(huge).body, huge)
    assert.equal(memory.allocated, 1024 * KiB)
  })
})
