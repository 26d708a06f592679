import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cleanText, htmlToText, storedText, truncate, utf8 } from './text.js'

describe('cleanText', () => {
  it('keeps ordinary text as it is', () => {
    assert.equal(
      cleanText('Prime minister visits flood-hit valley'),
      'Prime minister visits flood-hit valley',
    )
  })

  it('removes markup but keeps the words inside it', () => {
    assert.equal(cleanText('Fish <b>and</b> <em>chips</em> prices rise'), 'Fish and chips prices rise')
  })

  it('drops script and style content entirely', () => {
    assert.equal(cleanText('<script>alert(1)</script>Budget passes<style>p{}</style>'), 'Budget passes')
  })

  it('decodes entities once, so an ampersand reads as an ampersand', () => {
    assert.equal(cleanText('Tom &amp; Jerry'), 'Tom & Jerry')
    assert.equal(cleanText('Q&A: what the vote means'), 'Q&A: what the vote means')
    assert.equal(cleanText('Caf&eacute; reopens'), 'Café reopens')
  })

  it('keeps comparison signs and quotes that are text, not markup', () => {
    assert.equal(cleanText('Inflation <2% for the first time'), 'Inflation <2% for the first time')
    assert.equal(cleanText('a < b and c > d'), 'a < b and c > d')
    assert.equal(cleanText('Poll: x<y in every region'), 'Poll: x<y in every region')
    assert.equal(cleanText('Rates <fall further'), 'Rates <fall further')
    assert.equal(cleanText('a <b>bold</b> claim <script>alert(1)</script>'), 'a bold claim')
    assert.equal(cleanText(`"Never again," she said. It's over.`), `"Never again," she said. It's over.`)
  })

  it('keeps an escaped tag as visible text rather than turning it into markup', () => {
    assert.equal(cleanText('&lt;b&gt;'), '<b>')
  })

  it('removes control and zero-width characters', () => {
    assert.equal(cleanText('Ele\u0000ction\u200b res\u0007ults\u2028'), 'Election results')
  })

  it('collapses runs of whitespace, including newlines and tabs, and trims the ends', () => {
    assert.equal(cleanText('  Storm\n\n warning\t issued  '), 'Storm warning issued')
  })
  it('gives text with nothing to collapse back as it is, and collapses all else, whatever the characters', () => {
    // Every string of up to four characters from whitespace, controls and letters, against
    // the two replacements and trim the quick check must agree with.
    // eslint-disable-next-line no-control-regex
    const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\u2028\u2029]/g
    const reference = (text: string) => text.replace(controls, '').replace(/\s+/g, ' ').trim()
    const alphabet = [' ', '\t', '\n', '\u00a0', '\u2028', '\u200b', '\u0007', 'a', 'é']
    const strings = ['']
    let ofLength = ['']
    for (let length = 1; length <= 4; length++) {
      ofLength = ofLength.flatMap((s) => alphabet.map((c) => s + c))
      strings.push(...ofLength)
    }
    assert.equal(strings.length, 1 + 9 + 81 + 729 + 6561)
    for (const text of strings) assert.equal(cleanText(text), reference(text), JSON.stringify(text))
  })
})

describe('utf8', () => {
  const samples: [string, string][] = [
    ['empty text', ''],
    ['plain ASCII', '<p>Budget passes</p>'],
    ['Latin-1 only', '<p>Café reopens in Malmö</p>'],
    ['curly quotes and dashes', '<p>The minister’s “plan” — revised…</p>'],
    ['other scripts and emoji', '<p>Пожар в порту · 港口火灾 · 🚒</p>'],
    ['a long page', `<p>${'Flood warning for the valley — “stay indoors”. '.repeat(20_000)}</p>`],
  ]
  for (const [name, text] of samples) {
    it(`encodes ${name} exactly as Buffer.from does`, () => {
      const bytes = utf8(text)
      assert.ok(bytes.equals(Buffer.from(text, 'utf8')))
      assert.equal(bytes.toString('utf8'), text)
    })
  }

  it('writes U+FFFD for a lone surrogate instead of failing', () => {
    assert.equal(utf8('Storm \ud800 warning').toString('utf8'), 'Storm \ufffd warning')
    assert.equal(utf8('end \udc00').toString('utf8'), 'end \ufffd')
  })
})

describe('storedText', () => {
  it('gives a stored body’s text: escapes decoded, words kept whole across inline tags', () => {
    const html =
      '<h2>Ferry &amp; bus</h2><p>The <em>re</em>opened line runs &lt;hourly&gt;, “says” the <a href="/x?a=1&amp;b=2">port</a>.</p>' +
      '<ul><li>First</li><li>Second</li></ul><p>It&#39;s &quot;late&quot;<br />again</p>'
    assert.equal(
      storedText(html, 500),
      'Ferry & bus The reopened line runs <hourly>, “says” the port. First Second It\'s "late" again',
    )
  })

  it('reads the same text as htmlToText, which parses the HTML', () => {
    const html = '<p>Storm &amp; <strong>flood</strong> warnings</p><blockquote><p>Stay in</p></blockquote>'
    assert.equal(storedText(html, 500), htmlToText(html))
  })

  it('reads only the start of a long body, as much as gives the length asked for', () => {
    const paragraph = '<p>The council met on Tuesday &amp; agreed the budget for the coming year.</p>'
    const html = paragraph.repeat(2000)
    const text = storedText(html, 200)
    assert.ok(text.length > 200, `${text.length} characters`)
    assert.ok(text.length < 2000, 'not the whole body')
    assert.ok(htmlToText(html).startsWith(text))
    assert.equal(storedText('<p>Short.</p>', 200), 'Short.')
  })
})

describe('truncate', () => {
  it('keeps text within the limit as it is', () => {
    assert.equal(truncate('Ferry runs again', 20), 'Ferry runs again')
  })

  it('cuts at a sentence end when one is near the limit, else at a word with an ellipsis', () => {
    assert.equal(
      truncate('The first sentence is right here. Then more words follow on', 40),
      'The first sentence is right here.',
    )
    assert.equal(
      truncate('Short. Then a long run of words without any stop', 40),
      'Short. Then a long run of words…',
    )
  })

  it('never cuts an emoji in half', () => {
    const cut = truncate(`${'a'.repeat(18)}🌊${'b'.repeat(10)}`, 20)
    assert.equal(cut, `${'a'.repeat(18)}…`)
    assert.ok(cut.isWellFormed())
  })
})
