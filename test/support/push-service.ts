import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
} from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A push service on 127.0.0.1 that does what a real one does with a message from an
 * application server: it checks the VAPID authorisation (an ES256 JWT for its own
 * origin, signed by the key in k=) and only then accepts the message. It also plays
 * the browser's part: each subscription it hands out has a P-256 key pair and an auth
 * secret made here, and it decrypts every accepted message with them (RFC 8291
 * aes128gcm), so a test reads exactly what a browser would show.
 */
export interface TestPushService {
  origin: string
  /** A new browser subscription on this service, with the keys a browser would keep private. */
  subscribe(): BrowserSubscription
  /** Messages accepted, decrypted, in order. */
  received: ReceivedPush[]
  /** Answers requests to this subscription with the given status from now on (410: gone). */
  answer(endpoint: string, status: number): void
  /** Requests refused (bad VAPID, undecryptable), with why. */
  refused: { endpoint: string; reason: string }[]
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedPush[]>
  close(): Promise<void>
}

export interface BrowserSubscription {
  endpoint: string
  keys: { p256dh: string; auth: string }
}

export interface ReceivedPush {
  endpoint: string
  /** The VAPID public key (k=) the JWT was verified with. */
  vapidKey: string
  claims: { aud: string; exp: number; sub: string }
  ttl: string | undefined
  payload: unknown
}

export async function startPushService(): Promise<TestPushService> {
  const browsers = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: Buffer }>()
  const statuses = new Map<string, number>()
  const received: ReceivedPush[] = []
  const refused: { endpoint: string; reason: string }[] = []
  let origin = ''

  const server = createServer((request, response) => {
    void handle(request).then(
      (status) => response.writeHead(status).end(),
      () => response.writeHead(500).end(),
    )
  })

  async function handle(request: IncomingMessage): Promise<number> {
    const endpoint = `${origin}${request.url ?? ''}`
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const status = statuses.get(endpoint)
    if (status !== undefined) return status
    const browser = browsers.get(endpoint)
    if (request.method !== 'POST' || !browser) return 404
    const refuse = (reason: string) => {
      refused.push({ endpoint, reason })
      return reason.startsWith('vapid') ? 401 : 400
    }
    const auth = checkVapid(request.headers.authorization ?? '', origin)
    if (typeof auth === 'string') return refuse(`vapid: ${auth}`)
    if (request.headers['content-encoding'] !== 'aes128gcm')
      return refuse('content-encoding is not aes128gcm')
    let plaintext: Buffer
    try {
      plaintext = decrypt(body, browser.ecdh, browser.auth)
    } catch (error) {
      return refuse(`cannot decrypt: ${error instanceof Error ? error.message : String(error)}`)
    }
    received.push({
      endpoint,
      vapidKey: auth.key,
      claims: auth.claims,
      ttl: request.headers['ttl'] as string | undefined,
      payload: JSON.parse(plaintext.toString('utf8')) as unknown,
    })
    return 201
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    origin,
    received,
    refused,
    subscribe() {
      const ecdh = createECDH('prime256v1')
      ecdh.generateKeys()
      const auth = randomBytes(16)
      const endpoint = `${origin}/push/${randomUUID()}`
      browsers.set(endpoint, { ecdh, auth })
      return {
        endpoint,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      }
    },
    answer(endpoint, status) {
      statuses.set(endpoint, status)
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`${received.length} of ${count} pushes within ${timeoutMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return received
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** RFC 8292: "vapid t=<JWT>, k=<public key>"; the JWT must be ES256 by that key, for our origin, unexpired. */
function checkVapid(
  header: string,
  origin: string,
): { key: string; claims: ReceivedPush['claims'] } | string {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header)
  if (!match) return 'no "vapid t=…, k=…" authorization'
  const [token, key] = [match[1]!, match[2]!]
  const [head, body, signature] = token.split('.')
  if (!head || !body || !signature) return 'the token is not a JWT'
  const raw = Buffer.from(key, 'base64url')
  if (raw.length !== 65 || raw[0] !== 4) return 'k is not a P-256 public key'
  const publicKey = createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33).toString('base64url'),
    },
  })
  const header0 = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string }
  if (header0.alg !== 'ES256') return 'the JWT is not ES256'
  const valid = verify(
    'sha256',
    Buffer.from(`${head}.${body}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  )
  if (!valid) return 'the signature does not verify with k'
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ReceivedPush['claims']
  if (claims.aud !== origin) return `aud is ${claims.aud}, not ${origin}`
  const now = Date.now() / 1000
  if (!(claims.exp > now) || claims.exp > now + 24 * 60 * 60) return 'exp is not within the next 24 hours'
  if (!/^(mailto:|https:)/.test(claims.sub)) return 'sub is not mailto: or https:'
  return { key, claims }
}

/** RFC 8188 aes128gcm with the RFC 8291 key schedule, from the receiving side. */
function decrypt(body: Buffer, ecdh: ReturnType<typeof createECDH>, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16)
  const recordSize = body.readUInt32BE(16)
  const idLength = body.readUInt8(20)
  const senderKey = body.subarray(21, 21 + idLength)
  const record = body.subarray(21 + idLength)
  if (record.length > recordSize) throw new Error('more than one record')
  const shared = ecdh.computeSecret(senderKey)
  const info = Buffer.concat([
    Buffer.from('WebPush: info', 'ascii'),
    Buffer.from([0]),
    ecdh.getPublicKey(),
    senderKey,
  ])
  const prkKey = Buffer.from(hkdfSync('sha256', shared, authSecret, info, 32))
  const cek = hkdfSync('sha256', prkKey, salt, Buffer.from('Content-Encoding: aes128gcm\u0000', 'ascii'), 16)
  const nonce = hkdfSync('sha256', prkKey, salt, Buffer.from('Content-Encoding: nonce\u0000', 'ascii'), 12)
  const decipher = createDecipheriv('aes-128-gcm', Buffer.from(cek), Buffer.from(nonce))
  decipher.setAuthTag(record.subarray(record.length - 16))
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()])
  // Strip padding: trailing zeros, then the delimiter, which must be 2 for the last record.
  let end = padded.length - 1
  while (end >= 0 && padded[end] === 0) end -= 1
  if (padded[end] !== 2) throw new Error('the last record does not end with delimiter 2')
  return padded.subarray(0, end)
}
