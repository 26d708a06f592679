import nodemailer from 'nodemailer'
import { MailDeliveryError, type Mailer, type OutgoingEmail } from '../../modules/readers/index.js'

export interface SmtpMailer extends Mailer {
  close(): void
}

/**
 * Sends through the SMTP server SMTP_URL names (smtp://user:pass@host:587, or smtps://
 * for TLS from the start), over a small pool of connections so a fan-out's emails do
 * not each open one. A 5xx answer (address refused) is permanent; anything else, such
 * as a server that is down, is worth trying again.
 */
export function createSmtpMailer(options: { url: string; from: string }): SmtpMailer {
  const url = new URL(options.url)
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 4,
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username && {
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    }),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  })
  return {
    async send(email: OutgoingEmail) {
      try {
        await transport.sendMail(toNodemailer(options.from, email))
      } catch (error) {
        const code = (error as { responseCode?: unknown }).responseCode
        const permanent = typeof code === 'number' && code >= 500 && code < 600
        throw new MailDeliveryError(`SMTP delivery failed${typeof code === 'number' ? ` (${code})` : ''}`, {
          permanent,
          cause: error,
        })
      }
    },
    close: () => transport.close(),
  }
}

/** The message as nodemailer takes it; shared with the outbox mailer so both write the same bytes. */
export function toNodemailer(from: string, email: OutgoingEmail): nodemailer.SendMailOptions {
  return {
    from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    ...(email.headers && { headers: email.headers }),
    ...(email.messageId && { messageId: email.messageId }),
  }
}
