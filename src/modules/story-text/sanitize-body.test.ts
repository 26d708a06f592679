import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { rememberCleanBodies, sanitizeBody } from './sanitize-body.js'

describe('sanitizeBody', () => {
  it('keeps the allowed subset of story markup as written', () => {
    const body =
      '<h2>What we know</h2><p>The bridge <strong>reopened</strong> at <em>noon</em>.</p>' +
      '<ul><li>Lanes: two</li></ul><ol><li>First</li></ol><blockquote><p>“It is safe,” engineers said.</p></blockquote>' +
      '<p>CO<sub>2</sub> and m<sup>2</sup> <small>(estimates)</small><br />New line</p>'
    assert.equal(sanitizeBody(body), body)
  })

  it('keeps links, adding rel so the linked page cannot reach back', () => {
    assert.equal(
      sanitizeBody('<p><a href="https://example.org/report" title="Report">the report</a></p>'),
      '<p><a href="https://example.org/report" title="Report" rel="noopener noreferrer">the report</a></p>',
    )
    assert.match(sanitizeBody('<a href="mailto:desk@example.org">mail</a>'), /href="mailto:desk@example.org"/)
  })

  it('keeps images from http(s) with their size and alt text, loaded lazily', () => {
    assert.equal(
      sanitizeBody(
        '<figure><img src="https://cdn.example.org/a.jpg" alt="Flooded street" width="800" height="600"><figcaption>Main street</figcaption></figure>',
      ),
      '<figure><img src="https://cdn.example.org/a.jpg" alt="Flooded street" width="800" height="600" loading="lazy" decoding="async" /><figcaption>Main street</figcaption></figure>',
    )
  })

  it('removes script elements together with their content', () => {
    assert.equal(
      sanitizeBody('<p>Before<script>steal(document.cookie)</script> after</p>'),
      '<p>Before after</p>',
    )
  })

  it('removes every on* event-handler attribute', () => {
    assert.equal(
      sanitizeBody(
        '<p onclick="x()" onmouseover="y()">Text</p><img src="https://e.org/a.jpg" alt="a" onerror="z()">',
      ),
      '<p>Text</p><img src="https://e.org/a.jpg" alt="a" loading="lazy" decoding="async" />',
    )
  })

  it('removes javascript: links however they are spelled', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'javascript&colon;alert(1)',
      ' javascript:alert(1)',
      'java&#x09;script:alert(1)',
    ]) {
      const out = sanitizeBody(`<p><a href="${href}">click</a></p>`)
      assert.equal(out, '<p>click</p>', href)
    }
  })

  it('keeps the text of a link whose address it refuses, not an <a> without href, which is invalid HTML', () => {
    assert.equal(sanitizeBody('<p>See <a>this</a> and <a href="">that</a>.</p>'), '<p>See this and that.</p>')
    assert.equal(sanitizeBody('<p><a href="vbscript:x">old</a></p>'), '<p>old</p>')
    assert.equal(
      sanitizeBody('<p><a href="/world/story">here</a></p>'),
      '<p><a href="/world/story" rel="noopener noreferrer">here</a></p>',
    )
  })

  it('puts list items where HTML allows them: what stands in a list gets an item, an item outside a list loses its tag', () => {
    const mended = sanitizeBody(
      '<ul><p>not an item</p><li>an item</li></ul><li>stray item</li><ol>loose text<li>a &amp; b</li><ul><li>x</li></ul></ol>',
    )
    assert.equal(
      mended,
      '<ul><li><p>not an item</p></li><li>an item</li></ul>stray item' +
        '<ol><li>loose text</li><li>a &amp; b</li><li><ul><li>x</li></ul></li></ol>',
    )
    assert.equal(sanitizeBody(mended), mended, 'cleaning it again changes nothing')
    const listed =
      '<ul><li><img src="https://e.org/a.jpg" alt="a &quot;q&quot;" loading="lazy" decoding="async" /><br />x</li></ul>'
    assert.equal(sanitizeBody(listed), listed)
  })

  it('removes data: URLs from links and images', () => {
    assert.doesNotMatch(sanitizeBody('<a href="data:text/html,<script>alert(1)</script>">x</a>'), /<a|href/)
    assert.doesNotMatch(sanitizeBody('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x">'), /src=/)
  })

  it('removes protocol-relative links, which would follow the page to any host', () => {
    assert.doesNotMatch(sanitizeBody('<a href="//evil.example/x">x</a>'), /<a|href/)
  })

  it('removes svg and math with everything inside them', () => {
    assert.equal(
      sanitizeBody('<svg onload="x()"><script>1</script><text>drawn</text></svg><p>ok</p>'),
      '<p>ok</p>',
    )
    assert.equal(sanitizeBody('<math><mi>x</mi></math><p>ok</p>'), '<p>ok</p>')
  })

  it('removes iframes, objects and embeds', () => {
    assert.equal(
      sanitizeBody('<iframe src="https://video.example/1">fallback</iframe><p>ok</p>'),
      '<p>ok</p>',
    )
    assert.equal(sanitizeBody('<object data="x.swf"></object><embed src="y.swf"><p>ok</p>'), '<p>ok</p>')
  })

  it('removes style attributes, style elements and link targets', () => {
    assert.equal(sanitizeBody('<style>p{display:none}</style><p style="color:red">Red</p>'), '<p>Red</p>')
    assert.doesNotMatch(sanitizeBody('<a href="https://e.org" target="_blank">x</a>'), /target/)
  })

  it('turns h1 into h2 and h4-h6 into h3, since the page owns the headline', () => {
    assert.equal(
      sanitizeBody('<h1>A</h1><h4>B</h4><h5>C</h5><h6>D</h6>'),
      '<h2>A</h2><h3>B</h3><h3>C</h3><h3>D</h3>',
    )
  })

  it('keeps the text of unknown elements but not the elements', () => {
    assert.equal(
      sanitizeBody('<p><span class="x">Kept</span> <font color="red">words</font></p>'),
      '<p>Kept words</p>',
    )
  })

  it('drops empty paragraphs left by pasted text', () => {
    assert.equal(sanitizeBody('<p></p><p>  </p><p>Story</p>'), '<p>Story</p>')
  })

  it('drops an image whose source was refused instead of leaving an empty box', () => {
    assert.equal(
      sanitizeBody('<p>Text</p><img src="javascript:alert(1)" alt="x"><img alt="y">'),
      '<p>Text</p>',
    )
  })

  it('gives an image without alt text an empty alt', () => {
    assert.match(
      sanitizeBody('<img src="https://cdn.example.org/a.jpg">'),
      /<img src="https:\/\/cdn\.example\.org\/a\.jpg" alt=""|<img alt="" src=/,
    )
  })
})

describe('sanitizeBody: inline photos', () => {
  const figure =
    '<figure><img src="/media/ab/ab12cd.jpg" alt="Sea wall" width="1600" height="1067" loading="lazy" decoding="async" />' +
    '<figcaption>Waves over the sea wall. <small>Dateline Photo</small></figcaption></figure>'

  it('keeps the figure the editor makes: a library image, its caption and credit', () => {
    assert.equal(sanitizeBody(figure), figure)
  })

  it('drops images from any address but /media/ and http(s), and the figure left empty', () => {
    for (const src of [
      '/admin/x.png',
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      '//evil.example/a.png',
      '/media/../etc/passwd',
    ]) {
      assert.equal(
        sanitizeBody(`<figure><img src="${src}" alt="x"><figcaption>c</figcaption></figure><p>after</p>`),
        '<p>after</p>',
        src,
      )
    }
  })

  it('drops srcset, style, event handlers and sizes that are not whole pixels', () => {
    assert.equal(
      sanitizeBody(
        '<figure><img src="/media/a.jpg" srcset="/x 1w" style="x" onerror="alert(1)" width="100%" height="-1" alt="A"></figure>',
      ),
      '<figure><img src="/media/a.jpg" alt="A" loading="lazy" decoding="async" /></figure>',
    )
  })
})

describe('rememberCleanBodies', () => {
  it('keeps a whole batch, however large, so none of it is cleaned again', () => {
    // Bodies a worker thread cleaned are taken as they are; an onclick shows which were
    // remembered (sanitizeBody would strip it), which real callers never hand over.
    const batch = Array.from({ length: 1_000 }, (_, i) => `<p onclick="x()">Story ${i}</p>`)
    rememberCleanBodies(batch)
    assert.equal(sanitizeBody(batch[0]!), batch[0])
    assert.equal(sanitizeBody(batch[999]!), batch[999])
    assert.equal(sanitizeBody('<p onclick="x()">Not in the batch</p>'), '<p>Not in the batch</p>')
  })
})
