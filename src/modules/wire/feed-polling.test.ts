import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_BACKOFF_SECONDS, pollDelaySeconds } from './feed-polling.js'

describe('feed poll delay', () => {
  it('polls on the interval while polls succeed', () => {
    assert.equal(pollDelaySeconds(300, 0), 300)
  })

  it('doubles the wait for each failure in a row', () => {
    assert.deepEqual(
      [1, 2, 3].map((n) => pollDelaySeconds(60, n)),
      [120, 240, 480],
    )
  })

  it('never waits longer than the cap, however many failures', () => {
    assert.equal(pollDelaySeconds(60, 7), MAX_BACKOFF_SECONDS)
    assert.equal(pollDelaySeconds(60, 500), MAX_BACKOFF_SECONDS)
  })

  it('keeps a daily interval daily rather than capping it below itself', () => {
    assert.equal(pollDelaySeconds(86_400, 3), 86_400)
  })
})
