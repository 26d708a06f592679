import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseWireDocument } from './parse-wire-document.js'
import type { WireItem } from './wire-item.js'

function parse(value: unknown) {
  return parseWireDocument(new TextEncoder().encode(JSON.stringify(value)))
}

function onlyItem(value: unknown): WireItem {
  const parsed = parse(value)
  assert.ok(parsed.ok, !parsed.ok ? parsed.reason : '')
  const [entry] = parsed.entries
  assert.ok(entry?.kind === 'item', entry?.kind === 'refused' ? entry.reason : 'no entry')
  return entry.item
}

function refusal(value: unknown): string {
  const parsed = parse(value)
  assert.ok(parsed.ok, !parsed.ok ? parsed.reason : '')
  const [entry] = parsed.entries
  assert.ok(entry?.kind === 'refused', 'expected a refusal')
  return entry.reason
}

const NINJS_1 = {
  uri: 'http://agency.test/2026/harbour',
  type: 'text',
  version: '2',
  versioncreated: '2026-03-02T08:00:00Z',
  firstcreated: '2026-03-02T07:00:00Z',
  urgency: 2,
  copyrightholder: 'Agency',
  language: 'en',
  byline: 'Sam Reporter',
  located: 'Westmere',
  headline: 'Harbour wall breached',
  description_text: 'Sea water reached the high street.',
  body_html: '<p>Storms breached the harbour wall overnight.</p><script>alert(1)</script>',
  subject: [{ name: 'Weather' }, { name: 'weather' }, { code: '123' }],
}

describe('ninjs', () => {
  it('reads a ninjs 1.x item: lower-case fields, headline, body_html, subject', () => {
    const item = onlyItem(NINJS_1)
    assert.equal(item.format, 'ninjs')
    assert.equal(item.guid, 'http://agency.test/2026/harbour')
    assert.equal(item.version, 2)
    assert.equal(item.headline, 'Harbour wall breached')
    assert.deepEqual(item.keyPoints, ['Sea water reached the high street.'])
    assert.equal(item.bodyHtml, '<p>Storms breached the harbour wall overnight.</p>')
    assert.equal(item.byline, 'Sam Reporter')
    assert.equal(item.credit, 'Agency')
    assert.deepEqual(item.topics, ['Weather'])
    assert.equal(item.breaking, true)
    assert.equal(item.located, 'Westmere')
    assert.deepEqual(item.versionCreated, new Date('2026-03-02T08:00:00Z'))
    assert.deepEqual(item.firstCreated, new Date('2026-03-02T07:00:00Z'))
  })

  it('takes the headline of a ninjs 1.x item without "headline" from headline_main, else another headline_*', () => {
    const { headline: _headline, body_html: _body, ...withoutHeadline } = NINJS_1
    const main = onlyItem({
      ...withoutHeadline,
      headline_short: 'Wall breached',
      headline_main: 'Harbour wall breached overnight',
      body_main: 'Storms breached the harbour wall.\n\nThe high street flooded.',
    })
    assert.equal(main.headline, 'Harbour wall breached overnight')
    assert.equal(main.bodyHtml, '<p>Storms breached the harbour wall.</p><p>The high street flooded.</p>')
    const other = onlyItem({ ...withoutHeadline, headline: ' ', headline_simple: 'Harbour wall breached' })
    assert.equal(other.headline, 'Harbour wall breached')
    const stated = onlyItem({ ...NINJS_1, headline_main: 'Not this one' })
    assert.equal(stated.headline, 'Harbour wall breached', '"headline" comes first')
    assert.equal(
      refusal({ ...withoutHeadline, headline_main: ['H'] }),
      '"headline_main" must be a string, not an array',
    )
  })

  it('takes a ninjs 1.x body_* naming rich text or HTML over other body_* when there is no body_html or body_text', () => {
    const item = onlyItem({
      uri: 'u:1',
      headline_main: 'H',
      body_main: 'Plain & short.',
      body_richtext: '<p>Rich <b>text</b>.</p>',
    })
    assert.equal(item.bodyHtml, '<p>Rich <b>text</b>.</p>')
    const known = onlyItem({ ...NINJS_1, body_richtext: '<p>Not this one.</p>' })
    assert.equal(known.bodyHtml, '<p>Storms breached the harbour wall overnight.</p>')
  })

  it('reads ninjs 2.x and 3.x: headlines and bodies arrays, camelCase or lower-case names alike', () => {
    const v3 = {
      uri: 'urn:agency:1',
      type: 'text',
      version: '5',
      versionCreated: '2026-03-02T08:00:00+01:00',
      copyrightHolder: 'dpa',
      by: 'Von Anna Schmidt, dpa',
      urgency: 4,
      headlines: [
        { role: 'sub', value: 'Sub' },
        { role: 'main', value: 'Main headline' },
      ],
      descriptions: [
        { role: 'summary', value: '<ul><li>First point</li><li>Second point</li></ul>' },
        { role: 'caption', value: 'Not a key point' },
      ],
      bodies: [
        { role: 'text', contentType: 'text/plain', value: 'Plain' },
        { role: 'html', contentType: 'text/html', value: '<section><p>Rich</p></section>' },
      ],
      subjects: [{ name: 'Sport', uri: 'http://cv.iptc.org/newscodes/mediatopic/15000000' }],
      keywords: ['Bundesliga'],
    }
    const item = onlyItem(v3)
    assert.equal(item.headline, 'Main headline')
    assert.deepEqual(item.keyPoints, ['First point', 'Second point'])
    assert.equal(item.bodyHtml, '<p>Rich</p>')
    assert.deepEqual(item.topics, ['Sport', 'Bundesliga'])
    assert.equal(item.breaking, false)
    const v2 = onlyItem(
      JSON.parse(JSON.stringify(v3).replace(/"versionCreated"/, '"versioncreated"')) as unknown,
    )
    assert.deepEqual(v2.versionCreated, item.versionCreated)
  })

  it('turns a plain-text body into paragraphs and a NITF body into our HTML', () => {
    const text = onlyItem({
      uri: 'u:1',
      headlines: [{ value: 'H' }],
      bodies: [{ value: 'One.\n\nTwo & more.' }],
    })
    assert.equal(text.bodyHtml, '<p>One.</p><p>Two &amp; more.</p>')
    const nitf = onlyItem({
      uri: 'u:2',
      headlines: [{ value: 'H' }],
      bodies: [
        {
          role: 'nitf',
          contentType: 'text/vnd.IPTC.NITF',
          value: '<nitf><body><body.content><p>From NITF</p></body.content></body></nitf>',
        },
      ],
    })
    assert.equal(nitf.bodyHtml, '<p>From NITF</p>')
  })

  it('takes a description whose role is "text" as the body of an item without one, and drops it as a teaser beside one', () => {
    // NTB's short stories come so (the ninjs examples' ntb_text.json).
    const ntb = onlyItem({
      uri: 'urn:ntb:1',
      headlines: [{ role: 'main', value: 'Google har kjøpt giganttomt i Skien' }],
      descriptions: [
        { role: 'text', contentType: 'text/plain', value: 'IT-giganten Google har kjøpt en tomt i Skien. ' },
      ],
    })
    assert.equal(ntb.bodyHtml, '<p>IT-giganten Google har kjøpt en tomt i Skien.</p>')
    assert.deepEqual(ntb.keyPoints, [])
    const html = onlyItem({
      uri: 'urn:ntb:2',
      headline: 'H',
      descriptions: [{ role: 'Body', contentType: 'text/html', value: '<p>All of <b>it</b>.</p>' }],
    })
    assert.equal(html.bodyHtml, '<p>All of <b>it</b>.</p>')
    const teaser = onlyItem({
      uri: 'urn:tt:1',
      headlines: [{ value: 'H' }],
      descriptions: [{ role: 'text', value: 'Cut from the body, then' }],
      bodies: [{ contentType: 'text/plain', value: 'The whole story.' }],
    })
    assert.equal(teaser.bodyHtml, '<p>The whole story.</p>')
    assert.deepEqual(teaser.keyPoints, [])
  })

  it('offers pictures among the associations, with caption and credit, as hero candidates', () => {
    const item = onlyItem({
      ...NINJS_1,
      associations: {
        mainpic: {
          type: 'picture',
          byline: 'Pat Photographer',
          description_text: 'The breach at dawn.',
          renditions: {
            small: { href: 'https://img.agency.test/s.jpg', width: 300, height: 200 },
            main: { href: 'https://img.agency.test/m.jpg', width: 1200, height: 800 },
          },
        },
      },
    })
    assert.deepEqual(item.pictures, [
      {
        href: 'https://img.agency.test/m.jpg',
        width: 1200,
        height: 800,
        caption: 'The breach at dawn.',
        credit: 'Pat Photographer',
        copyright: '',
      },
    ])
  })

  it('refuses an item without a headline, naming the field', () => {
    assert.equal(
      refusal({ uri: 'u:1', bodies: [{ value: 'Text' }] }),
      'the item has no headline ("headlines" (or "headline" in ninjs 1.x))',
    )
  })

  it('refuses fields of the wrong type with the field and the type found', () => {
    assert.equal(refusal({ uri: 'u:1', headline: 42 }), '"headline" must be a string, not a number')
    assert.equal(refusal({ uri: 'u:1', headlines: 'H' }), '"headlines" must be an array, not a string')
    assert.equal(refusal({ uri: 7, headline: 'H' }), '"uri" must be a string, not a number')
    assert.equal(
      refusal({ uri: 'u:1', headline: 'H', urgency: 'high' }),
      '"urgency" must be a whole number, not a string',
    )
    assert.equal(
      refusal({ uri: 'u:1', headline: 'H', versioncreated: 'yesterday' }),
      'versionCreated "yesterday" is not a date',
    )
  })

  it('refuses pictures and events by what they are', () => {
    assert.match(refusal({ uri: 'u:1', type: 'picture', headline: 'H' }), /is a picture, not a text story/)
    assert.match(refusal({ uri: 'u:1', title: 'Match', eventDetails: {} }), /is an event/)
    assert.equal(refusal({ headline: 'H' }), 'the ninjs item has no "uri"')
  })

  it('reads a canceled or withheld pubStatus as a withdrawal, which needs no headline', () => {
    for (const status of ['canceled', 'withheld'] as const) {
      const parsed = parse({ uri: 'u:kill', pubstatus: status })
      const [entry] = parsed.ok ? parsed.entries : []
      assert.equal(entry?.kind, 'item')
      assert.equal(entry?.kind === 'item' ? entry.item.withdrawn : undefined, status)
    }
    const usable = parse({ uri: 'u:1', headline: 'H', pubStatus: 'usable' })
    assert.equal(
      usable.ok && usable.entries[0]?.kind === 'item' ? usable.entries[0].item.withdrawn : 'x',
      null,
    )
  })

  it('reads a top-level array as a batch, refusing only its bad members', () => {
    const parsed = parse([NINJS_1, 'nonsense', { ...NINJS_1, uri: 'u:other' }])
    assert.ok(parsed.ok)
    assert.deepEqual(
      parsed.entries.map((e) => (e.kind === 'item' ? e.item.guid : e.reason)),
      ['http://agency.test/2026/harbour', 'a ninjs item must be a JSON object, not a string', 'u:other'],
    )
  })

  it('refuses JSON that does not parse, with the parser message', () => {
    const parsed = parseWireDocument(new TextEncoder().encode('{"uri": "u:1", '))
    assert.equal(parsed.ok, false)
    assert.match(!parsed.ok ? parsed.reason : '', /^invalid JSON: /)
  })
})
