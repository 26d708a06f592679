import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backoffMs } from './runner.js'

describe('backoffMs', () => {
  it('waits 30 s after the first failure and doubles after each one', () => {
    assert.deepEqual([1, 2, 3, 4].map(backoffMs), [30_000, 60_000, 120_000, 240_000])
  })

  it('never waits more than an hour', () => {
    assert.equal(backoffMs(8), 3_600_000)
    assert.equal(backoffMs(50), 3_600_000)
  })
})
