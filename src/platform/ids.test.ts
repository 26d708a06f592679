import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isShortCode, randomSecret, randomShortCode } from './ids.js'

const UNAMBIGUOUS = /^[23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ]+$/

describe('randomShortCode', () => {
  it('makes codes of the requested length from the unambiguous alphabet only', () => {
    for (let i = 0; i < 500; i++) {
      const code = randomShortCode()
      assert.equal(code.length, 7)
      assert.match(code, UNAMBIGUOUS)
    }
    assert.equal(randomShortCode(12).length, 12)
  })

  it('does not repeat itself across many draws', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => randomShortCode()))
    assert.equal(codes.size, 2000)
  })

  it('uses every character of the alphabet over enough draws', () => {
    const seen = new Set(Array.from({ length: 400 }, () => randomShortCode()).join(''))
    assert.equal(seen.size, 55)
  })
})

describe('isShortCode', () => {
  it('accepts every code randomShortCode makes', () => {
    for (let i = 0; i < 500; i++) {
      const code = randomShortCode()
      assert.equal(isShortCode(code), true, code)
    }
  })

  it('rejects codes with characters that are easy to misread', () => {
    for (const code of ['abc0def', 'abc1def', 'abcldef', 'abcIdef', 'abcOdef', 'abcidef', 'abcodef']) {
      assert.equal(isShortCode(code), false, code)
    }
  })

  it('rejects codes that are too short, too long or contain punctuation', () => {
    for (const code of ['abc', 'a'.repeat(13), 'abc-def', 'abc def', '']) {
      assert.equal(isShortCode(code), false, code)
    }
  })
})

describe('randomSecret', () => {
  it('is URL-safe and carries 256 bits', () => {
    const secret = randomSecret()
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(Buffer.from(secret, 'base64url').length, 32)
  })

  it('differs every time', () => {
    assert.notEqual(randomSecret(), randomSecret())
  })
})
