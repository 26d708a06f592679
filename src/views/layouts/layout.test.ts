import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { safeJson } from './layout.js'

describe('safeJson', () => {
  it('leaves nothing that could close the script element or a comment, and parses back to the same value', () => {
    const value = { headline: '</script><script>alert(1)</script><!-- & \u2028\u2029 -->', n: [1, '>'] }
    const json = safeJson(value)
    assert.doesNotMatch(json, /[<>&\u2028\u2029]/)
    assert.deepEqual(JSON.parse(json), value)
  })
})
