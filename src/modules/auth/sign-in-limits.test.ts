import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { countedAddress } from './sign-in-limits.js'

describe('countedAddress', () => {
  it('counts an IPv4 address as it is, mapped into IPv6 or not', () => {
    assert.equal(countedAddress('203.0.113.7'), '203.0.113.7')
    assert.equal(countedAddress('::ffff:203.0.113.7'), '203.0.113.7')
    assert.equal(countedAddress('::FFFF:203.0.113.7'), '203.0.113.7')
    // Written in hex, as some stacks report it: still that one IPv4 client, not ::/64.
    assert.equal(countedAddress('::ffff:cb00:7107'), '203.0.113.7')
    assert.equal(countedAddress('::ffff:0:cb00:7107'), '203.0.113.7')
  })

  it('counts an IPv6 address by its /64, however it is written', () => {
    const slash64 = '2001:db8:1:2::/64'
    for (const address of [
      '2001:db8:1:2::1',
      '2001:db8:1:2:a:b:c:d',
      '2001:0DB8:0001:0002:ffff:0:0:9',
      '2001:db8:1:2::5%eth0',
      '2001:db8:1:2:0:0:198.51.100.1',
    ])
      assert.equal(countedAddress(address), slash64, address)
    assert.equal(countedAddress('2001:db8:1:3::1'), '2001:db8:1:3::/64')
    assert.equal(countedAddress('2001:db8::1'), '2001:db8:0:0::/64')
    assert.equal(countedAddress('::1'), '0:0:0:0::/64')
    assert.equal(countedAddress('fe80::1:2:3:4'), 'fe80:0:0:0::/64')
  })

  it('leaves anything that is not an address as it is', () => {
    assert.equal(countedAddress('unknown'), 'unknown')
  })
})
