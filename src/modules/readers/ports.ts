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
