import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from '#kysely'
import { loadConfig } from '../src/config/load-config.js'
import { createContext, type AppContext } from '../src/main/context.js'
import { createArticle, publishArticle } from '../src/modules/articles/index.js'
import { createUser } from '../src/modules/auth/index.js'
import { countJobs } from '../src/modules/queue/index.js'
import {
  MAILING_BLOCK_SIZE,
  processStoryEvents,
  STORY_MAILING_JOB,
  type MailingBlock,
} from '../src/modules/readers/index.js'
import { createSection, createTopic } from '../src/modules/taxonomy/index.js'
import { parseFlags, postgresOption, UsageError, whole } from './bench-options.js'
import { createPostgresDatabase, type BenchDatabase } from './bench-setup.js'
import { describeMachine } from './report.js'

const FAN_OUT_TARGET_MS = 5000

interface FanOutOptions {
  readers: number
  emails: number
  postgres: string | undefined
}

const USAGE = `usage: npm run bench -- fanout [--readers N] [--emails N] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
  --readers   readers following the story's topic (env BENCH_READERS, default 100000)
  --emails    emails sent from the queue to the local SMTP server for the throughput figure (default 5000)
  --postgres  run on PostgreSQL: a database is created on that server and dropped afterwards`

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): FanOutOptions {
  const { flags } = parseFlags(argv, ['readers', 'emails', 'postgres'], USAGE)
  const readers = whole('readers', flags.get('readers') ?? env['BENCH_READERS'], 100_000, 1, 5_000_000)
  return {
    readers,
    emails: Math.min(readers, whole('emails', flags.get('emails'), 5000, 1, 1_000_000)),
    postgres: postgresOption(flags, env),
  }
}

/**
 * The notification fan-out at scale: N readers follow one topic, an editor publishes a
 * story on it through the article service, and the clock runs until every reader's
 * notification and queued email is committed. Then the job runner sends a share of
 * those emails to a local SMTP server in its own process, for emails per second.
 */
async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env)
  const workDir = mkdtempSync(path.join(tmpdir(), 'dateline-bench-fanout-'))
  let database: BenchDatabase | undefined
  const smtp = await startSmtpSink()
  let ctx: AppContext | undefined
  try {
    database = options.postgres ? await createPostgresDatabase(options.postgres) : undefined
    const config = loadConfig(
      {
        DATELINE_DATA_DIR: workDir,
        LOG_LEVEL: 'silent',
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        ...(database && { DATABASE_URL: database.url }),
      },
      process.cwd(),
    )
    ctx = await createContext(config, { passwordCost: { N: 1024, r: 8, p: 1 } })
    console.log(`Dateline bench: notification fan-out\n${describeMachine()}`)
    console.log(`database   : ${ctx.handle.dialect}`)
    console.log(
      `command    : npm run bench -- fanout --readers ${options.readers} --emails ${options.emails}` +
        (options.postgres ? ' --postgres <url>' : ''),
    )
    return await bench(ctx, options, smtp)
  } finally {
    await ctx?.close()
    smtp.stop()
    await database?.drop()
    rmSync(workDir, { recursive: true, force: true })
  }
}

async function bench(ctx: AppContext, options: FanOutOptions, smtp: SmtpSink): Promise<number> {
  const db = ctx.handle.db
  const editor = await createUser(ctx.auth, {
    email: 'editor@bench.test',
    displayName: 'Bench Editor',
    role: 'editor',
    password: 'a long bench passphrase',
  })
  await createSection(ctx.taxonomy, { slug: 'world', name: 'World' })
  const topic = await createTopic(ctx.taxonomy, { name: 'Shipping' })
  const seedStart = performance.now()
  await seedFollowers(ctx, topic.id, options.readers)
  console.log(
    `seeded     : ${options.readers.toLocaleString('en')} readers following one topic in ` +
      `${((performance.now() - seedStart) / 1000).toFixed(1)} s (straight into the tables)`,
  )
  // Start from a settled log: the seed's own events are not part of the measurement.
  await processStoryEvents(ctx.readers)
  const actor = { userId: editor.id, role: editor.role, via: 'session' as const }
  const draft = await createArticle(ctx.articles, actor, {
    headline: 'Container ship refloated after three days aground',
    section: 'world',
    keyPoints: ['Tugs freed the vessel at high tide'],
    bodyHtml: '<p>The ship was refloated on Tuesday.</p>',
    topics: ['Shipping'],
  })

  const start = performance.now()
  const cpuBefore = process.cpuUsage()
  await publishArticle(ctx.articles, actor, draft.id)
  const published = performance.now()
  const totals = await processStoryEvents(ctx.readers)
  const queued = performance.now()
  const cpu = process.cpuUsage(cpuBefore)
  const notifications = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('article_id', '=', draft.id)
    .executeTakeFirstOrThrow()
  const jobs = await countJobs(db, STORY_MAILING_JOB)
  const fanOutMs = queued - start
  console.log(
    `\nfan-out    : publish ${(published - start).toFixed(0)} ms + notify and queue ${(queued - published).toFixed(0)} ms` +
      ` = ${fanOutMs.toFixed(0)} ms for ${Number(notifications.n).toLocaleString('en')} notifications and ` +
      `${totals.emailsQueued.toLocaleString('en')} emails queued in ${jobs.open.toLocaleString('en')} jobs ` +
      `(blocks of up to ${MAILING_BLOCK_SIZE} readers)`,
  )
  // On SQLite the database runs in this process, so this is the fan-out's whole CPU cost,
  // steadier than wall time on a busy machine; on PostgreSQL the work is in the server's.
  console.log(
    `fan-out CPU: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms in this process` +
      (ctx.handle.dialect === 'postgres'
        ? ' (the statements run in the PostgreSQL server)'
        : ' (SQLite runs in-process)'),
  )
  const blocks = Math.ceil(options.readers / MAILING_BLOCK_SIZE)
  const complete =
    Number(notifications.n) === options.readers &&
    totals.emailsQueued === options.readers &&
    jobs.open === blocks
  if (!complete)
    console.error(`ERROR: expected ${options.readers} notifications and emails queued, in ${blocks} jobs`)

  const throughput = await measureEmailThroughput(ctx, options.emails, smtp)
  console.log(
    `emails     : ${options.emails.toLocaleString('en')} sent from the job queue to smtp-server on 127.0.0.1 ` +
      `(own process) in ${(throughput.ms / 1000).toFixed(1)} s = ${throughput.perSecond.toFixed(0)} emails/s ` +
      `(runner: 4 block jobs at once, each sending 4 at a time; nodemailer pool of 4 connections)`,
  )
  console.log(
    `\nTargets\nfan-out to ${options.readers.toLocaleString('en')} followers : ${fanOutMs.toFixed(0)} ms ` +
      `(target < ${FAN_OUT_TARGET_MS} ms) ${fanOutMs < FAN_OUT_TARGET_MS ? 'PASS' : 'MISS'}`,
  )
  return complete && throughput.delivered === options.emails ? 0 : 1
}

/** N readers who take email at once, each following the topic: two INSERT … SELECT statements. */
async function seedFollowers(ctx: AppContext, topicId: number, readers: number): Promise<void> {
  const db = ctx.handle.db
  const now = new Date().toISOString()
  const at = ctx.handle.dialect === 'postgres' ? sql`cast(${now} as timestamptz)` : sql`${now}`
  await sql`
    with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${readers})
    insert into reader (email, email_frequency, unsubscribe_token, created_at)
    select 'reader' || cast(n as text) || '@bench.test', 'immediately',
      'bench-unsubscribe-token-' || cast(n as text), ${at}
    from seq`.execute(db)
  await sql`
    insert into follow (reader_id, kind, target_id, created_at)
    select id, 'topic', ${topicId}, ${at} from reader`.execute(db)
  await sql`analyze`.execute(db)
}

/**
 * Keeps the block jobs of the first `count` readers (the rest are marked done unsent,
 * and the last block kept is cut short at the count-th reader), and times the job
 * runner sending them to the SMTP server until the server has them all.
 */
async function measureEmailThroughput(
  ctx: AppContext,
  count: number,
  smtp: SmtpSink,
): Promise<{ ms: number; perSecond: number; delivered: number }> {
  const db = ctx.handle.db
  const last = await db
    .selectFrom('notification')
    .select('reader_id')
    .where('mailing_id', 'is not', null)
    .orderBy('reader_id')
    .limit(1)
    .offset(count - 1)
    .executeTakeFirstOrThrow()
  const blocks = await db
    .selectFrom('job')
    .select(['id', 'payload'])
    .where('type', '=', STORY_MAILING_JOB)
    .where('done_at', 'is', null)
    .execute()
  for (const job of blocks) {
    const block = JSON.parse(job.payload) as MailingBlock
    if (block.fromReaderId > last.reader_id)
      await db.updateTable('job').set({ done_at: new Date() }).where('id', '=', job.id).execute()
    else if (block.throughReaderId > last.reader_id) {
      const payload = JSON.stringify({ ...block, throughReaderId: last.reader_id })
      await db.updateTable('job').set({ payload }).where('id', '=', job.id).execute()
    }
  }
  const before = await smtp.count()
  const start = performance.now()
  const totals = await ctx.jobs.runDue()
  const ms = performance.now() - start
  const delivered = (await smtp.count()) - before
  if (totals.failed + totals.retried > 0 || delivered !== count)
    console.error(`ERROR: ${JSON.stringify(totals)} jobs, ${delivered} emails received; expected ${count}`)
  return { ms, perSecond: (delivered / ms) * 1000, delivered }
}

interface SmtpSink {
  port: number
  count(): Promise<number>
  stop(): void
}

function startSmtpSink(): Promise<SmtpSink> {
  const child = fork(fileURLToPath(new URL('./smtp-sink.js', import.meta.url)), [], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('message', (message: { type: string; port: number }) => {
      resolve({
        port: message.port,
        count: () =>
          new Promise((done) => {
            child.once('message', (reply: { received: number }) => done(reply.received))
            child.send('count')
          }),
        stop: () => child.kill(),
      })
    })
  })
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof UsageError ? error.message : error)
    process.exitCode = 1
  },
)
