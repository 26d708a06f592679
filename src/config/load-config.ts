import { isIP } from 'node:net'
import path from 'node:path'
import { AppError } from '../platform/app-error.js'
import type { Config, DbConfig, HttpConfig, MailConfig, MediaConfig, NotificationConfig } from './schema.js'

type Env = Record<string, string | undefined>

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * Parses the environment once. Every problem is reported together, each naming its
 * variable, so a broken deployment is fixed in one pass.
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const problems: string[] = []
  const port = parseIntVar(env, 'PORT', 3000, 1, 65535, problems)
  const host = (env['HOST'] ?? '127.0.0.1').trim()
  if (host === '' || /[\s/]/.test(host)) problems.push(`HOST: "${host}" is not a host name or address`)
  const logLevel = env['LOG_LEVEL'] ?? 'info'
  if (!isLogLevel(logLevel)) problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`)

  const defaultOrigin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const publicUrl = parseOrigin(env, 'PUBLIC_URL', defaultOrigin, problems)
  const shortUrlBase = parseOrigin(env, 'SHORT_URL_BASE', publicUrl, problems)
  const dataDir = path.resolve(cwd, env['DATELINE_DATA_DIR'] ?? './data')
  const db = parseDatabase(env, dataDir, cwd, problems)
  const siteName = (env['SITE_NAME'] ?? 'Dateline').trim()
  if (siteName === '' || siteName.length > 80) problems.push('SITE_NAME: must be 1-80 characters')
  const isProduction = env['NODE_ENV'] === 'production'
  const mail = parseMail(env, { siteName, publicUrl, dataDir }, problems)
  const notifications = parseNotifications(env, mail.from, problems)
  const liveMaxConnections = parseIntVar(env, 'LIVE_MAX_STREAMS', 5000, 1, 1_000_000, problems)
  const workers = parseIntVar(env, 'HTTP_WORKERS', 1, 1, 64, problems)
  const trustProxy = parseTrustProxy(env, problems)
  const media = parseMedia(env, dataDir, problems)

  if (problems.length > 0) {
    throw new AppError('INVALID_CONFIG', `Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const http: HttpConfig = {
    port,
    host,
    logLevel: isLogLevel(logLevel) ? logLevel : 'info',
    secureCookies: publicUrl.startsWith('https:'),
    liveMaxConnections,
    workers,
    trustProxy,
  }
  return deepFreeze({
    http,
    db,
    dataDir,
    site: { publicUrl, shortUrlBase, name: siteName },
    mail,
    notifications,
    media,
    isProduction,
  })
}

function isLogLevel(value: string): value is HttpConfig['logLevel'] {
  return (LOG_LEVELS as readonly string[]).includes(value)
}

function parseIntVar(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]) {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name}: "${raw}" is not a whole number from ${min} to ${max}`)
    return fallback
  }
  return Number(raw)
}

/** What proxy-addr (Fastify's trustProxy) calls its ranges: 127.0.0.0/8 and ::1, and so on. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal']

/**
 * Only addresses and ranges: trusting every peer (`true`) or a number of hops would take
 * the client address from a header any client that reaches the server directly can write.
 */
function parseTrustProxy(env: Env, problems: string[]): string[] {
  const raw = env['TRUST_PROXY']?.trim() ?? ''
  if (raw === '') return []
  const entries = raw.split(',').map((entry) => entry.trim())
  if (!entries.every((entry) => NAMED_RANGES.includes(entry) || isAddressOrRange(entry))) {
    problems.push(
      `TRUST_PROXY: "${raw}" is not a comma-separated list of proxy addresses or ranges (10.0.0.5, 10.0.0.0/8, loopback)`,
    )
    return []
  }
  return entries
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/')
  const version = isIP(address)
  if (version === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128)
}

function parseOrigin(env: Env, name: string, fallback: string, problems: string[]): string {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    problems.push(`${name}: "${raw}" is not a URL`)
    return fallback
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${name}: must use http or https`)
  } else if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    problems.push(
      `${name}: must be an origin without path, query or fragment (e.g. https://news.example.org)`,
    )
  }
  return url.origin
}

function parseDatabase(env: Env, dataDir: string, cwd: string, problems: string[]): DbConfig {
  const raw = env['DATABASE_URL']
  const poolSize = parseIntVar(env, 'DATABASE_POOL_SIZE', 10, 1, 200, problems)
  if (raw === undefined || raw === '') return { dialect: 'sqlite', file: path.join(dataDir, 'dateline.db') }
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\//, '')
    if (file === '') problems.push('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/dateline.db')
    return { dialect: 'sqlite', file: path.resolve(cwd, file) }
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw)
    } catch {
      problems.push('DATABASE_URL: not a valid postgres:// URL')
    }
    return { dialect: 'postgres', url: raw, poolSize }
  }
  problems.push('DATABASE_URL: must start with postgres:// or sqlite:')
  return { dialect: 'sqlite', file: path.join(dataDir, 'dateline.db') }
}

const MAIL_ADDRESS = /^[^\s@<>"',;:()\\[\]]+@[^\s@<>"',;:()\\[\]]+$/

function parseMail(
  env: Env,
  site: { siteName: string; publicUrl: string; dataDir: string },
  problems: string[],
): MailConfig {
  const outboxDir = path.join(site.dataDir, 'outbox')
  const rawUrl = env['SMTP_URL']
  let smtpUrl: string | undefined
  if (rawUrl !== undefined && rawUrl !== '') {
    let url: URL | undefined
    try {
      url = new URL(rawUrl)
    } catch {
      // The URL may hold a password: name the variable, never echo the value.
      problems.push('SMTP_URL: not a valid URL (smtp://user:pass@host:587 or smtps://host:465)')
    }
    if (url && ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === ''))
      problems.push('SMTP_URL: must be smtp://host[:port] or smtps://host[:port], with user:pass@ if needed')
    else if (url) smtpUrl = rawUrl
  }
  const host = URL.parse(site.publicUrl)?.hostname.replace(/^\[|\]$/g, '') ?? 'localhost'
  const from = (env['MAIL_FROM'] ?? `${site.siteName.replace(/["\\<>]/g, '')} <no-reply@${host}>`).trim()
  const address = /<([^<>]+)>$/.exec(from)?.[1] ?? from
  if (!MAIL_ADDRESS.test(address) || /[\r\n]/.test(from) || from.length > 200)
    problems.push(`MAIL_FROM: "${from}" is not an address or "Name <address>"`)
  return { smtpUrl, from, outboxDir }
}

function parseNotifications(env: Env, mailFrom: string, problems: string[]): NotificationConfig {
  const digestHourUtc = parseIntVar(env, 'DIGEST_HOUR', 7, 0, 23, problems)
  const pruneJobsAfterDays = parseIntVar(env, 'PRUNE_JOBS_AFTER_DAYS', 7, 1, 3650, problems)
  const pruneReadNotificationsAfterDays = parseIntVar(
    env,
    'PRUNE_NOTIFICATIONS_AFTER_DAYS',
    90,
    1,
    3650,
    problems,
  )
  const publicKey = env['VAPID_PUBLIC_KEY']?.trim() || undefined
  const privateKey = env['VAPID_PRIVATE_KEY']?.trim() || undefined
  let vapidKeys: NotificationConfig['vapidKeys']
  if ((publicKey === undefined) !== (privateKey === undefined)) {
    problems.push('VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: give both or neither')
  } else if (publicKey && privateKey) {
    const pub = Buffer.from(publicKey, 'base64url')
    // Never echo the private key: name the variable only.
    if (!/^[A-Za-z0-9_-]+$/.test(publicKey) || pub.length !== 65 || pub[0] !== 4)
      problems.push('VAPID_PUBLIC_KEY: must be a base64url uncompressed P-256 public key (65 bytes)')
    if (!/^[A-Za-z0-9_-]+$/.test(privateKey) || Buffer.from(privateKey, 'base64url').length !== 32)
      problems.push('VAPID_PRIVATE_KEY: must be a base64url P-256 private key (32 bytes)')
    vapidKeys = { publicKey, privateKey }
  }
  const address = /<([^<>]+)>$/.exec(mailFrom)?.[1] ?? mailFrom
  const vapidSubject = (env['VAPID_SUBJECT'] ?? `mailto:${address}`).trim()
  if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/[^\s]+)$/.test(vapidSubject) || vapidSubject.length > 200)
    problems.push('VAPID_SUBJECT: must be mailto:address or an https: URL')
  return { digestHourUtc, vapidKeys, vapidSubject, pruneJobsAfterDays, pruneReadNotificationsAfterDays }
}

function parseMedia(env: Env, dataDir: string, problems: string[]): MediaConfig {
  const maxBytes = parseIntVar(env, 'MEDIA_MAX_MB', 25, 1, 200, problems) * 1024 * 1024
  const maxPixels = parseIntVar(env, 'MEDIA_MAX_MEGAPIXELS', 60, 1, 250, problems) * 1_000_000
  const kind = env['MEDIA_STORE'] ?? 'local'
  if (kind === 'local' || kind === '')
    return { store: { kind: 'local', dir: path.join(dataDir, 'media') }, maxBytes, maxPixels }
  if (kind !== 's3') {
    problems.push('MEDIA_STORE: must be local or s3')
    return { store: { kind: 'local', dir: path.join(dataDir, 'media') }, maxBytes, maxPixels }
  }
  const region = (env['S3_REGION'] ?? 'us-east-1').trim()
  if (!/^[a-z0-9-]{1,40}$/.test(region)) problems.push('S3_REGION: must be a region name such as eu-west-1')
  const endpoint = parseOrigin(env, 'S3_ENDPOINT', `https://s3.${region}.amazonaws.com`, problems)
  const required = (name: string): string => {
    const value = env[name]?.trim() ?? ''
    if (value === '') problems.push(`${name}: required with MEDIA_STORE=s3`)
    return value
  }
  const bucket = required('S3_BUCKET')
  if (bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    problems.push('S3_BUCKET: must be 3-63 lower-case letters, digits, dots and hyphens')
  const accessKeyId = required('S3_ACCESS_KEY_ID')
  const secretAccessKey = required('S3_SECRET_ACCESS_KEY')
  return {
    store: { kind: 's3', endpoint, bucket, region, accessKeyId, secretAccessKey },
    maxBytes,
    maxPixels,
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child as object)
  }
  return Object.freeze(value)
}
