import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { classifyAddress, isIpLiteral, type AddressKind } from './address-rules.js'

/** How the fetcher sees a URL's host: the WHATWG parser normalises every IPv4 spelling first. */
function kindOfUrl(url: string): AddressKind {
  const host = new URL(url).hostname
  assert.ok(isIpLiteral(host), `${url} should have an IP literal host, got ${host}`)
  return classifyAddress(host)
}

describe('address rules for fetching', () => {
  it('refuses every spelling of IPv4 loopback a URL can carry', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://127.1/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://017700000001/',
      'http://0x7f.0.0.1/',
      'http://0x7f000001/',
      'http://0x7F.1/',
      'http://127.0.0.1.:8080/feed',
      'http://127.255.255.254/',
      'https://user:pass@127.0.0.1/',
    ]) {
      assert.equal(kindOfUrl(url), 'loopback', url)
    }
  })

  it('refuses IPv6 loopback and IPv4-mapped, -translated, NAT64 and 6to4 forms of inner addresses', () => {
    const cases: [string, AddressKind][] = [
      ['http://[::1]/', 'loopback'],
      ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
      ['http://[::ffff:127.0.0.1]/', 'loopback'],
      ['http://[::ffff:7f00:1]/', 'loopback'],
      ['http://[0:0:0:0:0:ffff:127.0.0.1]/', 'loopback'],
      ['http://[::ffff:0:127.0.0.1]/', 'loopback'],
      ['http://[::ffff:169.254.169.254]/', 'link-local'],
      ['http://[::ffff:10.0.0.1]/', 'private'],
      ['http://[64:ff9b::7f00:1]/', 'loopback'],
      ['http://[64:ff9b::192.168.0.1]/', 'private'],
      ['http://[2002:7f00:1::]/', 'loopback'],
      ['http://[2002:a9fe:a9fe::1]/', 'link-local'],
      ['http://[::127.0.0.1]/', 'reserved'],
    ]
    for (const [url, kind] of cases) assert.equal(kindOfUrl(url), kind, url)
  })

  it('refuses unspecified, private, shared, link-local, unique-local, multicast and reserved addresses', () => {
    const cases: [string, AddressKind][] = [
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['::', 'unspecified'],
      ['10.0.0.1', 'private'],
      ['10.255.255.255', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['100.64.0.1', 'shared'],
      ['100.127.255.255', 'shared'],
      ['169.254.169.254', 'link-local'],
      ['169.254.0.1', 'link-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['[febf::1]', 'link-local'],
      ['fec0::1', 'private'],
      ['fd00::1', 'unique-local'],
      ['fd12:3456:789a::1', 'unique-local'],
      ['fc00::', 'unique-local'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['ff02::1', 'multicast'],
      ['ff0e::1', 'multicast'],
      ['255.255.255.255', 'reserved'],
      ['240.0.0.1', 'reserved'],
      ['198.18.0.1', 'reserved'],
      ['192.0.0.8', 'reserved'],
      ['192.0.2.1', 'documentation'],
      ['198.51.100.7', 'documentation'],
      ['203.0.113.9', 'documentation'],
      ['2001:db8::1', 'documentation'],
      ['2001:0:4136:e378::1', 'reserved'],
      ['100::1', 'reserved'],
      ['64:ff9b:1::1', 'private'],
      ['4000::1', 'reserved'],
    ]
    for (const [address, kind] of cases) assert.equal(classifyAddress(address), kind, address)
  })

  it('allows public IPv4 and global IPv6 addresses, also next to the private ranges', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '172.15.255.255',
      '172.32.0.1',
      '100.63.255.255',
      '100.128.0.1',
      '169.253.255.255',
      '192.169.0.1',
      '216.58.214.206',
      '223.255.255.255',
      '2001:4860:4860::8888',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ]) {
      assert.equal(classifyAddress(address), 'public', address)
    }
  })

  it('takes no host name for an address: names are resolved and each answer judged', () => {
    for (const host of ['localhost', 'example.org', '127.0.0.1.nip.io', '0x7f000001', '']) {
      assert.equal(isIpLiteral(host), false, host)
      assert.throws(() => classifyAddress(host), /not an IP address/)
    }
  })

  it('refuses the IPv6-literal open-redirect payloads of the shared attack list once aimed at inner addresses', (t) => {
    const file = new URL(
      '../../../../../shared/testdata/payloads/Open Redirect/Intruder/Open-Redirect-payloads.txt',
      import.meta.url,
    )
    if (!existsSync(file)) return t.skip('no shared test data on this machine')
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('216.58.214.206') && line.includes('['))
    assert.ok(lines.length >= 8, 'the list should hold the IPv6 forms')
    let checked = 0
    for (const line of lines) {
      for (const inner of ['127.0.0.1', '169.254.169.254', '10.1.2.3']) {
        let url: URL
        try {
          url = new URL(line.replace('216.58.214.206', inner))
        } catch {
          continue
        }
        assert.ok(isIpLiteral(url.hostname), line)
        assert.notEqual(classifyAddress(url.hostname), 'public', `${line} with ${inner}`)
        checked++
      }
    }
    assert.ok(checked >= 24, `checked ${checked}`)
  })
})
