import type { PushMessage, PushSender, PushTarget } from '../../modules/readers/index.js'
import { PushDeliveryError } from '../../modules/readers/index.js'
import { encryptPayload, vapidAuthorization, type VapidKeys } from './web-push-crypto.js'

export interface WebPushSenderOptions {
  keys: VapidKeys
  /** The VAPID contact: mailto:… or https:…. */
  subject: string
  /** How long to wait for the push service. */
  timeoutMs?: number
}

/**
 * Sends Web Push over HTTP the way RFC 8030 describes: one POST of the encrypted
 * payload to the subscription's endpoint, authorised with VAPID. The token's expiry is
 * judged by the push service's clock, so it is set from the real time, not the app's clock. The push service
 * answers 201 (accepted), 404 or 410 (the subscription is gone), 429 or 5xx (try later).
 */
export function createWebPushSender(options: WebPushSenderOptions): PushSender {
  return {
    publicKey: options.keys.publicKey,
    async send(target: PushTarget, message: PushMessage, { ttlSeconds }) {
      const body = encryptPayload(target, Buffer.from(JSON.stringify(message)))
      let response: Response
      try {
        response = await fetch(target.endpoint, {
          method: 'POST',
          headers: {
            authorization: vapidAuthorization(options.keys, target.endpoint, options.subject, new Date()),
            'content-encoding': 'aes128gcm',
            'content-type': 'application/octet-stream',
            ttl: String(ttlSeconds),
            urgency: 'normal',
            // Topic lets the service replace an undelivered push about the same story.
            topic: message.tag.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32),
          },
          body: new Uint8Array(body),
          redirect: 'error',
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        })
      } catch (error) {
        // The endpoint's URL identifies the browser: name only its host in errors.
        throw new PushDeliveryError(`push service ${hostOf(target.endpoint)} unreachable`, {
          permanent: false,
          cause: error,
        })
      }
      await response.arrayBuffer().catch(() => undefined)
      if (response.status === 404 || response.status === 410) return 'gone'
      if (response.ok) return 'sent'
      const permanent = response.status >= 400 && response.status < 500 && response.status !== 429
      throw new PushDeliveryError(`push service ${hostOf(target.endpoint)} answered ${response.status}`, {
        permanent,
      })
    },
  }
}

function hostOf(endpoint: string): string {
  return URL.parse(endpoint)?.host ?? 'unknown'
}
