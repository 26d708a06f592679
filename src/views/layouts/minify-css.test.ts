import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { transform } from 'lightningcss'
import { minifyCss } from './minify-css.js'

/** How lightningcss, which no one here wrote, reads a stylesheet: its own minified form. */
function meaning(css: string): string {
  return transform({ code: Buffer.from(css), minify: true, filename: 'site.css' }).code.toString()
}

describe('minifyCss', () => {
  it('leaves the site stylesheet meaning exactly what it meant, in fewer bytes', () => {
    const css = readFileSync(new URL('../../../../src/views/assets/site.css', import.meta.url), 'utf8')
    const minified = minifyCss(css)
    assert.equal(meaning(minified), meaning(css))
    assert.ok(
      minified.length < css.replace(/\n/g, '').length * 0.9,
      `${minified.length} of ${css.length} bytes`,
    )
  })

  it('keeps strings and url() values whole, whatever they hold', () => {
    const css = `.quote::before {
  content: 'it\\'s /* not a comment */ here';
  background: url(data:image/png;base64,iVBORw0KGgo=) no-repeat;
  margin: 1px/**/2px;
}`
    const minified = minifyCss(css)
    assert.equal(
      minified,
      `.quote::before{content:'it\\'s /* not a comment */ here';background:url(data:image/png;base64,iVBORw0KGgo=) no-repeat;margin:1px 2px}`,
    )
    assert.equal(meaning(minified), meaning(css))
  })

  it('keeps quoted strings, spaces between words of a value and a descendant selector', () => {
    const css = `/* a note, with: punctuation; */
.byline a::before {
  content: ' · by: ';
  font-family: Georgia, 'Times New Roman', serif;
  grid-template-columns:
    minmax(0, 1fr)
    auto;
  width: calc(100% - 2rem);
}
.list > li:hover,
.list :focus-visible { color: red }`
    const minified = minifyCss(css)
    assert.equal(
      minified,
      `.byline a::before{content:' · by: ';font-family:Georgia,'Times New Roman',serif;grid-template-columns:minmax(0,1fr) auto;width:calc(100% - 2rem)}.list>li:hover,.list :focus-visible{color:red}`,
    )
    assert.equal(meaning(minified), meaning(css))
  })
})
