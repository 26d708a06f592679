import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatOutcome } from './ingest-command.js'

// What JSON.parse says of 012_location_not_object.json in IPTC's ninjs test suite.
const INVALID_JSON = 'invalid JSON: Unexpected token \']\', ..."   },\n    ]\n}\n" is not valid JSON'

describe('formatOutcome', () => {
  it('prints a refusal whose reason spans lines as one line of three columns', () => {
    const line = formatOutcome(
      { label: 'drop/012.json', status: 'rejected', reason: INVALID_JSON },
      'drop/012.json',
      'http://news.test',
    )
    assert.equal(
      line,
      'rejected\tinvalid JSON: Unexpected token \']\', ..."   }, / ] / } / " is not valid JSON\tdrop/012.json',
    )
  })

  it('keeps tabs and carriage returns in a reason or a file name from breaking the columns', () => {
    const line = formatOutcome(
      {
        label: 'urn:a\tb',
        status: 'rejected',
        reason: '"headline"\tmust be a string\r\nnot a number\u001b[2J',
      },
      'odd\nname.json',
      'http://news.test',
    )
    assert.deepEqual(line.split('\t'), [
      'rejected',
      '"headline" must be a string / not a number\\x1B[2J',
      'odd / name.json urn:a b',
    ])
  })

  it("prints a picture refusal spanning lines on the story's line", () => {
    const line = formatOutcome(
      {
        label: 'urn:p',
        status: 'created',
        article: { id: 7, status: 'draft', path: '/world/x' },
        picture: { status: 'refused', detail: 'pic.jpg: bad\nheader' },
      },
      'p.json',
      'http://news.test',
    )
    assert.equal(line, 'created\tarticle 7 (draft) [picture refused: pic.jpg: bad / header]\tp.json urn:p')
  })
})
