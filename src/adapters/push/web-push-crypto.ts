import {
  createCipheriv,
  createECDH,
  createPrivateKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto'

/**
 * The two pieces of the Web Push protocol an application server computes itself:
 * the VAPID authorisation (RFC 8292: an ES256 JWT naming the push service's origin)
 * and the aes128gcm payload encryption for one subscription (RFC 8291 over RFC 8188).
 * Keys travel as base64url: a public key is the 65-byte uncompressed P-256 point, a
 * private key the 32-byte scalar, the form browsers and other servers use.
 */

export interface VapidKeys {
  publicKey: string
  privateKey: string
}

/** A fresh P-256 key pair for VAPID. */
export function generateVapidKeys(): VapidKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const jwk = privateKey.export({ format: 'jwk' })
  const pub = publicKey.export({ format: 'jwk' })
  return { publicKey: rawPublicKey(pub.x!, pub.y!), privateKey: jwk.d! }
}

/** Why a VAPID key pair cannot be used, or undefined when it can: checks lengths and that the halves match. */
export function vapidKeyProblem(keys: VapidKeys): string | undefined {
  const pub = Buffer.from(keys.publicKey, 'base64url')
  const priv = Buffer.from(keys.privateKey, 'base64url')
  if (pub.length !== 65 || pub[0] !== 4) return 'the public key must be a 65-byte uncompressed P-256 point'
  if (priv.length !== 32) return 'the private key must be 32 bytes'
  try {
    const ecdh = createECDH('prime256v1')
    ecdh.setPrivateKey(priv)
    if (!ecdh.getPublicKey().equals(pub)) return 'the public key is not the private key’s'
  } catch {
    return 'the private key is not a P-256 key'
  }
  return undefined
}

function rawPublicKey(x: string, y: string): string {
  return Buffer.concat([Buffer.from([4]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]).toString(
    'base64url',
  )
}

function signingKey(keys: VapidKeys): KeyObject {
  const pub = Buffer.from(keys.publicKey, 'base64url')
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: pub.subarray(1, 33).toString('base64url'),
      y: pub.subarray(33, 65).toString('base64url'),
      d: keys.privateKey,
    },
  })
}

/**
 * The Authorization header value for a push to `endpoint`: "vapid t=JWT, k=public key".
 * The token names the push service's origin (aud), expires within 12 hours (services
 * refuse more than 24) and carries a contact (sub: mailto: or https:).
 */
export function vapidAuthorization(keys: VapidKeys, endpoint: string, subject: string, now: Date): string {
  const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'ES256' })).toString('base64url')
  const claims = {
    aud: new URL(endpoint).origin,
    exp: Math.floor(now.getTime() / 1000) + 12 * 60 * 60,
    sub: subject,
  }
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url')
  const input = `${header}.${body}`
  // JWS wants the raw r||s form of the signature, not DER.
  const signature = sign('sha256', Buffer.from(input), { key: signingKey(keys), dsaEncoding: 'ieee-p1363' })
  return `vapid t=${input}.${signature.toString('base64url')}, k=${keys.publicKey}`
}

/** The record size written in the header; one record always holds our payloads (limit 4 KB). */
const RECORD_SIZE = 4096
/** Push services accept at most 4096 bytes of body; header (86) and tag (16) come off that. */
export const MAX_PAYLOAD_BYTES = RECORD_SIZE - 86 - 16 - 1

/**
 * Encrypts a payload for one subscription (aes128gcm, a single record). A fresh
 * ephemeral key and salt every time, so the same text never encrypts the same way.
 */
export function encryptPayload(
  subscription: { p256dh: string; auth: string },
  plaintext: Uint8Array,
  ephemeral: { privateKey?: Buffer; salt?: Buffer } = {},
): Buffer {
  if (plaintext.length > MAX_PAYLOAD_BYTES)
    throw new RangeError(`push payload is ${plaintext.length} bytes; at most ${MAX_PAYLOAD_BYTES}`)
  const uaPublic = Buffer.from(subscription.p256dh, 'base64url')
  const authSecret = Buffer.from(subscription.auth, 'base64url')
  if (uaPublic.length !== 65 || uaPublic[0] !== 4) throw new RangeError('p256dh is not a P-256 public key')
  if (authSecret.length !== 16) throw new RangeError('auth is not a 16-byte secret')
  const ecdh = createECDH('prime256v1')
  if (ephemeral.privateKey) ecdh.setPrivateKey(ephemeral.privateKey)
  else ecdh.generateKeys()
  const asPublic = ecdh.getPublicKey()
  const sharedSecret = ecdh.computeSecret(uaPublic)
  const salt = ephemeral.salt ?? randomBytes(16)

  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic])
  const ikm = Buffer.from(hkdfSync('sha256', sharedSecret, authSecret, keyInfo, 32))
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16))
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12))

  const cipher = createCipheriv('aes-128-gcm', cek, nonce)
  // 0x02 closes the last (and only) record; no further padding.
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.update(Buffer.from([2])), cipher.final()])
  const header = Buffer.alloc(21)
  salt.copy(header, 0)
  header.writeUInt32BE(RECORD_SIZE, 16)
  header.writeUInt8(asPublic.length, 20)
  return Buffer.concat([header, asPublic, sealed, cipher.getAuthTag()])
}
