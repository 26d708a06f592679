import net from 'node:net'
import nodemailer from 'nodemailer'
import { MailDeliveryError, type Mailer, type OutgoingEmail } from '../../modules/readers/index.js'

export interface SmtpMailer extends Mailer {
  close(): void
}

const CONNECTION_TIMEOUT_MS = 10_000

/**
 * Sends through the SMTP server SMTP_URL names (smtp://user:pass@host:587, or smtps://
 * for TLS from the start), over a small pool of connections so a fan-out's emails do
 * not each open one. A 5xx answer (address refused) is permanent; anything else, such
 * as a server that is down, is worth trying again.
 */
export function createSmtpMailer(options: { url: string; from: string }): SmtpMailer {
  const url = new URL(options.url)
  const host = url.hostname
  const port = url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 4,
    host,
    port,
    secure: url.protocol === 'smtps:',
    getSocket: (_options, callback) => connectWithoutDelay(host, port, callback),
    ...(url.username && {
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    }),
    connectionTimeout: CONNECTION_TIMEOUT_MS,
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

/**
 * Opens the TCP connection for nodemailer (which runs SMTP and any TLS over it) with
 * Nagle's algorithm off. nodemailer writes a message's closing "." as a small packet of
 * its own, and with Nagle on that packet waits for the server to acknowledge the one
 * before, which a Linux server delays by up to 40 ms: one stall per message, a ceiling
 * of about 22 messages a second per connection on loopback; without it, about 260.
 */
function connectWithoutDelay(
  host: string,
  port: number,
  callback: (error: Error | null, socketOptions?: { connection: net.Socket }) => void,
): void {
  const socket = net.connect({ host, port, noDelay: true })
  const timer = setTimeout(
    () => socket.destroy(new Error(`connection to ${host}:${port} timed out`)),
    CONNECTION_TIMEOUT_MS,
  )
  const fail = (error: Error) => {
    clearTimeout(timer)
    callback(error)
  }
  socket.once('error', fail)
  socket.once('connect', () => {
    clearTimeout(timer)
    socket.removeListener('error', fail)
    callback(null, { connection: socket })
  })
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
