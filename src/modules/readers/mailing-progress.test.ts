import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { progressTracker, type MailingProgress } from './mailing-progress.js'

describe('mailing progress', () => {
  it('records every reader up to the first unfinished one, and those finished above it', async () => {
    const saves: MailingProgress[] = []
    const tracker = progressTracker([10, 11, 12, 13, 14], { doneThrough: 9, doneAbove: [] }, async (p) => {
      saves.push(p)
    })
    tracker.finish(10)
    tracker.finish(12)
    tracker.finish(14)
    await tracker.saved()
    assert.deepEqual(saves.at(-1), { doneThrough: 10, doneAbove: [12, 14] })
    tracker.finish(11)
    await tracker.saved()
    assert.deepEqual(saves.at(-1), { doneThrough: 12, doneAbove: [14] })
    assert.equal(tracker.isDone(12), true)
    assert.equal(tracker.isDone(13), false)
  })

  it('resumes from a saved checkpoint, counting readers above it as done', () => {
    const tracker = progressTracker([10, 11, 12, 13], { doneThrough: 10, doneAbove: [12] }, async () => {})
    assert.deepEqual(
      [10, 11, 12, 13].map((id) => tracker.isDone(id)),
      [true, false, true, false],
    )
  })

  it('saves one checkpoint at a time, the last carrying everything finished meanwhile', async () => {
    const saves: MailingProgress[] = []
    let release!: () => void
    const slow = new Promise<void>((resolve) => (release = resolve))
    const tracker = progressTracker([1, 2, 3, 4], { doneThrough: 0, doneAbove: [] }, async (p) => {
      saves.push(p)
      if (saves.length === 1) await slow
    })
    for (const id of [1, 2, 3, 4]) tracker.finish(id)
    release()
    await tracker.saved()
    assert.deepEqual(saves, [
      { doneThrough: 1, doneAbove: [] },
      { doneThrough: 4, doneAbove: [] },
    ])
  })

  it('fails when a save failed, so the job is retried from the last saved checkpoint', async () => {
    const tracker = progressTracker([1], { doneThrough: 0, doneAbove: [] }, () =>
      Promise.reject(new Error('database gone')),
    )
    tracker.finish(1)
    await assert.rejects(tracker.saved(), /database gone/)
  })
})
