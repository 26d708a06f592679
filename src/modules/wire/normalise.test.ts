import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { normaliseWireItem, textToHtml, type WireItemDraft } from './normalise.js'

const draft = (overrides: Partial<WireItemDraft> = {}): WireItemDraft => ({
  format: 'ninjs',
  guid: 'urn:x:1',
  version: 1,
  headline: 'Headline',
  summaries: [],
  body: { html: '<p>Body text here.</p>' },
  topics: [],
  pictures: [],
  ...overrides,
})

function item(overrides: Partial<WireItemDraft>) {
  const result = normaliseWireItem(draft(overrides))
  assert.ok(result.ok, !result.ok ? result.reason : '')
  return result.item
}

describe('normaliseWireItem', () => {
  it('removes scripts and event handlers from the body and markup from the headline', () => {
    const normalised = item({
      headline: '<b>Storm</b> <script>alert(1)</script>warning',
      body: { html: '<p onclick="x()">Rain.</p><script>alert(1)</script><img src="javascript:alert(1)">' },
    })
    assert.equal(normalised.headline, 'Storm warning')
    assert.match(normalised.bodyHtml, /^<p>Rain\.<\/p>/)
    assert.doesNotMatch(normalised.bodyHtml, /script|onclick|javascript:/)
  })

  it('leaves out the images of an agency body, figure and caption with them, and keeps the text and links', () => {
    const normalised = item({
      body: {
        html:
          '<p>Rain fell.<img src="http://ads.tracker.example/pixel.gif?reader=1" width="1" height="1"></p>' +
          '<figure><img src="https://photos.agency.example/flood.jpg" alt="Flood"><figcaption>The river</figcaption></figure>' +
          '<p>More at <a href="https://agency.example/">the agency</a>.</p>',
      },
    })
    assert.equal(
      normalised.bodyHtml,
      '<p>Rain fell.</p><p>More at <a href="https://agency.example/" rel="noopener noreferrer">the agency</a>.</p>',
    )
    // Offering no picture of its own, the item offers its body's first real image (not the pixel) for its hero.
    assert.deepEqual(normalised.pictures, [
      {
        href: 'https://photos.agency.example/flood.jpg',
        width: null,
        height: null,
        caption: 'Flood',
        credit: '',
        copyright: '',
      },
    ])
  })

  it("offers no body image for its hero when the item offers a picture of its own, or when the body's only image is a pixel", () => {
    const own = {
      href: 'https://photos.agency.example/own.jpg',
      width: 800,
      height: 600,
      caption: 'Own',
      credit: 'Agency',
      copyright: '',
    }
    const body = { html: '<p>Text.</p><img src="https://photos.agency.example/inline.jpg" alt="Inline">' }
    assert.deepEqual(
      item({ body, pictures: [own] }).pictures.map((p) => p.href),
      [own.href],
    )
    const pixelOnly = { html: '<p>Text.</p><img src="https://ads.example/p.gif" width="1" height="1">' }
    assert.deepEqual(item({ body: pixelOnly }).pictures, [])
  })

  it('drops a summary the body merely opens with, and keeps at most six key points', () => {
    assert.deepEqual(item({ summaries: ['Body text here'] }).keyPoints, [])
    const many = item({
      summaries: [
        `<ul>${'<li>Point</li>'.repeat(3)}${[1, 2, 3, 4, 5].map((n) => `<li>P${n}</li>`).join('')}</ul>`,
      ],
    })
    assert.deepEqual(many.keyPoints, ['Point', 'P1', 'P2', 'P3', 'P4', 'P5'])
  })

  it('compares a summary with the start of a long, heavily marked-up body', () => {
    const heavy = `<p><a href="https://example.org/${'x'.repeat(600)}">Ministers</a> met today in the capital.</p>`
    const body = { html: heavy + '<p>More text follows.</p>'.repeat(500) }
    assert.deepEqual(item({ body, summaries: ['Ministers met today in the capital…'] }).keyPoints, [])
    assert.deepEqual(item({ body, summaries: ['Talks collapse'] }).keyPoints, ['Talks collapse'])
  })

  it('shortens an over-long headline at a word instead of refusing the story', () => {
    const headline = item({ headline: `${'word '.repeat(60)}end` }).headline
    assert.ok(headline.length <= 200)
    assert.match(headline, /word…$/)
  })

  it('keeps topic names once whatever their case, and leaves out over-long ones', () => {
    assert.deepEqual(item({ topics: ['Trump', 'trump', 'x'.repeat(81), ' Donald  Trump '] }).topics, [
      'Trump',
      'Donald Trump',
    ])
  })

  it('marks urgency 1 and 2 as breaking, and nothing else', () => {
    assert.deepEqual(
      [1, 2, 3, 9, undefined].map((urgency) => item({ urgency }).breaking),
      [true, true, false, false, false],
    )
  })

  it('drops a leading heading that repeats the headline and puts text standing between blocks in paragraphs', () => {
    // TT's "html5" body, shortened from the ninjs examples' tt_text_image_3.json.
    const tt = item({
      headline: 'Militärövning i jätteformat hålls 2023',
      body: {
        html:
          '<html><head><title>Militärövning i jätteformat hålls 2023</title></head><body><article> ' +
          '<section data-charCount="1751"> <h1>Militärövning i jätteformat hålls 2023</h1>' +
          '<div class="dat"><span class="vignette">Försvar</span><span class="source">TT</span></div>' +
          '<div class="bodytext"> <p>Pandemin satte stopp för övningen.</p><blockquote>Aurora 2023.</blockquote> ' +
          'Efter citatet <a href="https://x.test/">länk</a></div></section></article></body></html>',
      },
    })
    assert.equal(
      tt.bodyHtml,
      '<p>FörsvarTT</p><p>Pandemin satte stopp för övningen.</p><blockquote>Aurora 2023.</blockquote>' +
        '<p>Efter citatet <a href="https://x.test/" rel="noopener noreferrer">länk</a></p>',
    )
  })

  it('keeps a heading that differs from the headline or comes later, and a body without stray text as it was', () => {
    const other = item({ headline: 'Storm', body: { html: '<h1>Storm warning</h1><p>Rain.</p>' } })
    assert.equal(other.bodyHtml, '<h2>Storm warning</h2><p>Rain.</p>')
    const later = item({ headline: 'Storm', body: { html: '<p>Rain.</p><h2>Storm</h2><p>Wind.</p>' } })
    assert.equal(later.bodyHtml, '<p>Rain.</p><h2>Storm</h2><p>Wind.</p>')
    const tidy = '<p>Rain &amp; wind.</p>\n<ul><li>One</li></ul> <blockquote><p>Quote.</p></blockquote>'
    assert.equal(item({ body: { html: tidy } }).bodyHtml, tidy)
    // The image goes (agency bodies keep none); the link it sat in has no words and stays as it was.
    const pictureFirst = item({
      headline: 'Storm',
      body: {
        html: '<a href="https://x.test/"><img src="https://x.test/p.gif" /></a><h1>Storm</h1><p>Rain.</p>',
      },
    })
    assert.equal(
      pictureFirst.bodyHtml,
      '<a href="https://x.test/" rel="noopener noreferrer"></a><p>Rain.</p>',
    )
    assert.equal(
      item({ body: { html: 'Only text, <b>no</b> blocks' } }).bodyHtml,
      '<p>Only text, <b>no</b> blocks</p>',
    )
  })

  it('refuses a body over the article limit after cleaning', () => {
    const result = normaliseWireItem(draft({ body: { text: 'x'.repeat(250_000) } }))
    assert.deepEqual(result, {
      ok: false,
      reason: 'the body is 250007 characters after cleaning; the limit is 200000',
    })
  })
})

describe('textToHtml', () => {
  it('makes paragraphs from blank-line blocks, or from lines when there are no blank lines', () => {
    assert.equal(textToHtml('One\nstill one\n\nTwo <b>'), '<p>One<br>still one</p><p>Two &lt;b&gt;</p>')
    assert.equal(textToHtml('A\nB'), '<p>A</p><p>B</p>')
  })
})
