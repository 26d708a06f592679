import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { followKey, normaliseEmail, parseFollowKey, safeReturnPath } from './reader.js'

describe('safeReturnPath', () => {
  it('keeps a plain local path, with its query', () => {
    assert.equal(safeReturnPath('/world/ferry-rescue'), '/world/ferry-rescue')
    assert.equal(safeReturnPath('/topic/shipping?page=2'), '/topic/shipping?page=2')
  })

  it('refuses anything that could lead off the site', () => {
    for (const raw of [
      'https://evil.example/',
      '//evil.example/path',
      '/\\evil.example',
      'javascript:alert(1)',
      'world/story',
      '/path with space',
      '/tab\there',
      '/nul\u0000',
      `/${'a'.repeat(600)}`,
      '',
      undefined,
    ]) {
      assert.equal(safeReturnPath(raw), undefined, String(raw))
    }
  })
})

describe('follow keys', () => {
  it('round-trips topic, author and section targets', () => {
    for (const target of [
      { kind: 'topic', targetId: 12 },
      { kind: 'author', targetId: 3 },
      { kind: 'section', targetId: 1 },
    ] as const) {
      assert.deepEqual(parseFollowKey(followKey(target)), target)
    }
  })

  it('refuses unknown kinds, ids that are not positive whole numbers, and junk', () => {
    for (const raw of [
      'reader:1',
      'topic:0',
      'topic:-1',
      'topic:1.5',
      'topic:',
      'topic',
      ' topic:1',
      undefined,
    ]) {
      assert.equal(parseFollowKey(raw), undefined, String(raw))
    }
  })
})

describe('normaliseEmail', () => {
  it('trims and lower-cases an address', () => {
    assert.equal(normaliseEmail('  Reader@Example.ORG '), 'reader@example.org')
  })

  it('refuses what is not an address, or could smuggle another header', () => {
    for (const raw of [
      '',
      'reader',
      'reader@',
      '@example.org',
      'a@b',
      'a b@example.org',
      'a@example.org\nBcc: x@y.z',
      'a,b@example.org',
    ]) {
      assert.equal(normaliseEmail(raw), undefined, raw)
    }
  })
})
