import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PictureCandidate } from './wire-item.js'
import { choosePicture, creditLine, heroTextsOf, locatePicture } from './wire-pictures.js'

const picture = (href: string, more: Partial<PictureCandidate> = {}): PictureCandidate => ({
  href,
  width: null,
  height: null,
  caption: '',
  credit: '',
  copyright: '',
  ...more,
})

const FILE = { besideFile: true }
const PUSHED = { besideFile: false }

describe('locatePicture', () => {
  it('fetches an absolute http(s) URL whatever the delivery', () => {
    assert.deepEqual(locatePicture(' https://img.agency.test/a.jpg ', PUSHED), {
      kind: 'url',
      url: 'https://img.agency.test/a.jpg',
    })
  })

  it('reads a relative path beside a delivered file, sub-folders included', () => {
    assert.deepEqual(locatePicture('photo.jpg', FILE), { kind: 'file', path: 'photo.jpg' })
    assert.deepEqual(locatePicture('./pics//harbour.jpg', FILE), { kind: 'file', path: 'pics/harbour.jpg' })
  })

  it('resolves a relative address against the URL the document was fetched from', () => {
    const base = { documentUrl: 'https://feeds.agency.test/world/feed.xml', besideFile: false }
    assert.deepEqual(locatePicture('img/a.jpg', base), {
      kind: 'url',
      url: 'https://feeds.agency.test/world/img/a.jpg',
    })
    assert.deepEqual(locatePicture('/b.jpg', base), { kind: 'url', url: 'https://feeds.agency.test/b.jpg' })
  })

  it('refuses paths leading out of the folder, absolute paths and other schemes', () => {
    const reason = (href: string) => {
      const located = locatePicture(href, FILE)
      return 'refused' in located ? located.refused : ''
    }
    assert.match(reason('../secret.jpg'), /leads out of the document's folder/)
    assert.match(reason('pics/../../etc/passwd'), /leads out of the document's folder/)
    assert.match(reason('..\\up.jpg'), /leads out of the document's folder/)
    assert.match(reason('/etc/passwd'), /is an absolute path/)
    assert.match(reason('C:\\photos\\a.jpg'), /is an absolute path/)
    assert.match(reason('file:///etc/passwd'), /a file: address; only http\(s\) pictures are fetched/)
    assert.match(reason('data:image/png;base64,AAAA'), /a data: address/)
    assert.match(reason(''), /has no address/)
  })

  it('refuses a relative path when the document came with no file beside it (a push)', () => {
    const located = locatePicture('photo.jpg', PUSHED)
    assert.ok('refused' in located)
    assert.match(located.refused, /relative address, and the document came with no file or URL/)
  })
})

describe('choosePicture', () => {
  it('takes the first usable candidate, skipping unusable ones', () => {
    const choice = choosePicture([picture('data:image/gif;base64,R0l'), picture('second.jpg')], FILE)
    assert.equal(choice.kind, 'chosen')
    assert.deepEqual(choice.kind === 'chosen' && choice.address, { kind: 'file', path: 'second.jpg' })
  })

  it("refuses with the first candidate's reason when none is usable, and is none without candidates", () => {
    assert.deepEqual(choosePicture([picture('../a.jpg'), picture('ftp://x/b.jpg')], FILE), {
      kind: 'refused',
      href: '../a.jpg',
      reason: `"../a.jpg" leads out of the document's folder; only paths beside it are read`,
    })
    assert.deepEqual(choosePicture([], FILE), { kind: 'none' })
  })
})

describe('heroTextsOf', () => {
  it("describes the photo by its caption, or else by the story's headline", () => {
    const captioned = heroTextsOf(picture('a.jpg', { caption: 'Waves break over the wall' }), 'Storm')
    assert.equal(captioned.alt, 'Waves break over the wall')
    assert.equal(captioned.caption, 'Waves break over the wall')
    const bare = heroTextsOf(picture('a.jpg'), 'Harbour wall breached')
    assert.deepEqual(bare, { alt: 'Harbour wall breached', caption: '', credit: '' })
  })

  it('keeps the texts within the media library limits', () => {
    const texts = heroTextsOf(
      picture('a.jpg', { caption: 'word '.repeat(300), credit: 'c'.repeat(300) }),
      'H',
    )
    assert.ok(texts.alt.length <= 500 && texts.caption.length <= 1000 && texts.credit.length <= 200)
  })
})

describe('creditLine', () => {
  it('joins credit and copyright, saying a name once when one contains the other', () => {
    assert.equal(creditLine('AP Photo/Jane Doe', '© 2026 AP'), 'AP Photo/Jane Doe; © 2026 AP')
    assert.equal(
      creditLine('Example Agency', 'Copyright 2026 Example Agency'),
      'Copyright 2026 Example Agency',
    )
    assert.equal(creditLine('Reuters/File', 'reuters/file'), 'Reuters/File')
    assert.equal(creditLine('', '© Agency'), '© Agency')
    assert.equal(creditLine('Agency', ''), 'Agency')
  })
})
