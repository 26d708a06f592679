import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LiveHub, type LiveSubscriber } from './live-hub.js'
import { sseFrame, type LiveMessage } from './live-message.js'

function aSubscriber(channels: string[], after = 0) {
  const received: Buffer[] = []
  let ended = false
  const subscriber: LiveSubscriber = {
    channels: new Set(channels),
    after,
    write: (bytes) => void received.push(bytes),
    end: () => void (ended = true),
  }
  return {
    subscriber,
    ids: () => received.flatMap((b) => [...b.toString().matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))),
    text: () => Buffer.concat(received).toString(),
    isEnded: () => ended,
  }
}

const story = (id: number, channels: string[]): LiveMessage => ({
  channels,
  frame: sseFrame(id, 'story', { id }),
})

describe('live hub', () => {
  it('writes an event only to streams listening on one of its channels', () => {
    const hub = new LiveHub(10)
    const front = aSubscriber(['breaking', 'front'])
    const sport = aSubscriber(['breaking', 'section:sport'])
    hub.add(front.subscriber, false)
    hub.add(sport.subscriber, false)
    hub.publish(1, [story(1, ['front', 'section:news'])])
    assert.deepEqual(front.ids(), [1])
    assert.deepEqual(sport.ids(), [])
  })

  it('writes a frame once to a stream that matches several of its channels, as the same bytes for everyone', () => {
    const hub = new LiveHub(10)
    const a = aSubscriber(['front', 'topic:floods'])
    const b = aSubscriber(['front'])
    const received: Buffer[] = []
    hub.add({ ...a.subscriber, write: (bytes) => void received.push(bytes) }, false)
    hub.add({ ...b.subscriber, write: (bytes) => void received.push(bytes) }, false)
    const message = story(7, ['front', 'topic:floods'])
    hub.publish(7, [message])
    assert.equal(received.length, 2)
    assert.ok(received.every((bytes) => bytes === message.frame))
  })

  it('skips events a stream already has', () => {
    const hub = new LiveHub(10)
    const late = aSubscriber(['front'], 5)
    hub.add(late.subscriber, false)
    hub.publish(4, [story(4, ['front'])])
    hub.publish(5, [story(5, ['front'])])
    hub.publish(6, [story(6, ['front'])])
    assert.deepEqual(late.ids(), [6])
  })

  it('holds what is published while a stream replays and sends it afterwards, without repeats', () => {
    const hub = new LiveHub(10)
    const back = aSubscriber(['front'], 2)
    hub.add(back.subscriber, true)
    hub.publish(3, [story(3, ['front'])])
    hub.publish(4, [story(4, ['front'])])
    assert.deepEqual(back.ids(), [], 'nothing while replaying')
    // The replay from the log reached event 3 on its own.
    back.subscriber.write(story(3, ['front']).frame)
    back.subscriber.after = 3
    hub.release(back.subscriber)
    hub.publish(5, [story(5, ['front'])])
    assert.deepEqual(back.ids(), [3, 4, 5])
  })

  it('counts streams against its cap and ends them all on close', () => {
    const hub = new LiveHub(2)
    const a = aSubscriber([])
    const b = aSubscriber([])
    hub.add(a.subscriber, false)
    assert.equal(hub.isFull, false)
    hub.add(b.subscriber, false)
    assert.equal(hub.isFull, true)
    hub.remove(a.subscriber)
    assert.equal(hub.isFull, false)
    hub.closeAll()
    assert.equal(b.isEnded(), true)
    assert.equal(hub.size, 0)
  })
})
