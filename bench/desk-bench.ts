import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql, type Kysely } from '#kysely'
import { loadConfig } from '../src/config/load-config.js'
import { startServer, type RunningServer } from '../src/main/server.js'
import { createApiToken, createUser } from '../src/modules/auth/index.js'
import type { Database } from '../src/platform/database.js'
import { parseBenchOptions, UsageError } from './bench-options.js'
import { createPostgresDatabase, freePort, type BenchDatabase } from './bench-setup.js'
import { captureQueries, explainQueries, formatPlans } from './explain-queries.js'
import { describeMachine } from './report.js'
import { analyzeAfterSeed, seedArticles } from './seed-articles.js'

/** A page of a story list (20 stories with their sections, topics, authors) must come back within this. */
const LIST_P99_TARGET_MS = 50
const WARMUP_REQUESTS = 30
const MEASURED_REQUESTS = 300

/**
 * Measures the newsroom's story lists on a synthetic archive: each preset list, a
 * section filter, a word search, a date range and the counts, one request at a time
 * over HTTP with an API token, and the query plans behind each. Exits non-zero only
 * when a request failed, never because a target was missed.
 */
async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2), process.env)
  const workDir = mkdtempSync(path.join(tmpdir(), 'dateline-desk-bench-'))
  let database: BenchDatabase | undefined
  let server: RunningServer | undefined
  // Ctrl-C or a timeout must not leave a bench database behind on a shared PostgreSQL server.
  const stop = () => void (database?.drop() ?? Promise.resolve()).finally(() => process.exit(130))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    database = options.postgres ? await createPostgresDatabase(options.postgres) : undefined
    const config = loadConfig(
      {
        PORT: String(await freePort()),
        DATELINE_DATA_DIR: workDir,
        LOG_LEVEL: 'silent',
        ...(database && { DATABASE_URL: database.url }),
      },
      process.cwd(),
    )
    server = await startServer(config, { logger: false, passwordCost: { N: 1024, r: 8, p: 1 } })
    return await bench(server, options.articles)
  } finally {
    await server?.close().catch(() => undefined)
    await database?.drop()
    rmSync(workDir, { recursive: true, force: true })
  }
}

async function bench(server: RunningServer, articles: number): Promise<number> {
  const db = server.ctx.handle.db
  const dialect = server.ctx.handle.dialect
  console.log(`Dateline bench: the newsroom's story lists\n${describeMachine()}`)
  await seedArticles(db, articles)
  const shape = await shapeDesk(db)
  await analyzeAfterSeed(db, dialect)
  console.log(
    `database   : ${dialect}\narticles   : ${articles.toLocaleString('en')}: ${shape}\n` +
      `load       : one request at a time, ${WARMUP_REQUESTS} warm-up then ${MEASURED_REQUESTS} measured per ` +
      'scenario, fetch in the server process, API token',
  )
  const writer = await db
    .selectFrom('article')
    .select('created_by')
    .where('status', '=', 'draft')
    .where('created_by', 'is not', null)
    .executeTakeFirstOrThrow()
  const editor = await createUser(server.ctx.auth, {
    email: 'bench.editor@dateline.invalid',
    displayName: 'Bench Editor',
    role: 'editor',
    password: 'bench-password-long-enough',
  })
  const tokens = {
    editor: (await createApiToken(server.ctx.auth, editor.id, 'bench')).token,
    writer: (await createApiToken(server.ctx.auth, writer.created_by!, 'bench')).token,
  }
  const day = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10)
  const scenarios: [string, string, keyof typeof tokens][] = [
    ['my drafts', '/api/v1/articles?list=mine', 'writer'],
    ['submitted for review', '/api/v1/articles?list=review', 'editor'],
    ['scheduled', '/api/v1/articles?list=scheduled', 'editor'],
    ['published', '/api/v1/articles?list=published', 'editor'],
    ['published, page 10', '/api/v1/articles?list=published&offset=180', 'editor'],
    ['wire queue', '/api/v1/articles?list=wire', 'editor'],
    ['published in a section', '/api/v1/articles?list=published&section=world', 'editor'],
    ['published, a word searched', '/api/v1/articles?list=published&q=harbour', 'editor'],
    ['drafts since a day', `/api/v1/articles?status=draft&from=${day}`, 'editor'],
    ['counts for the navigation', '/api/v1/articles/counts', 'editor'],
  ]
  const lines: string[] = []
  let failures = 0
  for (const [label, url, who] of scenarios) {
    const headers = { authorization: `Bearer ${tokens[who]}` }
    const get = async (): Promise<number | undefined> => {
      const response = await fetch(server.url + url, { headers }).catch(async () =>
        // The server may close a keep-alive socket left idle while plans were timed; one retry.
        fetch(server.url + url, { headers }),
      )
      const body = (await response.json()) as { total?: number }
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`)
      return body.total
    }
    try {
      let total: number | undefined
      const queries = await captureQueries(db, async () => {
        total = await get()
      })
      for (let i = 0; i < WARMUP_REQUESTS; i++) await get()
      const times: number[] = []
      for (let i = 0; i < MEASURED_REQUESTS; i++) {
        const started = performance.now()
        await get()
        times.push(performance.now() - started)
      }
      times.sort((a, b) => a - b)
      const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!
      const p99 = at(0.99)
      const line =
        `${label.padEnd(28)} ${String(total ?? '-').padStart(6)} ${at(0.5).toFixed(2).padStart(8)} ${at(0.95).toFixed(2).padStart(8)} ` +
        `${p99.toFixed(2).padStart(8)}  ${String(queries.length).padStart(4)}  ${p99 < LIST_P99_TARGET_MS ? 'PASS' : 'MISS'}`
      // Printed as it comes too, so a run cut short still shows what it measured.
      console.log(`\nmeasured: ${line}`)
      lines.push(line)
      // The list and its count; authentication and the per-page lookups are indexed by key.
      const plans = await explainQueries(
        db,
        dialect,
        queries.filter((q) => /^select .* from "article"/.test(q.sql)),
      )
      const problems = plans.flatMap((p) => p.problems)
      console.log(
        `\n${label}: ${url}\n${formatPlans(plans)}${problems.length ? `\nCHECK: ${problems.join('; ')}` : ''}`,
      )
    } catch (error) {
      failures++
      console.error(`ERROR: ${label}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  console.log(
    `\n${'scenario'.padEnd(28)} ${'total'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  queries  p99 < ${LIST_P99_TARGET_MS} ms\n${lines.join('\n')}`,
  )
  return failures > 0 ? 1 : 0
}

/**
 * Turns the all-published synthetic archive into a desk: a tenth drafts (half of those
 * waiting for review), a tenth scheduled, one in fifty wire copy no one has picked up.
 */
async function shapeDesk(db: Kysely<Database>): Promise<string> {
  const later = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString()
  await db
    .updateTable('article')
    .set({ status: 'draft', first_published_at: null, public_updated_at: null })
    .where(sql<boolean>`id % 10 = 1 or id % 50 = 5`)
    .execute()
  await db
    .updateTable('article')
    .set({ submitted_at: sql`modified_at`, submitted_by: sql`created_by` })
    .where(sql<boolean>`id % 20 = 1`)
    .execute()
  await db
    .updateTable('article')
    .set({ status: 'scheduled', scheduled_at: later, first_published_at: null, public_updated_at: null })
    .where(sql<boolean>`id % 10 = 3`)
    .execute()
  await db
    .deleteFrom('article_author')
    .where(sql<boolean>`article_id % 50 = 5`)
    .execute()
  await db
    .updateTable('article')
    .set({ created_by: null })
    .where(sql<boolean>`id % 50 = 5`)
    .execute()
  const counts = await db
    .selectFrom('article')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('status')
    .execute()
  return counts.map((c) => `${Number(c.n).toLocaleString('en')} ${c.status}`).join(', ')
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
