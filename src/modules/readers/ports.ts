/**
 * What the readers module needs to send email. The adapters in adapters/mail deliver
 * over SMTP or write to the outbox folder; the module never sees a mail library.
 */
export interface Mailer {
  send(email: OutgoingEmail): Promise<void>
}

export interface OutgoingEmail {
  to: string
  subject: string
  text: string
  html: string
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>
  /** A stable Message-ID, so a retried send is recognisably the same message. */
  messageId?: string
  /**
   * The one link the email exists to deliver. The outbox adapter logs it, so the
   * embedded default can sign in with no mail server; SMTP adapters ignore it.
   */
  primaryLink?: string
}

/** A delivery that failed; `permanent` when trying again cannot help (the address was refused). */
export class MailDeliveryError extends Error {
  readonly permanent: boolean
  constructor(message: string, options: { permanent: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'MailDeliveryError'
    this.permanent = options.permanent
  }
}

/** Where a browser asked pushes to go, with the keys to encrypt them for it. */
export interface PushTarget {
  endpoint: string
  p256dh: string
  auth: string
}

/** A Web Push message, shown by the service worker as a notification. */
export interface PushMessage {
  title: string
  body: string
  /** Path on this site the notification opens. */
  url: string
  /** Replaces an earlier notification with the same tag instead of stacking. */
  tag: string
}

/**
 * What the readers module needs to send Web Push. adapters/push encrypts, signs
 * (VAPID) and posts; the module never sees a key or an HTTP client.
 */
export interface PushSender {
  /** The site's VAPID public key (base64url), which browsers subscribe with. */
  readonly publicKey: string
  /** 'gone' when the push service says the subscription no longer exists (404 or 410). */
  send(target: PushTarget, message: PushMessage, options: { ttlSeconds: number }): Promise<'sent' | 'gone'>
}

/** A push the service refused; `permanent` when trying again cannot help (a 4xx other than 429). */
export class PushDeliveryError extends Error {
  readonly permanent: boolean
  constructor(message: string, options: { permanent: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PushDeliveryError'
    this.permanent = options.permanent
  }
}
