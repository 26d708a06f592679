import assert from 'node:assert/strict'
import { tmpdir } from 'node:os'
import { after, before, it } from 'node:test'
import { pruneExpired } from '../../../src/jobs/prune-expired.js'
import { runCli } from '../../../src/main/cli.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { aSection, anArticle, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

const DAY = 24 * 60 * 60 * 1000

/**
 * Pruning deletes exactly what has expired or served its time, and nothing else. Every
 * row is made on both sides of its line; the test clock starts at the real time so the
 * CLI, which uses the system clock, sees the same lines.
 */
forEachDialect('pruning', (dialect) => {
  let ctx: TestContext
  let editor: Actor & { user: { id: number } }
  let readerId: number
  const ago = (days: number) => new Date(ctx.clock.now().getTime() - days * DAY)

  before(async () => {
    ctx = await createTestContext(dialect, { start: new Date() })
    editor = await anEditor(ctx)
    await aSection(ctx, 'world')
    const row = await ctx.handle.db
      .insertInto('reader')
      .values({
        email: 'pruned@example.org',
        email_frequency: 'daily',
        unsubscribe_token: `unsubscribe-token-prune-${'x'.repeat(24)}`,
        created_at: ago(400),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    readerId = row.id
  })
  after(() => ctx.destroy())

  async function seed() {
    const db = ctx.handle.db
    const token = (hash: string, expires: Date) => ({
      token_hash: hash,
      email: 'pruned@example.org',
      return_to: null,
      follow_kind: null,
      follow_target_id: null,
      created_at: ago(1),
      expires_at: expires,
      used_at: null,
    })
    await db
      .insertInto('reader_login_token')
      .values([token('expired-link', ago(0.01)), token('live-link', ago(-0.01))])
      .execute()
    await db
      .insertInto('reader_session')
      .values([
        { id_hash: 'expired-reader-session', reader_id: readerId, created_at: ago(31), expires_at: ago(1) },
        { id_hash: 'live-reader-session', reader_id: readerId, created_at: ago(1), expires_at: ago(-29) },
      ])
      .execute()
    await db
      .insertInto('session')
      .values([
        {
          id_hash: 'expired-staff-session',
          user_id: editor.user.id,
          created_at: ago(10),
          expires_at: ago(2),
        },
        { id_hash: 'live-staff-session', user_id: editor.user.id, created_at: ago(1), expires_at: ago(-1) },
      ])
      .execute()
    await db
      .insertInto('rate_limit')
      .values([
        { key: 'POST /api/v1/session|192.0.2.1', hits: 3, resets_at_ms: ago(1).getTime() },
        { key: 'POST /api/v1/session|192.0.2.2', hits: 1, resets_at_ms: ago(-1).getTime() },
      ])
      .execute()
    const job = (key: string, fields: { done?: Date; failed?: Date; created: Date }) => ({
      type: 'email.new-story',
      dedupe_key: key,
      payload: '{}',
      run_at: fields.created,
      attempts: 1,
      last_error: null,
      created_at: fields.created,
      done_at: fields.done ?? null,
      failed_at: fields.failed ?? null,
    })
    await db
      .insertInto('job')
      .values([
        job('done-long-ago', { created: ago(10), done: ago(8) }),
        job('failed-long-ago', { created: ago(10), failed: ago(9) }),
        job('done-recently', { created: ago(2), done: ago(1) }),
        job('failed-recently', { created: ago(2), failed: ago(1) }),
        job('open-and-old', { created: ago(30) }),
      ])
      .execute()
    const stories = await Promise.all(
      ['Old read story', 'Recently read story', 'Old unread story'].map((headline) =>
        anArticle(ctx, editor, { section: 'world', headline }),
      ),
    )
    await db
      .insertInto('notification')
      .values([
        { reader_id: readerId, article_id: stories[0]!.id, created_at: ago(120), read_at: ago(100) },
        { reader_id: readerId, article_id: stories[1]!.id, created_at: ago(20), read_at: ago(10) },
        { reader_id: readerId, article_id: stories[2]!.id, created_at: ago(200), read_at: null },
      ])
      .execute()
    const digest = (daysAgo: number) => ({
      reader_id: readerId,
      day: ago(daysAgo).toISOString().slice(0, 10),
      through_notification_id: 1000 - daysAgo,
      stories: 1,
      created_at: ago(daysAgo),
      sent_at: ago(daysAgo),
    })
    await db
      .insertInto('reader_digest')
      .values([digest(200), digest(150), digest(120)])
      .execute()
  }

  const remaining = async () => {
    const db = ctx.handle.db
    return {
      links: (await db.selectFrom('reader_login_token').select('token_hash').execute()).map(
        (r) => r.token_hash,
      ),
      readerSessions: (await db.selectFrom('reader_session').select('id_hash').execute()).map(
        (r) => r.id_hash,
      ),
      staffSessions: (await db.selectFrom('session').select('id_hash').execute()).map((r) => r.id_hash),
      rateLimits: (await db.selectFrom('rate_limit').select('key').execute()).map((r) => r.key),
      jobs: (await db.selectFrom('job').select('dedupe_key').orderBy('dedupe_key').execute()).map(
        (r) => r.dedupe_key,
      ),
      notifications: (
        await db
          .selectFrom('notification')
          .innerJoin('article', 'article.id', 'notification.article_id')
          .select('article.headline')
          .orderBy('article.headline')
          .execute()
      ).map((r) => r.headline),
      digests: (await db.selectFrom('reader_digest').select('day').orderBy('day').execute()).map(
        (r) => r.day,
      ),
    }
  }

  it('deletes the expired and the old, and keeps everything live, open or unread', async () => {
    await seed()
    const counts = await pruneExpired(ctx, { jobsAfterDays: 7, readNotificationsAfterDays: 90 })
    assert.deepEqual(counts, {
      signInLinks: 1,
      readerSessions: 1,
      readNotifications: 1,
      digests: 2,
      staffSessions: 1,
      rateLimits: 1,
      jobs: 2,
      mailings: 0,
    })
    assert.deepEqual(await remaining(), {
      links: ['live-link'],
      readerSessions: ['live-reader-session'],
      staffSessions: ['live-staff-session'],
      rateLimits: ['POST /api/v1/session|192.0.2.2'],
      jobs: ['done-recently', 'failed-recently', 'open-and-old'],
      notifications: ['Old unread story', 'Recently read story'],
      digests: [ago(120).toISOString().slice(0, 10)],
    })
  })

  it('runs as dateline prune, printing what it deleted, and deletes nothing more the second time', async () => {
    await ctx.handle.db
      .insertInto('session')
      .values({ id_hash: 'another-expired', user_id: editor.user.id, created_at: ago(3), expires_at: ago(1) })
      .execute()
    const config = ctx.database.config
    const databaseUrl = config.dialect === 'sqlite' ? `sqlite:${config.file}` : config.url
    const run = async () => {
      const out: string[] = []
      const err: string[] = []
      const code = await runCli(['prune'], {
        env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', PRUNE_JOBS_AFTER_DAYS: '1' },
        cwd: tmpdir(),
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      })
      return { code, out: out.join('\n'), err: err.join('\n') }
    }
    const first = await run()
    assert.equal(first.code, 0, first.err)
    assert.match(first.out, /^staff sessions\t1$/m)
    assert.match(
      first.out,
      /^finished jobs\t2$/m,
      'PRUNE_JOBS_AFTER_DAYS=1 takes the jobs finished a day ago',
    )
    const second = await run()
    assert.equal(second.code, 0, second.err)
    assert.doesNotMatch(second.out, /\t[1-9]/)
    assert.deepEqual((await remaining()).jobs, ['open-and-old'])
  })
})
