import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { childElements, innerHtml, parseXml, serializeXml, textOf } from './safe-xml.js'

// shared/ sits beside the repository; from dist/src/modules/wire that is five levels up.
const XXE_FILES = fileURLToPath(
  new URL('../../../../../shared/testdata/payloads/XXE Injection/Files/', import.meta.url),
)

function parsed(xml: string) {
  const result = parseXml(xml)
  if (!result.ok) throw new Error(result.reason)
  return result.root
}

describe('parseXml', () => {
  it('resolves namespaces whatever prefix a document uses', () => {
    const root = parsed('<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>T</a:title></a:feed>')
    assert.equal(root.local, 'feed')
    assert.equal(root.uri, 'http://www.w3.org/2005/Atom')
    assert.equal(childElements(root, 'title', 'http://www.w3.org/2005/Atom').length, 1)
  })

  it('expands the predefined entities and character references, and keeps CDATA as text', () => {
    const root = parsed('<p>Tom &amp; Jerry &#x2014; &lt;live&gt; <![CDATA[<b>raw</b>]]></p>')
    assert.equal(textOf(root), 'Tom & Jerry \u2014 <live> <b>raw</b>')
  })

  it('refuses an external entity without reading the file it names', () => {
    const result = parseXml(
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY f SYSTEM "file:///etc/passwd">]><d>&f;</d>',
    )
    assert.equal(result.ok, false)
    assert.match(!result.ok ? result.reason : '', /DOCTYPE declares entities/)
  })

  it('refuses a billion-laughs document at once instead of expanding it', () => {
    const levels = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? '<!ENTITY a0 "lol">' : `<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`,
    ).join('')
    const started = performance.now()
    const result = parseXml(`<!DOCTYPE d [${levels}]><d>&a9;</d>`)
    assert.equal(result.ok, false)
    assert.ok(performance.now() - started < 500, 'refused without expanding')
  })

  it('refuses a reference to an entity no one defined, naming line and column', () => {
    const result = parseXml('<p>\n  caf&eacute;</p>')
    assert.equal(result.ok, false)
    assert.match(!result.ok ? result.reason : '', /^invalid XML at line 2, column \d+: undefined entity$/)
  })

  it('refuses documents nested deeper than the limit', () => {
    const deep = '<a>'.repeat(50) + '</a>'.repeat(50)
    const result = parseXml(deep, { maxDepth: 20, maxElements: 1000 })
    assert.deepEqual(result, { ok: false, reason: 'the XML nests deeper than 20 elements' })
  })

  it('refuses documents with more elements than the limit', () => {
    const result = parseXml(`<a>${'<b/>'.repeat(20)}</a>`, { maxDepth: 10, maxElements: 10 })
    assert.deepEqual(result, { ok: false, reason: 'the XML has more than 10 elements' })
  })

  it('refuses a document with two root elements', () => {
    const result = parseXml('<head></head><body></body>')
    assert.equal(result.ok, false)
  })

  it(
    'refuses every XXE and entity-bomb sample of the shared test data',
    { skip: !existsSync(XXE_FILES) },
    () => {
      for (const name of readdirSync(XXE_FILES)) {
        const text = readFileSync(path.join(XXE_FILES, name), 'utf8')
        const result = parseXml(text)
        assert.equal(result.ok, false, name)
        assert.ok(!result.ok && !/root:x:0:0/.test(result.reason), `${name} leaks nothing`)
      }
    },
  )
})

describe('innerHtml and serializeXml', () => {
  it('writes XHTML content as HTML with escaped text and attributes', () => {
    const root = parsed(
      '<div xmlns="http://www.w3.org/1999/xhtml"><p class="x&quot;y">a &lt; b &amp; c</p><br/></div>',
    )
    assert.equal(innerHtml(root), '<p class="x&quot;y">a &lt; b &amp; c</p><br></br>')
  })

  it('re-serialises one element with the namespaces it uses declared on it', () => {
    const root = parsed(
      '<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><dc:creator>Ana</dc:creator></item></channel></rss>',
    )
    const item = childElements(childElements(root, 'channel')[0]!, 'item')[0]!
    const xml = serializeXml(item)
    assert.equal(xml, '<item xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Ana</dc:creator></item>')
    assert.equal(parseXml(xml).ok, true)
  })
})
