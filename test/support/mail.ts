import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import type { Mailer, OutgoingEmail } from '../../src/modules/readers/index.js'

/** A mailer that keeps what it is given: the readers module's port, for tests that read the emails. */
export interface MemoryMailer extends Mailer {
  sent: OutgoingEmail[]
  /** Fails the next `count` sends with this error instead of keeping them. */
  failNext(count: number, error: Error): void
}

export function memoryMailer(): MemoryMailer {
  const sent: OutgoingEmail[] = []
  let failures: { count: number; error: Error } | undefined
  return {
    sent,
    async send(email) {
      if (failures && failures.count > 0) {
        failures.count -= 1
        throw failures.error
      }
      sent.push(email)
    },
    failNext(count, error) {
      failures = { count, error }
    },
  }
}

/** The first http(s) link in a text that starts with `prefix`. */
export function linkIn(text: string, prefix: string): string | undefined {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`${escaped}[^\\s<>"]*`).exec(text)?.[0]
}

/** An email as a real SMTP server received it. */
export interface ReceivedEmail {
  from: string
  to: string[]
  /** The raw message, as sent over the wire. */
  raw: string
  /** Header values by lower-case name, folded lines joined. */
  headers: Record<string, string>
  subject: string
  /** The text/plain part, transfer encoding undone. */
  text: string
  /** The text/html part, transfer encoding undone; empty when there is none. */
  html: string
}

export interface TestSmtpServer {
  /** smtp://127.0.0.1:PORT, for SMTP_URL. */
  url: string
  received: ReceivedEmail[]
  /** Answers the next `count` messages with a temporary failure (451), as a busy server would. */
  deferNext(count: number): void
  /** Refuses these recipients with 550, as a server does for an address that does not exist. */
  refuse(address: string): void
  /** Waits until an email matching the test arrives, and returns it. */
  waitFor(match: (email: ReceivedEmail) => boolean, timeoutMs?: number): Promise<ReceivedEmail>
  close(): Promise<void>
}

/**
 * A real SMTP server on loopback (the smtp-server package), so tests exercise the whole
 * path: nodemailer, the SMTP conversation, the MIME message. No TLS and no auth: it
 * listens on 127.0.0.1 only.
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedEmail[] = []
  const refused = new Set<string>()
  let deferrals = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address.toLowerCase()))
        return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }))
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if (deferrals > 0) {
          deferrals -= 1
          return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }))
        }
        const raw = Buffer.concat(chunks).toString('utf8')
        const envelope = session.envelope
        received.push(
          parseEmail(
            raw,
            envelope.mailFrom ? envelope.mailFrom.address : '',
            envelope.rcptTo.map((r) => r.address),
          ),
        )
        callback()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    deferNext(count) {
      deferrals = count
    },
    refuse(address) {
      refused.add(address.toLowerCase())
    },
    async waitFor(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = received.find(match)
        if (found) return found
        if (Date.now() > deadline) {
          const subjects = received.map((r) => r.subject).join(' | ')
          throw new Error(`no matching email within ${timeoutMs} ms; received: ${subjects || 'none'}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Just enough MIME for tests: headers, and the text/plain part of a multipart/alternative. */
export function parseEmail(raw: string, from: string, to: string[]): ReceivedEmail {
  const normalised = raw.replace(/\r\n/g, '\n')
  const split = normalised.indexOf('\n\n')
  const headers = parseHeaders(normalised.slice(0, split))
  const body = normalised.slice(split + 2)
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1]
  let text = body
  let encoding = headers['content-transfer-encoding'] ?? '7bit'
  let html = ''
  if (boundary) {
    let textPart: { body: string; encoding: string } | undefined
    for (const part of body.split(`--${boundary}`)) {
      const partSplit = part.indexOf('\n\n')
      const partHeaders = parseHeaders(part.slice(0, partSplit).replace(/^\n/, ''))
      const type = partHeaders['content-type'] ?? ''
      const partEncoding = partHeaders['content-transfer-encoding'] ?? '7bit'
      if (type.startsWith('text/plain') && !textPart)
        textPart = { body: part.slice(partSplit + 2), encoding: partEncoding }
      if (type.startsWith('text/html') && !html)
        html = decodeBody(part.slice(partSplit + 2), partEncoding).trim()
    }
    if (textPart) {
      text = textPart.body
      encoding = textPart.encoding
    }
  }
  return {
    from,
    to,
    raw,
    headers,
    subject: headers['subject'] ?? '',
    text: decodeBody(text, encoding).trim(),
    html,
  }
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return headers
}

function decodeBody(text: string, encoding: string): string {
  if (encoding.toLowerCase() === 'base64')
    return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding.toLowerCase() !== 'quoted-printable') return text
  const bytes = text
    .replace(/=\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}
