import { isIPv4, isIPv6 } from 'node:net'
import { ipv4Bytes, ipv6Bytes, mappedIPv4 } from '../../platform/ip-address.js'

/** What an IP address is for; only `public` addresses are fetched unless a source allows private networks. */
export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'documentation'
  | 'reserved'

const DESCRIPTIONS: Record<AddressKind, string> = {
  public: 'a public address',
  unspecified: 'an unspecified ("this host") address',
  loopback: 'a loopback address',
  private: 'a private-network address',
  shared: 'a carrier-grade NAT (shared) address',
  'link-local': 'a link-local address (cloud metadata services live here)',
  'unique-local': 'a unique-local IPv6 address',
  multicast: 'a multicast address',
  documentation: 'an address reserved for documentation',
  reserved: 'a reserved address',
}

export function describeKind(kind: AddressKind): string {
  return DESCRIPTIONS[kind]
}

/**
 * Classifies an IP address as resolved by DNS or written in a URL (brackets and an
 * IPv6 zone are allowed). IPv6 forms that carry an IPv4 address (IPv4-mapped
 * ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address,
 * so ::ffff:127.0.0.1 is loopback however it is spelt. Anything that is not an IP
 * address at all throws: callers resolve names first.
 */
export function classifyAddress(address: string): AddressKind {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '')
  if (isIPv4(bare)) return classifyIPv4(ipv4Bytes(bare))
  if (isIPv6(bare)) return classifyIPv6(ipv6Bytes(bare))
  throw new Error(`not an IP address: ${address}`)
}

/** Whether the text is an IP literal (as URL hostnames and DNS answers write them). */
export function isIpLiteral(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '')
  return isIPv4(bare) || isIPv6(bare)
}

function inRange(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = Math.floor(i / 8)
    const mask = 0x80 >> (i % 8)
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false
  }
  return true
}

const IPV4_RANGES: [number[], number, AddressKind][] = [
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'shared'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 88, 99, 0], 24, 'reserved'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'reserved'],
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
]

function classifyIPv4(bytes: number[]): AddressKind {
  for (const [prefix, bits, kind] of IPV4_RANGES) if (inRange(bytes, prefix, bits)) return kind
  return 'public'
}

const IPV6_RANGES: [number[], number, AddressKind][] = [
  [[0x01, 0x00], 64, 'reserved'],
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'private'],
  [[0x20, 0x01, 0x00, 0x00], 32, 'reserved'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'],
  [[0xfc], 7, 'unique-local'],
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'private'],
  [[0xff], 8, 'multicast'],
]

function classifyIPv6(bytes: number[]): AddressKind {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0)
  if (zeros(0, 16)) return 'unspecified'
  if (zeros(0, 15) && bytes[15] === 1) return 'loopback'
  // IPv4-mapped (::ffff:0:0/96) and IPv4-translated (::ffff:0:0:0/96): the IPv4 address decides.
  const mapped = mappedIPv4(bytes)
  if (mapped) return classifyIPv4(mapped)
  // IPv4-compatible (::a.b.c.d) is deprecated; nothing legitimate is served there.
  if (zeros(0, 12)) return 'reserved'
  if (inRange(bytes, [0x00, 0x64, 0xff, 0x9b], 96)) return classifyIPv4(bytes.slice(12))
  if (inRange(bytes, [0x20, 0x02], 16)) return classifyIPv4(bytes.slice(2, 6))
  for (const [prefix, bits, kind] of IPV6_RANGES) if (inRange(bytes, prefix, bits)) return kind
  // Global unicast is 2000::/3; everything else is unassigned.
  return inRange(bytes, [0x20], 3) ? 'public' : 'reserved'
}
