import { randomBytes } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Mailer, OutgoingEmail } from '../../modules/readers/index.js'
import type { Logger } from '../../platform/logger.js'

/**
 * The mailer of the embedded default, when no SMTP_URL is set: each email becomes one
 * .eml file in the outbox folder (open it in any mail client), and the link it carries
 * is logged, so a newcomer can sign in as a reader with no mail server at all.
 */
export function createOutboxMailer(options: { dir: string; from: string; logger: Logger }): Mailer {
  // Made at the first email, so a process that sends none never loads nodemailer.
  let transport: ReturnType<typeof bufferingTransport> | undefined
  return {
    async send(email: OutgoingEmail) {
      transport ??= bufferingTransport()
      const { toNodemailer } = await import('./smtp-mailer.js')
      const info = await (await transport).sendMail(toNodemailer(options.from, email))
      const message = info.message
      if (!Buffer.isBuffer(message)) throw new Error('the outbox transport did not buffer the message')
      await mkdir(options.dir, { recursive: true })
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`
      const file = path.join(options.dir, name)
      // Written under another name first, so a reader of the folder never sees half a file.
      await writeFile(`${file}.tmp`, message)
      await rename(`${file}.tmp`, file)
      options.logger.info({ file }, `email written to the outbox (no SMTP_URL set): ${email.subject}`)
      if (email.primaryLink) options.logger.info(`outbox email link: ${email.primaryLink}`)
    },
  }
}

async function bufferingTransport() {
  const { default: nodemailer } = await import('nodemailer')
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
}
