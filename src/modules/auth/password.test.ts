import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hashPassword, PASSWORD_COST, verifyPassword } from './password.js'

const LOW_COST = { N: 1024, r: 8, p: 1 }

describe('hashPassword and verifyPassword', () => {
  it('verifies the password a hash was made from', async () => {
    const hash = await hashPassword('harbour wall at dawn', LOW_COST)
    assert.equal(await verifyPassword('harbour wall at dawn', hash), true)
  })

  it('refuses a different password, including one differing only in case', async () => {
    const hash = await hashPassword('harbour wall at dawn', LOW_COST)
    assert.equal(await verifyPassword('harbour wall at dusk', hash), false)
    assert.equal(await verifyPassword('Harbour wall at dawn', hash), false)
  })

  it('stores the cost in the hash, so a hash made at another cost still verifies', async () => {
    const hash = await hashPassword('a long enough secret', { N: 2048, r: 4, p: 1 })
    assert.match(hash, /^scrypt\$2048\$4\$1\$/)
    assert.equal(await verifyPassword('a long enough secret', hash), true)
  })

  it('salts each hash, so the same password never hashes the same twice', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password', LOW_COST),
      hashPassword('same password', LOW_COST),
    ])
    assert.notEqual(a, b)
  })

  it('treats composed and decomposed accents as the same password', async () => {
    const hash = await hashPassword('caf\u00e9 terrace chairs', LOW_COST)
    assert.equal(await verifyPassword('cafe\u0301 terrace chairs', hash), true)
  })

  it('does not contain the password', async () => {
    const hash = await hashPassword('plain-text-never-stored', LOW_COST)
    assert.equal(hash.includes('plain-text-never-stored'), false)
  })

  it('answers false, without throwing, for hashes it cannot use', async () => {
    for (const stored of [
      '',
      'bcrypt$2b$10$abc',
      'scrypt$1024$8$1$salt',
      'scrypt$abc$8$1$c2FsdA$a2V5',
      'scrypt$1000$8$1$c2FsdA$a2V5',
      'scrypt$1024$0$1$c2FsdA$a2V5',
    ]) {
      assert.equal(await verifyPassword('anything', stored), false, stored)
    }
  })

  it('defaults to the OWASP scrypt cost', () => {
    assert.deepEqual({ ...PASSWORD_COST }, { N: 2 ** 17, r: 8, p: 1 })
  })
})
