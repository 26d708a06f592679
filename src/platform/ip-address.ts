/** IP addresses as bytes: what the fetch guards classify and the sign-in limits count. */

export function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number)
}

/** The 16 bytes of an IPv6 address (no brackets, no zone); a dotted IPv4 ending is read as its two groups. */
export function ipv6Bytes(text: string): number[] {
  // A dotted IPv4 tail (::ffff:127.0.0.1) becomes the two hex groups it stands for.
  const hex = text.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_m: string, a: string, b: string, c: string, d: string) =>
      [
        [a, b],
        [c, d],
      ]
        .map(([x, y]) => ((Number(x) << 8) | Number(y)).toString(16))
        .join(':'),
  )
  const [head = '', rest] = hex.split('::')
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)))
  const front = parse(head)
  const back = rest === undefined ? [] : parse(rest)
  const groups = [
    ...front,
    ...new Array<number>(Math.max(8 - front.length - back.length, 0)).fill(0),
    ...back,
  ]
  return groups.flatMap((g) => [(g >> 8) & 0xff, g & 0xff])
}

/**
 * The IPv4 address an IPv6 one carries as IPv4-mapped (::ffff:0:0/96) or IPv4-translated
 * (::ffff:0:0:0/96), however it is written (::ffff:203.0.113.7 or ::ffff:cb00:7107).
 */
export function mappedIPv4(bytes: readonly number[]): number[] | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0)
  const mapped = zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff
  const translated = zeros(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zeros(10, 12)
  return mapped || translated ? bytes.slice(12) : undefined
}
