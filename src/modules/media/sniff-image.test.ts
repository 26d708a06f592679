import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renditionWidths } from './make-renditions.js'
import { findEmbeddedMarkup, imageEnding, sniffImage } from './sniff-image.js'

const bytes = (...parts: (string | number[] | Buffer)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))))

describe('sniffImage', () => {
  it('names each accepted format by its first bytes', () => {
    assert.equal(sniffImage(bytes([0xff, 0xd8, 0xff, 0xe0])), 'jpeg')
    assert.equal(sniffImage(bytes('\x89PNG\r\n\x1a\n')), 'png')
    assert.equal(sniffImage(bytes('GIF89a')), 'gif')
    assert.equal(sniffImage(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')), 'webp')
    assert.equal(sniffImage(bytes([0, 0, 0, 28], 'ftypavif', [0, 0, 0, 0], 'avifmif1miaf')), 'avif')
  })

  it('tells HEIC, SVG and other markup from images', () => {
    assert.equal(sniffImage(bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0], 'mif1heic')), 'heic')
    assert.equal(sniffImage(Buffer.from('\ufeff  <?xml version="1.0"?><svg>', 'utf8')), 'svg')
    assert.equal(sniffImage(bytes('<html><body>')), 'markup')
    assert.equal(sniffImage(bytes('%PDF-1.7')), 'unknown')
  })
})

describe('imageEnding', () => {
  it('finds a JPEG complete, cut short, or with bytes after its end marker', () => {
    assert.equal(imageEnding('jpeg', bytes([0xff, 0xd8, 1, 2, 0xff, 0xd9])), 'complete')
    assert.equal(imageEnding('jpeg', bytes([0xff, 0xd8, 1, 2, 0xff, 0xd9, 0, 0])), 'complete')
    assert.equal(imageEnding('jpeg', bytes([0xff, 0xd8, 1, 2])), 'truncated')
    assert.equal(imageEnding('jpeg', bytes([0xff, 0xd8, 0xff, 0xd9], 'PK\x03\x04')), 'trailing-data')
  })

  it('reads the RIFF size of a WebP and the boxes of an AVIF', () => {
    const webp = bytes('RIFF', [8, 0, 0, 0], 'WEBPVP8 ')
    assert.equal(imageEnding('webp', webp), 'complete')
    assert.equal(imageEnding('webp', webp.subarray(0, 14)), 'truncated')
    assert.equal(imageEnding('webp', bytes(webp, 'extra')), 'trailing-data')
    const avif = bytes([0, 0, 0, 16], 'ftypavif', [0, 0, 0, 0], [0, 0, 0, 8], 'mdat')
    assert.equal(imageEnding('avif', avif), 'complete')
    assert.equal(imageEnding('avif', bytes(avif, [0, 0, 0, 90], 'mdat')), 'truncated')
    assert.equal(imageEnding('avif', bytes(avif, '<scr')), 'trailing-data')
  })
})

describe('findEmbeddedMarkup', () => {
  it('finds script and page markup in any case, and not ordinary bytes', () => {
    assert.equal(findEmbeddedMarkup(bytes([0xff, 0xd8], '<SCRIPT>alert(1)')), '<SCRIPT>')
    assert.equal(findEmbeddedMarkup(bytes('GIF89a<?php echo 1')), '<?php')
    assert.equal(findEmbeddedMarkup(bytes([0xff, 0xd8, 0x3c, 0x62, 0x72, 0x3e])), undefined)
  })
})

describe('renditionWidths', () => {
  it('never makes a size larger than the original, and adds its own width up to 1600', () => {
    assert.deepEqual(renditionWidths(4000), [480, 800, 1200, 1600])
    assert.deepEqual(renditionWidths(1600), [480, 800, 1200, 1600])
    assert.deepEqual(renditionWidths(1000), [480, 800, 1000])
    assert.deepEqual(renditionWidths(300), [300])
  })
})
