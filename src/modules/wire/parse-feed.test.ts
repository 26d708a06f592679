import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parseWireDocument } from './parse-wire-document.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/wire/${name}`, import.meta.url))
const bytes = (text: string) => new TextEncoder().encode(text)

const RSS = `<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>Town Gazette</title><link>https://gazette.test/</link><language>en-gb</language>
    <item>
      <title>Bridge reopens</title>
      <link>https://gazette.test/bridge</link>
      <guid isPermaLink="false">4711</guid>
      <pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate>
      <dc:creator>Lee Writer</dc:creator>
      <category>Transport</category>
      <description>The bridge is open again after repairs.</description>
      <content:encoded><![CDATA[<p>The bridge reopened at noon.</p><p>Traffic is light.</p>]]></content:encoded>
      <media:title>Not the headline</media:title>
      <enclosure url="https://gazette.test/bridge.jpg" type="image/jpeg" length="1000"/>
    </item>
    <item><description>No title and no id</description></item>
  </channel>
</rss>`

describe('RSS and Atom feeds', () => {
  it('reads RSS 2.0 items: content:encoded as body, description as a key point, guid scoped to the feed', () => {
    const parsed = parseWireDocument(bytes(RSS))
    assert.ok(parsed.ok && parsed.format === 'rss')
    const [first, second] = parsed.entries
    assert.ok(first?.kind === 'item')
    assert.equal(first.item.guid, 'https://gazette.test/#4711')
    assert.equal(first.item.headline, 'Bridge reopens')
    assert.equal(first.item.bodyHtml, '<p>The bridge reopened at noon.</p><p>Traffic is light.</p>')
    assert.deepEqual(first.item.keyPoints, ['The bridge is open again after repairs.'])
    assert.equal(first.item.byline, 'Lee Writer')
    assert.equal(first.item.credit, 'Town Gazette')
    assert.deepEqual(first.item.topics, ['Transport'])
    assert.equal(first.item.version, null)
    assert.deepEqual(first.item.versionCreated, new Date('2026-03-02T08:00:00Z'))
    assert.equal(first.item.pictures[0]?.href, 'https://gazette.test/bridge.jpg')
    assert.deepEqual(
      second?.kind === 'refused' && second.reason,
      'the feed item has no guid or link to identify it',
    )
  })

  it('reads Atom entries: xhtml content, html titles as text, media pictures, and refuses a bad date', () => {
    const parsed = parseWireDocument(fixture('atom-xhtml.atom'))
    assert.ok(parsed.ok && parsed.format === 'atom')
    const [first, second] = parsed.entries
    assert.ok(first?.kind === 'item')
    assert.equal(first.item.guid, 'tag:example-agency.test,2026:story-1')
    assert.equal(first.item.headline, 'Port strike ends after talks')
    assert.equal(
      first.item.bodyHtml,
      '<p>Dock workers voted to <strong>accept</strong> the offer.</p><p>Ships began unloading at noon.</p>',
    )
    assert.deepEqual(first.item.keyPoints, ['Dock workers accept a new pay offer.'])
    assert.equal(first.item.byline, 'Example Agency')
    assert.deepEqual(first.item.topics, ['Labour'])
    assert.deepEqual(first.item.pictures, [
      {
        href: 'https://img.example-agency.test/port.jpg',
        width: 1600,
        height: 900,
        caption: 'Cranes at the port on Monday.',
        credit: 'Jo Lee/Example Agency',
        copyright: '',
      },
    ])
    assert.deepEqual(second?.kind === 'refused' && second.reason, 'versionCreated "not a date" is not a date')
  })

  it('refuses RSS 1.0, HTML pages and unknown XML by name', () => {
    const reason = (text: string) => {
      const parsed = parseWireDocument(bytes(text))
      return parsed.ok ? 'ingested' : parsed.reason
    }
    assert.equal(
      reason('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'),
      'an RSS 1.0 (RDF) feed; only RSS 2.0 and Atom 1.0 feeds are ingested',
    )
    assert.equal(
      reason('<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head></html>'),
      'an HTML page, not a news document or feed',
    )
    assert.equal(
      reason('<catalog xmlns="urn:x"/>'),
      'unrecognised XML: the root element <catalog> in namespace urn:x is not a NewsML-G2 item, RSS or Atom',
    )
    assert.equal(
      reason('<rss version="2.0"><channel><title>Empty</title></channel></rss>'),
      'the rss document holds no items',
    )
  })
})
