import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, it } from 'node:test'
import { AppError } from '../platform/app-error.js'
import { loadConfig } from './load-config.js'

const CWD = '/srv/dateline'

function configError(env: Record<string, string>): AppError {
  try {
    loadConfig(env, CWD)
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`)
    return error
  }
  assert.fail('expected loadConfig to refuse the environment')
}

describe('loadConfig', () => {
  it('boots with no variables at all, on SQLite in ./data beside the working directory', () => {
    const config = loadConfig({}, CWD)
    assert.equal(config.http.port, 3000)
    assert.equal(config.http.host, '127.0.0.1')
    assert.equal(config.http.logLevel, 'info')
    assert.equal(config.site.publicUrl, 'http://127.0.0.1:3000')
    assert.equal(config.site.shortUrlBase, 'http://127.0.0.1:3000')
    assert.equal(config.site.name, 'Dateline')
    assert.deepEqual(config.db, { dialect: 'sqlite', file: path.join(CWD, 'data', 'dateline.db') })
    assert.equal(config.isProduction, false)
  })

  it('reads a full production environment', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        PUBLIC_URL: 'https://news.example.org/',
        SHORT_URL_BASE: 'https://nws.example',
        SITE_NAME: 'The Westmere Courier',
        DATABASE_URL: 'postgres://dateline@db.internal:5432/dateline',
        DATABASE_POOL_SIZE: '20',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
      },
      CWD,
    )
    assert.equal(config.http.port, 8080)
    assert.equal(config.http.secureCookies, true)
    assert.equal(config.site.publicUrl, 'https://news.example.org')
    assert.equal(config.site.shortUrlBase, 'https://nws.example')
    assert.deepEqual(config.db, {
      dialect: 'postgres',
      url: 'postgres://dateline@db.internal:5432/dateline',
      poolSize: 20,
    })
    assert.equal(config.isProduction, true)
  })

  it('resolves a sqlite: DATABASE_URL against the working directory', () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:./db/news.db' }, CWD).db, {
      dialect: 'sqlite',
      file: '/srv/dateline/db/news.db',
    })
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:///var/lib/news.db' }, CWD).db, {
      dialect: 'sqlite',
      file: '/var/lib/news.db',
    })
  })

  it('sends cookies without Secure only when the public URL is plain http', () => {
    assert.equal(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }, CWD).http.secureCookies, false)
  })

  it('returns a deeply frozen config', () => {
    const config = loadConfig({}, CWD)
    assert.ok(Object.isFrozen(config))
    assert.ok(Object.isFrozen(config.http))
    assert.ok(Object.isFrozen(config.db))
    assert.ok(Object.isFrozen(config.site))
  })

  it('refuses a PORT that is not a number, naming the variable', () => {
    const error = configError({ PORT: 'abc' })
    assert.equal(error.code, 'INVALID_CONFIG')
    assert.match(error.message, /PORT: "abc"/)
  })

  it('takes the live stream cap from LIVE_MAX_STREAMS and refuses one that is not a positive whole number', () => {
    assert.equal(loadConfig({ LIVE_MAX_STREAMS: '250' }, '/srv').http.liveMaxConnections, 250)
    assert.match(configError({ LIVE_MAX_STREAMS: '0' }).message, /LIVE_MAX_STREAMS: "0"/)
    assert.match(configError({ LIVE_MAX_STREAMS: 'many' }).message, /LIVE_MAX_STREAMS: "many"/)
  })

  it('serves from one process unless HTTP_WORKERS asks for more, and refuses a count outside 1-64', () => {
    assert.equal(loadConfig({}, '/srv').http.workers, 1)
    assert.equal(loadConfig({ HTTP_WORKERS: '4' }, '/srv').http.workers, 4)
    for (const bad of ['0', '65', 'two', '1.5']) {
      assert.match(configError({ HTTP_WORKERS: bad }).message, new RegExp(`HTTP_WORKERS: "${bad}"`))
    }
  })

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxies, by address, range or name', () => {
    assert.deepEqual(loadConfig({}, '/srv').http.trustProxy, [])
    assert.deepEqual(loadConfig({ TRUST_PROXY: '' }, '/srv').http.trustProxy, [])
    assert.deepEqual(
      loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, 192.0.2.7 ,loopback,fd00::/8,::1' }, '/srv').http.trustProxy,
      ['10.0.0.0/8', '192.0.2.7', 'loopback', 'fd00::/8', '::1'],
    )
  })

  it('refuses a TRUST_PROXY that is not addresses or ranges, trusting every peer or a hop count included', () => {
    for (const bad of [
      'true',
      '1',
      '*',
      '10.0.0.0/33',
      '10.0.0/8',
      'proxy.internal',
      '10.0.0.1,',
      '::1/129',
    ]) {
      const error = configError({ TRUST_PROXY: bad })
      assert.equal(error.code, 'INVALID_CONFIG')
      assert.match(error.message, new RegExp(`^  TRUST_PROXY: "${bad.replace(/[*.]/g, '\\$&')}"`, 'm'))
    }
  })

  it('refuses ports outside 1-65535', () => {
    assert.match(configError({ PORT: '0' }).message, /PORT/)
    assert.match(configError({ PORT: '70000' }).message, /PORT/)
    assert.match(configError({ PORT: '-1' }).message, /PORT/)
  })

  it('refuses a PUBLIC_URL with a path, query or fragment', () => {
    assert.match(
      configError({ PUBLIC_URL: 'https://example.org/news' }).message,
      /PUBLIC_URL: must be an origin/,
    )
    assert.match(configError({ PUBLIC_URL: 'https://example.org/?a=1' }).message, /PUBLIC_URL/)
    assert.match(configError({ PUBLIC_URL: 'https://example.org/#top' }).message, /PUBLIC_URL/)
  })

  it('refuses a PUBLIC_URL that is not http(s) or not a URL', () => {
    assert.match(
      configError({ PUBLIC_URL: 'ftp://example.org' }).message,
      /PUBLIC_URL: must use http or https/,
    )
    assert.match(
      configError({ PUBLIC_URL: 'news.example.org' }).message,
      /PUBLIC_URL: "news.example.org" is not a URL/,
    )
  })

  it('refuses a DATABASE_URL for a database it does not support', () => {
    assert.match(
      configError({ DATABASE_URL: 'mysql://root@localhost/news' }).message,
      /DATABASE_URL: must start with postgres:\/\/ or sqlite:/,
    )
  })

  it('refuses a sqlite: DATABASE_URL without a file', () => {
    assert.match(configError({ DATABASE_URL: 'sqlite:' }).message, /DATABASE_URL: sqlite: needs a file path/)
  })

  it('names every bad variable in one error', () => {
    const error = configError({
      PORT: 'abc',
      HOST: 'bad host',
      PUBLIC_URL: 'https://example.org/news',
      SHORT_URL_BASE: 'mailto:x@example.org',
      DATABASE_URL: 'mysql://root@localhost/news',
      DATABASE_POOL_SIZE: '0',
      LOG_LEVEL: 'loud',
      SITE_NAME: ' ',
    })
    for (const name of [
      'PORT',
      'HOST',
      'PUBLIC_URL',
      'SHORT_URL_BASE',
      'DATABASE_URL',
      'DATABASE_POOL_SIZE',
      'LOG_LEVEL',
      'SITE_NAME',
    ]) {
      assert.match(error.message, new RegExp(`^  ${name}: `, 'm'), `${name} missing from:\n${error.message}`)
    }
  })
})

describe('loadConfig: mail', () => {
  it('writes email to the outbox in the data directory when no SMTP server is set', () => {
    const config = loadConfig({ SITE_NAME: 'The Courier', PUBLIC_URL: 'https://news.example.org' }, CWD)
    assert.deepEqual(config.mail, {
      smtpUrl: undefined,
      from: 'The Courier <no-reply@news.example.org>',
      outboxDir: path.join(CWD, 'data', 'outbox'),
    })
  })

  it('takes an SMTP URL with credentials and a From address', () => {
    const config = loadConfig(
      { SMTP_URL: 'smtps://mailer:s3cret@smtp.example.org:465', MAIL_FROM: 'Courier <news@example.org>' },
      CWD,
    )
    assert.equal(config.mail.smtpUrl, 'smtps://mailer:s3cret@smtp.example.org:465')
    assert.equal(config.mail.from, 'Courier <news@example.org>')
  })

  it('names SMTP_URL and MAIL_FROM when they are wrong, without echoing a password', () => {
    const error = configError({
      SMTP_URL: 'http://user:hunter2@mail.example.org',
      MAIL_FROM: 'not an address',
    })
    assert.match(error.message, /SMTP_URL: must be smtp:\/\/host/)
    assert.match(error.message, /MAIL_FROM: "not an address" is not an address/)
    assert.doesNotMatch(error.message, /hunter2/)
  })

  it('refuses a From with a line break, which would inject headers', () => {
    assert.match(configError({ MAIL_FROM: 'a@example.org\r\nBcc: b@example.org' }).message, /MAIL_FROM/)
  })

  it('defaults the digest hour, pruning ages and VAPID contact, and keeps the VAPID keys to the database', () => {
    const { notifications } = loadConfig({ MAIL_FROM: 'Desk <desk@news.example>' }, CWD)
    assert.deepEqual(notifications, {
      digestHourUtc: 7,
      vapidKeys: undefined,
      vapidSubject: 'mailto:desk@news.example',
      pruneJobsAfterDays: 7,
      pruneReadNotificationsAfterDays: 90,
    })
  })

  it('names each bad notification variable, and never echoes the VAPID private key', () => {
    const error = configError({
      DIGEST_HOUR: '24',
      VAPID_PUBLIC_KEY: 'not-a-key',
      VAPID_PRIVATE_KEY: 'secret-but-wrong',
      VAPID_SUBJECT: 'ftp://x',
      PRUNE_JOBS_AFTER_DAYS: '0',
    })
    for (const name of [
      'DIGEST_HOUR',
      'VAPID_PUBLIC_KEY',
      'VAPID_PRIVATE_KEY',
      'VAPID_SUBJECT',
      'PRUNE_JOBS_AFTER_DAYS',
    ])
      assert.match(error.message, new RegExp(`${name}:`))
    assert.doesNotMatch(error.message, /secret-but-wrong/)
    assert.match(configError({ VAPID_PUBLIC_KEY: 'BAAA' }).message, /give both or neither/)
  })

  it('keeps media on local disk by default and in a bucket with MEDIA_STORE=s3', () => {
    assert.deepEqual(loadConfig({}, CWD).media, {
      store: { kind: 'local', dir: path.join(CWD, 'data', 'media') },
      maxBytes: 25 * 1024 * 1024,
      maxPixels: 60_000_000,
    })
    const s3 = loadConfig(
      {
        MEDIA_STORE: 's3',
        S3_BUCKET: 'courier-photos',
        S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        S3_SECRET_ACCESS_KEY: 'secret',
        S3_REGION: 'eu-north-1',
        MEDIA_MAX_MB: '10',
      },
      CWD,
    ).media
    assert.deepEqual(s3.store, {
      kind: 's3',
      endpoint: 'https://s3.eu-north-1.amazonaws.com',
      bucket: 'courier-photos',
      region: 'eu-north-1',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
    })
    assert.equal(s3.maxBytes, 10 * 1024 * 1024)
  })

  it('names every missing or bad media variable at once, never echoing the secret', () => {
    const error = configError({
      MEDIA_STORE: 's3',
      S3_BUCKET: 'Bad_Bucket',
      S3_SECRET_ACCESS_KEY: 'hunter2',
      MEDIA_MAX_MEGAPIXELS: '0',
    })
    assert.match(error.message, /S3_BUCKET: must be 3-63 lower-case/)
    assert.match(error.message, /S3_ACCESS_KEY_ID: required with MEDIA_STORE=s3/)
    assert.match(error.message, /MEDIA_MAX_MEGAPIXELS/)
    assert.doesNotMatch(error.message, /hunter2/)
    assert.match(configError({ MEDIA_STORE: 'ftp' }).message, /MEDIA_STORE: must be local or s3/)
  })
})
