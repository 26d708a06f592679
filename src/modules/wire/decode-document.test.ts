import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { decodeDocument } from './decode-document.js'

const LIMITS = { maxBytes: 64 * 1024 }
const bytes = (text: string) => new TextEncoder().encode(text)

describe('decodeDocument', () => {
  it('tells JSON from XML by the first character, after a BOM and blank space', () => {
    assert.deepEqual(decodeDocument(bytes('\ufeff  {"a":1}'), LIMITS), {
      ok: true,
      syntax: 'json',
      text: '  {"a":1}',
    })
    const xml = decodeDocument(bytes('\n<rss/>'), LIMITS)
    assert.equal(xml.ok && xml.syntax, 'xml')
  })

  it('decodes the character set an XML declaration names', () => {
    const cyrillic = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="windows-1251"?><t>'),
      Buffer.from([0xcd, 0xee, 0xe2, 0xee, 0xf1, 0xf2, 0xe8]),
      Buffer.from('</t>'),
    ])
    const decoded = decodeDocument(cyrillic, LIMITS)
    assert.ok(decoded.ok)
    assert.match(decoded.text, /<t>Новости<\/t>/)
  })

  it('refuses bytes that are not valid in the declared encoding instead of garbling them', () => {
    const broken = Buffer.concat([
      Buffer.from('{"headline":"'),
      Buffer.from([0xff, 0xfe, 0xfd]),
      Buffer.from('"}'),
    ])
    assert.deepEqual(decodeDocument(broken, LIMITS), {
      ok: false,
      reason: 'the document is not valid utf-8 text',
    })
  })

  it('refuses an unknown character encoding by name', () => {
    const result = decodeDocument(bytes('<?xml version="1.0" encoding="klingon-8"?><a/>'), LIMITS)
    assert.deepEqual(result, { ok: false, reason: 'unsupported character encoding "klingon-8"' })
  })

  it('undoes gzip, but refuses gzip that expands past the size limit', () => {
    const small = decodeDocument(gzipSync(bytes('<rss version="2.0"/>')), LIMITS)
    assert.deepEqual(small, { ok: true, syntax: 'xml', text: '<rss version="2.0"/>' })
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20))
    assert.ok(bomb.length < LIMITS.maxBytes)
    assert.deepEqual(decodeDocument(bomb, LIMITS), {
      ok: false,
      reason: 'the gzip data expands beyond the 65536-byte limit',
    })
  })

  it('refuses empty, oversized and non-JSON, non-XML documents with the reason', () => {
    assert.deepEqual(decodeDocument(new Uint8Array(), LIMITS), { ok: false, reason: 'the document is empty' })
    assert.deepEqual(decodeDocument(new Uint8Array(LIMITS.maxBytes + 1), LIMITS), {
      ok: false,
      reason: 'the document is 65537 bytes; the limit is 65536 bytes',
    })
    assert.deepEqual(decodeDocument(bytes('Hello, desk'), LIMITS), {
      ok: false,
      reason: 'not JSON or XML: it begins with "Hello, desk"',
    })
    assert.deepEqual(decodeDocument(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), LIMITS), {
      ok: false,
      reason: 'not JSON or XML: it begins with the bytes 0x89 0x50 0x4e 0x47',
    })
  })
})
