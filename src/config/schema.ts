/** The frozen, validated configuration every composition root receives. */
export interface Config {
  readonly http: HttpConfig
  readonly db: DbConfig
  readonly dataDir: string
  readonly site: SiteConfig
  readonly mail: MailConfig
  readonly notifications: NotificationConfig
  readonly media: MediaConfig
  readonly isProduction: boolean
}

export interface HttpConfig {
  readonly port: number
  readonly host: string
  /** Log level for the HTTP server's logger. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Send the Secure attribute on cookies (on whenever PUBLIC_URL is https). */
  readonly secureCookies: boolean
  /** Open live-update streams (server-sent events) this process accepts at once. */
  readonly liveMaxConnections: number
  /**
   * Processes serving HTTP on this machine. 1: one process does everything. More: a
   * supervisor does the background work and forks this many processes sharing the port.
   */
  readonly workers: number
  /**
   * Addresses and ranges of the proxies in front (10.0.0.0/8, loopback): a request from
   * one of them has its client address taken from X-Forwarded-For. Empty: the header is ignored.
   */
  readonly trustProxy: readonly string[]
}

export type DbConfig =
  | { readonly dialect: 'sqlite'; readonly file: string }
  | { readonly dialect: 'postgres'; readonly url: string; readonly poolSize: number }

export interface SiteConfig {
  /** Origin readers reach the site at, no trailing slash: https://news.example.org */
  readonly publicUrl: string
  /** Origin of the short-link domain: https://nws.example/ + code. Defaults to publicUrl. */
  readonly shortUrlBase: string
  readonly name: string
}

export interface MailConfig {
  /** smtp:// or smtps:// URL of the mail server; undefined writes emails to the outbox folder. */
  readonly smtpUrl: string | undefined
  /** The From of every email: "Dateline <news@example.org>". */
  readonly from: string
  /** Where emails go when there is no SMTP server: DATELINE_DATA_DIR/outbox. */
  readonly outboxDir: string
}

export interface NotificationConfig {
  /** The UTC hour (0-23) from which each day's digests are queued. */
  readonly digestHourUtc: number
  /** VAPID keys given by VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY; undefined makes and keeps a pair in the database. */
  readonly vapidKeys: { readonly publicKey: string; readonly privateKey: string } | undefined
  /** The contact push services see: mailto:… or https:…. */
  readonly vapidSubject: string
  /** Finished jobs and read notifications are deleted after this many days. */
  readonly pruneJobsAfterDays: number
  readonly pruneReadNotificationsAfterDays: number
}

export interface MediaConfig {
  /** Local disk under DATELINE_DATA_DIR/media, or an S3-compatible bucket. */
  readonly store:
    | { readonly kind: 'local'; readonly dir: string }
    | {
        readonly kind: 's3'
        readonly endpoint: string
        readonly bucket: string
        readonly region: string
        readonly accessKeyId: string
        readonly secretAccessKey: string
      }
  readonly maxBytes: number
  readonly maxPixels: number
}

export interface EnvVarDoc {
  name: string
  default: string
  description: string
}

/** The README's configuration table is checked against this list by a test. */
export const ENV_VARS: EnvVarDoc[] = [
  { name: 'PORT', default: '3000', description: 'TCP port to listen on (1-65535).' },
  { name: 'HOST', default: '127.0.0.1', description: 'Interface to bind; 0.0.0.0 for all.' },
  {
    name: 'PUBLIC_URL',
    default: 'http://HOST:PORT',
    description: 'Origin readers use (canonical links, feeds, Open Graph). http or https, no path.',
  },
  {
    name: 'SHORT_URL_BASE',
    default: 'PUBLIC_URL',
    description: 'Origin of a separate short-link domain; short links are SHORT_URL_BASE/s/CODE.',
  },
  {
    name: 'SITE_NAME',
    default: 'Dateline',
    description: 'Publication name shown in the masthead and metadata.',
  },
  { name: 'DATELINE_DATA_DIR', default: './data', description: 'Directory for the SQLite file and media.' },
  {
    name: 'DATABASE_URL',
    default: '(SQLite in DATELINE_DATA_DIR)',
    description: 'postgres://user@host:5432/db for PostgreSQL, or sqlite:/path/file.db.',
  },
  { name: 'DATABASE_POOL_SIZE', default: '10', description: 'PostgreSQL connections per process (1-200).' },
  {
    name: 'SMTP_URL',
    default: '(none: outbox folder)',
    description:
      'smtp://user:pass@host:587 or smtps://… for reader email; unset, emails go to DATELINE_DATA_DIR/outbox.',
  },
  {
    name: 'MAIL_FROM',
    default: 'SITE_NAME <no-reply@PUBLIC_URL host>',
    description: 'From address of reader email: an address, or Name <address>.',
  },
  {
    name: 'DIGEST_HOUR',
    default: '7',
    description: 'Hour of the day (0-23, UTC) when daily digest emails go out.',
  },
  {
    name: 'VAPID_PUBLIC_KEY',
    default: '(made once, kept in the database)',
    description:
      'Web Push VAPID public key (base64url P-256 point); give it with VAPID_PRIVATE_KEY or neither.',
  },
  {
    name: 'VAPID_PRIVATE_KEY',
    default: '(made once, kept in the database)',
    description: 'Web Push VAPID private key (base64url, 32 bytes).',
  },
  {
    name: 'VAPID_SUBJECT',
    default: 'mailto:MAIL_FROM address',
    description: 'Contact push services may use about our pushes: mailto:… or https:….',
  },
  {
    name: 'PRUNE_JOBS_AFTER_DAYS',
    default: '7',
    description: 'Finished jobs (sent emails and pushes) are deleted after this many days (1-3650).',
  },
  {
    name: 'PRUNE_NOTIFICATIONS_AFTER_DAYS',
    default: '90',
    description: 'Read notifications are deleted this many days after they were read (1-3650).',
  },
  {
    name: 'HTTP_WORKERS',
    default: '1',
    description:
      'Processes serving HTTP (1-64). Above 1 a supervisor does the background work and they share PORT.',
  },
  {
    name: 'TRUST_PROXY',
    default: '(none: X-Forwarded-For ignored)',
    description:
      'Addresses or ranges of the proxies in front, comma-separated (10.0.0.0/8, loopback): only from them is X-Forwarded-For taken as the client address, which sign-in limits count.',
  },
  {
    name: 'LIVE_MAX_STREAMS',
    default: '5000',
    description: 'Open live-update streams (GET /live) one process accepts; more are refused with 503.',
  },
  {
    name: 'MEDIA_STORE',
    default: 'local',
    description: 'local keeps photos in DATELINE_DATA_DIR/media; s3 puts them in an S3-compatible bucket.',
  },
  {
    name: 'S3_ENDPOINT',
    default: 'https://s3.S3_REGION.amazonaws.com',
    description: 'Origin of the S3-compatible service (MEDIA_STORE=s3); buckets are addressed by path.',
  },
  { name: 'S3_BUCKET', default: '(none)', description: 'Bucket for photos; required with MEDIA_STORE=s3.' },
  { name: 'S3_REGION', default: 'us-east-1', description: 'Region the requests are signed for.' },
  { name: 'S3_ACCESS_KEY_ID', default: '(none)', description: 'Access key; required with MEDIA_STORE=s3.' },
  {
    name: 'S3_SECRET_ACCESS_KEY',
    default: '(none)',
    description: 'Secret key; required with MEDIA_STORE=s3.',
  },
  { name: 'MEDIA_MAX_MB', default: '25', description: 'Largest photo upload in megabytes (1-200).' },
  {
    name: 'MEDIA_MAX_MEGAPIXELS',
    default: '60',
    description: 'Largest photo in megapixels (1-250), read from the header before decoding.',
  },
  { name: 'LOG_LEVEL', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent.' },
  {
    name: 'NODE_ENV',
    default: 'development',
    description: 'production turns on Secure cookies behind https.',
  },
]
