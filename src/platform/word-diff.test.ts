import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  bodyText,
  diffText,
  diffTokens,
  PARAGRAPH_BREAK,
  sideOf,
  tokenize,
  type DiffOp,
} from './word-diff.js'

/** A diff written the way a reader sees it: [-deleted-] and {+inserted+}. */
function shown(ops: DiffOp[]): string {
  return ops
    .map((op) => (op.kind === 'same' ? op.text : op.kind === 'del' ? `[-${op.text}-]` : `{+${op.text}+}`))
    .join('')
}

describe('tokenize', () => {
  it('keeps words, spaces and punctuation apart and gives the text back when joined', () => {
    const text = 'Ministers meet, again — in Helsinki!'
    const tokens = tokenize(text)
    assert.equal(tokens.join(''), text)
    assert.ok(tokens.includes('Ministers') && tokens.includes(',') && tokens.includes('!'))
  })

  it('keeps a paragraph break as a token of its own', () => {
    const tokens = tokenize(`One.${PARAGRAPH_BREAK}Two.`)
    assert.ok(tokens.includes(PARAGRAPH_BREAK))
    assert.equal(tokens.join(''), `One.${PARAGRAPH_BREAK}Two.`)
  })

  it('keeps accented words, emoji and scripts without spaces whole and exact', () => {
    const text = 'Zürich café 👩‍🚒 crews, 東京都 señal'
    assert.equal(tokenize(text).join(''), text)
    assert.ok(tokenize(text).includes('Zürich'))
    assert.ok(tokenize(text).includes('👩‍🚒'), 'an emoji with its joiner is one token')
    assert.deepEqual(
      tokenize('東京都').filter((t) => t.trim()),
      ['東', '京', '都'],
      'scripts without spaces are compared a character at a time',
    )
  })

  it("keeps a word's inner apostrophe and a letter's combining marks with it", () => {
    assert.ok(tokenize("don't stop").includes("don't"))
    assert.ok(tokenize('cafe\u0301 open').includes('cafe\u0301'))
  })
})

describe('diffText', () => {
  it('marks the one changed word in a headline', () => {
    const diff = diffText('Storm closes coastal road', 'Storm closes mountain road')
    assert.equal(diff.granularity, 'word')
    assert.equal(shown(diff.ops), 'Storm closes [-coastal-]{+mountain+} road')
  })

  it('shows a pure insertion and a pure deletion', () => {
    assert.equal(shown(diffText('Road shut', 'Road shut both ways').ops), 'Road shut{+ both ways+}')
    assert.equal(shown(diffText('Road shut both ways', 'Road shut').ops), 'Road shut[- both ways-]')
  })

  it('treats punctuation as its own change', () => {
    assert.equal(shown(diffText('It is over.', 'It is over!').ops), 'It is over[-.-]{+!+}')
  })

  it('joins a run of changed words into one deletion and one insertion', () => {
    assert.equal(
      shown(diffText('Police said three people were hurt', 'Police said nobody was hurt').ops),
      'Police said [-three people were-]{+nobody was+} hurt',
    )
  })

  it('marks the one changed character in text without spaces', () => {
    assert.equal(shown(diffText('東京都の天気', '京都府の天気').ops), '[-東-]京都{+府+}の天気')
  })

  it('compares unicode words whole, not byte by byte', () => {
    assert.equal(
      shown(diffText('Café in Zürich reopens', 'Café in Genève reopens').ops),
      'Café in [-Zürich-]{+Genève+} reopens',
    )
    assert.equal(
      shown(diffText('Fire crews 👩‍🚒 arrive', 'Fire crews 🚒 arrive').ops),
      'Fire crews [-👩‍🚒-]{+🚒+} arrive',
    )
  })

  it('keeps paragraph breaks and shows an added paragraph', () => {
    const before = ['First paragraph.', 'Second paragraph.'].join(PARAGRAPH_BREAK)
    const after = ['First paragraph.', 'A new one.', 'Second paragraph.'].join(PARAGRAPH_BREAK)
    const diff = diffText(before, after)
    assert.equal(sideOf(diff.ops, 'before'), before)
    assert.equal(sideOf(diff.ops, 'after'), after)
    assert.ok(diff.ops.some((op) => op.kind === 'ins' && op.text.includes('A new one.')))
  })

  it('says nothing changed for equal texts, and handles empty sides', () => {
    assert.deepEqual(diffText('Same text', 'Same text').ops, [{ kind: 'same', text: 'Same text' }])
    assert.deepEqual(diffText('', 'New text').ops, [{ kind: 'ins', text: 'New text' }])
    assert.deepEqual(diffText('Old text', '').ops, [{ kind: 'del', text: 'Old text' }])
    assert.deepEqual(diffText('', '').ops, [])
  })

  it('always rebuilds both texts exactly from its answer', () => {
    const words = ['the', 'port', 'ferry', 'storm', 'closed', 'opened', 'on', 'Monday', ',', '.']
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    }
    const sentence = (n: number) =>
      Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(' ')
    for (let i = 0; i < 200; i++) {
      const a = sentence(Math.floor(random() * 30))
      const b = sentence(Math.floor(random() * 30))
      const diff = diffText(a, b)
      assert.equal(sideOf(diff.ops, 'before'), a)
      assert.equal(sideOf(diff.ops, 'after'), b)
    }
  })

  it('finds a shortest edit', () => {
    const ops = diffTokens(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c'], {
      steps: 1000,
    })
    assert.ok(ops)
    const edits = ops.filter((op) => op.kind !== 'same').reduce((n, op) => n + op.text.length, 0)
    assert.equal(edits, 5)
  })

  it('diffs a 200,000-character body with one changed word, word by word', () => {
    const paragraph = 'The council met on Tuesday and voted to keep the library open late. '
    const body = paragraph.repeat(Math.ceil(200_000 / paragraph.length)).slice(0, 200_000)
    const edited = body.replace('voted to keep', 'voted not to keep')
    const diff = diffText(body, edited)
    assert.equal(diff.granularity, 'word')
    assert.deepEqual(
      diff.ops.filter((op) => op.kind !== 'same'),
      [{ kind: 'ins', text: 'not ' }],
    )
  })

  it('falls back to paragraphs when two huge bodies share almost nothing', () => {
    const words = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${prefix}${i % 97}`).join(' ')
    const before = [words('alpha', 8000), 'Shared paragraph.', words('beta', 8000)].join(PARAGRAPH_BREAK)
    const after = [words('gamma', 8000), 'Shared paragraph.', words('delta', 8000)].join(PARAGRAPH_BREAK)
    const diff = diffText(before, after, { maxSteps: 100_000 })
    assert.equal(diff.granularity, 'paragraph')
    assert.ok(diff.ops.some((op) => op.kind === 'same' && op.text.includes('Shared paragraph.')))
    assert.equal(sideOf(diff.ops, 'before'), before)
    assert.equal(sideOf(diff.ops, 'after'), after)
  })

  it('replaces the whole text when even paragraphs are too many to compare', () => {
    const many = (prefix: string) =>
      Array.from({ length: 3000 }, (_, i) => `${prefix} ${i}.`).join(PARAGRAPH_BREAK)
    const diff = diffText(many('Old'), many('New'), { maxSteps: 1000 })
    assert.equal(diff.granularity, 'whole')
    assert.deepEqual(
      diff.ops.map((op) => op.kind),
      ['del', 'ins'],
    )
  })
})

describe('bodyText', () => {
  it('turns the body subset into paragraphs of plain text', () => {
    const html =
      '<p>Crews pulled 40 people &amp; a dog <strong>from</strong> the boat.</p><h2>SLOW RETURN</h2><ul><li>One</li><li>Two</li></ul><blockquote><p>We were cold.</p></blockquote>'
    assert.equal(
      bodyText(html),
      [
        'Crews pulled 40 people & a dog from the boat.',
        'SLOW RETURN',
        '• One',
        '• Two',
        'We were cold.',
      ].join(PARAGRAPH_BREAK),
    )
  })

  it('resolves numeric entities and leaves unknown ones as written', () => {
    assert.equal(bodyText('<p>caf&#233; &#x1F692; &bogus; &lt;b&gt;</p>'), 'café 🚒 &bogus; <b>')
  })
})
