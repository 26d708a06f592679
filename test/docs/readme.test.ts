import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { COMMANDS } from '../../src/cli/commands.js'
import { ENV_VARS } from '../../src/config/schema.js'

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')

describe('README', () => {
  it('documents every configuration variable the loader reads', () => {
    const missing = ENV_VARS.filter((v) => !new RegExp(`\\|\\s*\`${v.name}\`\\s*\\|`).test(readme)).map(
      (v) => v.name,
    )
    assert.deepEqual(missing, [])
  })

  it('documents every CLI command', () => {
    const missing = COMMANDS.filter((c) => !readme.includes(`\`dateline ${c.name}`)).map((c) => c.name)
    assert.deepEqual(missing, [])
  })

  it('gives the install-and-start and the test commands', () => {
    assert.match(readme, /npm install && npm start/)
    assert.match(readme, /npm install && npm test/)
  })
})
