import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parseWireDocument } from './parse-wire-document.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/wire/${name}`, import.meta.url))
const bytes = (text: string) => new TextEncoder().encode(text)
const NAR = 'http://iptc.org/std/nar/2006-10-01/'

function entries(input: Uint8Array) {
  const parsed = parseWireDocument(input)
  assert.ok(parsed.ok, !parsed.ok ? parsed.reason : '')
  assert.equal(parsed.format, 'newsml-g2')
  return parsed.entries
}

const NITF_ITEM = `<newsItem xmlns="${NAR}" guid="urn:newsml:agency.test:1" version="2">
  <itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-03-02T10:00:00Z</versionCreated></itemMeta>
  <contentMeta><headline>Budget passes</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/nitf+xml">
    <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body>
      <body.head><byline>By Kim Lee</byline></body.head>
      <body.content><p>The budget passed by 210 votes.</p><hl2>REACTION</hl2></body.content>
    </body></nitf>
  </inlineXML></contentSet>
</newsItem>`

describe('NewsML-G2', () => {
  it('reads a news item with an inline XHTML body: headline, summary, dateline, subjects, urgency', () => {
    const [entry] = entries(fixture('g2-xhtml-flash.xml'))
    assert.ok(entry?.kind === 'item')
    const item = entry.item
    assert.equal(item.guid, 'urn:newsml:example-agency.test:20260302:QUAKE')
    assert.equal(item.version, 3)
    assert.equal(item.headline, 'Strong earthquake shakes central Chile')
    assert.deepEqual(item.keyPoints, ['A magnitude 7.1 quake struck off the coast near Valparaíso.'])
    assert.equal(
      item.bodyHtml,
      '<p>VALPARAÍSO, Chile (EXA) — A strong earthquake shook central Chile on Monday &amp; buildings swayed in Santiago.</p>\n' +
        '          <h2>TSUNAMI WARNING</h2>\n' +
        '          <p>The navy issued a precautionary warning.</p>',
    )
    assert.equal(item.byline, 'Ana Torres')
    assert.equal(item.credit, 'Example Agency')
    assert.equal(item.copyright, 'Copyright 2026 Example Agency')
    assert.deepEqual(item.topics, ['disaster, accident and emergency incident', 'earthquake', 'Chile'])
    assert.equal(item.breaking, true)
    assert.equal(item.located, 'Valparaíso, Chile')
    assert.equal(item.language, 'en')
    assert.deepEqual(item.firstCreated, new Date('2026-03-02T08:02:00Z'))
  })

  it('takes the body of NITF carried in inlineXML, and the NITF byline when no creator is named', () => {
    const [entry] = entries(bytes(NITF_ITEM))
    assert.ok(entry?.kind === 'item')
    assert.equal(entry.item.bodyHtml, '<p>The budget passed by 210 votes.</p><h2>REACTION</h2>')
    assert.equal(entry.item.byline, 'By Kim Lee')
  })

  it('reads each news item of a news message and refuses the packages in it', () => {
    const message = `<newsMessage xmlns="${NAR}"><header/><itemSet>
      <packageItem guid="p1"/>${NITF_ITEM.replace(`xmlns="${NAR}" `, '')}</itemSet></newsMessage>`
    const found = entries(bytes(message))
    assert.deepEqual(
      found.map((e) => (e.kind === 'item' ? e.item.headline : e.reason)),
      ['a NewsML-G2 packageItem, not a news item; only news items are ingested', 'Budget passes'],
    )
  })

  it('gives a story the photos sent beside it in its news message, with caption, credit and copyright', () => {
    const picture = (
      guid: string,
      caption: string,
      renditions: string,
    ) => `<newsItem guid="${guid}" version="1">
      <rightsInfo><copyrightNotice>© 2026 Agency Photo</copyrightNotice></rightsInfo>
      <itemMeta><itemClass qcode="ninat:picture"/></itemMeta>
      <contentMeta><creditline>Ana Ruiz/Agency</creditline>
        <description role="drol:caption">${caption}</description></contentMeta>
      <contentSet>${renditions}</contentSet></newsItem>`
    const story = NITF_ITEM.replace(`xmlns="${NAR}" `, '')
    const message = `<newsMessage xmlns="${NAR}"><header/><itemSet>${story}
      ${picture(
        'pic-1',
        'Members vote on the budget.',
        '<remoteContent href="pics/vote-small.jpg" contenttype="image/jpeg" width="400" height="300"/>' +
          '<remoteContent href="pics/vote.jpg" contenttype="image/jpeg" width="2000" height="1500"/>' +
          '<remoteContent href="pics/vote.xmp" contenttype="application/rdf+xml"/>',
      )}</itemSet></newsMessage>`
    const found = entries(bytes(message))
    assert.equal(found.length, 1, 'the photo travels with its story, not as an item of its own')
    const [entry] = found
    assert.ok(entry?.kind === 'item')
    assert.deepEqual(entry.item.pictures, [
      {
        href: 'pics/vote.jpg',
        width: 2000,
        height: 1500,
        caption: 'Members vote on the budget.',
        credit: 'Ana Ruiz/Agency',
        copyright: '© 2026 Agency Photo',
      },
    ])

    // With two stories, each takes the photos it links to; a photo no story takes is refused.
    const linked = (guid: string, headline: string, link: string) =>
      story
        .replace('urn:newsml:agency.test:1', guid)
        .replace('Budget passes', headline)
        .replace('<itemClass qcode="ninat:text"/>', `<itemClass qcode="ninat:text"/>${link}`)
    const two = `<newsMessage xmlns="${NAR}"><header/><itemSet>
      ${linked('s1', 'First story', '<link rel="irel:seeAlso" residref="pic-a"/>')}
      ${linked('s2', 'Second story', '')}
      ${picture('pic-a', 'Photo A.', '<remoteContent href="https://photos.test/a.jpg" width="800" height="600"/>')}
      ${picture('pic-b', 'Photo B.', '<remoteContent href="https://photos.test/b.jpg" width="800" height="600"/>')}
    </itemSet></newsMessage>`
    assert.deepEqual(
      entries(bytes(two)).map((e) =>
        e.kind === 'item' ? [e.item.headline, e.item.pictures.map((p) => p.href)] : e.reason,
      ),
      [
        ['First story', ['https://photos.test/a.jpg']],
        ['Second story', []],
        'the NewsML-G2 news item is a picture (itemClass), not a text story',
      ],
    )
  })

  it('refuses planning, concept and picture items and fragments by what they are', () => {
    const refusal = (xml: string) => {
      const parsed = parseWireDocument(bytes(xml))
      if (!parsed.ok) return parsed.reason
      const [entry] = parsed.entries
      return entry?.kind === 'refused' ? entry.reason : 'ingested'
    }
    assert.equal(
      refusal(`<planningItem xmlns="${NAR}" guid="x"/>`),
      'a NewsML-G2 planningItem, not a news item; only news items are ingested',
    )
    assert.equal(
      refusal(
        `<newsItem xmlns="${NAR}" guid="x"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem>`,
      ),
      'the NewsML-G2 news item is a picture (itemClass), not a text story',
    )
    assert.equal(
      refusal('<contentSet><inlineXML/></contentSet>'),
      'a NewsML-G2 fragment <contentSet>, not a complete news item',
    )
    assert.equal(
      refusal(`<newsItem xmlns="${NAR}" version="1"/>`),
      'the NewsML-G2 news item has no guid attribute',
    )
    assert.equal(
      refusal(`<newsItem xmlns="${NAR}" guid="x" version="two"/>`),
      'version "two" is not a whole number',
    )
  })
})
