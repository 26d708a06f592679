import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../src/config/load-config.js'
import { startServer, type RunningServer } from '../src/main/server.js'
import { createArticle, publishArticle } from '../src/modules/articles/index.js'
import { createApiToken, createUser } from '../src/modules/auth/index.js'
import { createSection } from '../src/modules/taxonomy/index.js'
import { parseFlags, postgresOption, UsageError, whole } from './bench-options.js'
import { createPostgresDatabase, freePort, type BenchDatabase } from './bench-setup.js'
import type { LiveClientCommand, LiveClientReport } from './live-clients.js'
import { describeMachine } from './report.js'

/** Update-to-screen target: every open stream has the edit within this, at the 99th percentile. */
const P99_TARGET_MS = 1000

const USAGE = `usage: npm run bench -- live [--connections N] [--edits K] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
  --connections  open SSE streams (env BENCH_LIVE_CONNECTIONS, default 1000)
  --edits        story edits saved through the API, one after another (default 10)
  --postgres     also measure two nodes on PostgreSQL: a database is created on that server and dropped afterwards`

interface LiveOptions {
  connections: number
  edits: number
  postgres: string | undefined
}

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): LiveOptions {
  const { flags } = parseFlags(argv, ['connections', 'edits', 'postgres'], USAGE)
  return {
    connections: whole(
      'connections',
      flags.get('connections') ?? env['BENCH_LIVE_CONNECTIONS'],
      1000,
      1,
      20_000,
    ),
    edits: whole('edits', flags.get('edits'), 10, 1, 1000),
    postgres: postgresOption(flags, env),
  }
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

/** The readers' process, driven by messages. */
function startClients(): { ask(command: LiveClientCommand): Promise<LiveClientReport>; stop(): void } {
  const child = fork(here('./live-clients.js'), [], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return {
    ask(command) {
      return new Promise((resolve, reject) => {
        child.once('message', (report: LiveClientReport) =>
          report.type === 'failed' ? reject(new Error(`live clients: ${report.error}`)) : resolve(report),
        )
        child.send(command)
      })
    },
    stop: () => child.kill(),
  }
}

/** A second node in its own process over the same PostgreSQL database. */
async function startNode(databaseUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = fork(here('./live-node.js'), [databaseUrl, String(await freePort())], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url))
    child.once('exit', (code) => reject(new Error(`node B exited with code ${code} before listening`)))
  })
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve())
        child.send('stop')
      }),
  }
}

interface StoryFixture {
  articleId: number
  version: number
  token: string
}

/** An editor with an API token and one published story, written through node A. */
async function seedStory(server: RunningServer): Promise<StoryFixture> {
  const user = await createUser(server.ctx.auth, {
    email: 'bench.editor@dateline.invalid',
    displayName: 'Bench Editor',
    role: 'editor',
    password: 'bench passphrase, not for use',
  })
  const actor = { userId: user.id, role: 'editor', via: 'cli' } as const
  await createSection(server.ctx.taxonomy, { slug: 'news', name: 'News' })
  const draft = await createArticle(server.ctx.articles, actor, {
    headline: 'Live bench story',
    section: 'news',
    keyPoints: ['A key point'],
    bodyHtml: '<p>A paragraph of the live bench story.</p>',
  })
  const story = await publishArticle(server.ctx.articles, actor, draft.id)
  const { token } = await createApiToken(server.ctx.auth, user.id, 'live bench')
  return { articleId: story.id, version: story.version, token }
}

interface Measured {
  latencies: number[]
  /** The same latencies split by the node each stream was open to. */
  byNode: number[][]
  missing: number
  opened: number
  refused: number
}

/** Opens the streams, then saves edits one by one through node A's API and times each stream's arrival. */
async function measure(editOrigin: string, readOrigins: string[], story: StoryFixture, options: LiveOptions) {
  const clients = startClients()
  try {
    const ready = await clients.ask({
      type: 'open',
      origins: readOrigins,
      articleId: story.articleId,
      connections: options.connections,
    })
    if (ready.type !== 'ready') throw new Error('live clients did not open')
    const result: Measured = {
      latencies: [],
      byNode: readOrigins.map(() => []),
      missing: 0,
      opened: ready.opened,
      refused: ready.refused,
    }
    let version = story.version
    for (let edit = 1; edit <= options.edits; edit++) {
      const marker = `Live bench edit ${edit} of ${options.edits}`
      const arrival = clients.ask({ type: 'await', marker, timeoutMs: 30_000 })
      const sentAt = performance.timeOrigin + performance.now()
      const response = await fetch(`${editOrigin}/api/v1/articles/${story.articleId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${story.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version, headline: marker, keyPoints: [`Point ${edit}`] }),
      })
      if (response.status !== 200) throw new Error(`edit ${edit}: the API answered ${response.status}`)
      version = ((await response.json()) as { version: number }).version
      const arrived = await arrival
      if (arrived.type !== 'arrived') throw new Error('live clients did not report')
      arrived.times.forEach((t, i) => {
        result.latencies.push(t - sentAt)
        result.byNode[arrived.origins[i] ?? 0]?.push(t - sentAt)
      })
      result.missing += arrived.missing
    }
    return result
  } finally {
    clients.stop()
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

function report(label: string, measured: Measured, options: LiveOptions): boolean {
  const sorted = [...measured.latencies].sort((a, b) => a - b)
  const p50 = percentile(sorted, 50)
  const p99 = percentile(sorted, 99)
  const max = sorted[sorted.length - 1] ?? Number.NaN
  console.log(
    `${label.padEnd(34)}: ${measured.opened} streams open (${measured.refused} refused), ${options.edits} edits, ` +
      `${sorted.length.toLocaleString('en')} deliveries, ${measured.missing} missing`,
  )
  console.log(
    `${''.padEnd(34)}  p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms ` +
      `(target p99 < ${P99_TARGET_MS} ms: ${p99 < P99_TARGET_MS && measured.missing === 0 ? 'PASS' : 'MISS'})`,
  )
  if (measured.byNode.length > 1) {
    measured.byNode.forEach((latencies, node) => {
      const own = [...latencies].sort((a, b) => a - b)
      console.log(
        `${''.padEnd(34)}  node ${node === 0 ? 'A (edited here)' : 'B (over NOTIFY)'}: ${own.length} deliveries, ` +
          `p50 ${percentile(own, 50).toFixed(1)} ms, p99 ${percentile(own, 99).toFixed(1)} ms`,
      )
    })
  }
  return measured.refused === 0
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env)
  const workDir = mkdtempSync(path.join(tmpdir(), 'dateline-bench-live-'))
  const stops: (() => Promise<unknown>)[] = []
  let database: BenchDatabase | undefined
  const cleanUp = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined)
    await database?.drop()
    rmSync(workDir, { recursive: true, force: true })
  }
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)))
  try {
    console.log(
      `Dateline bench: live updates (an API edit until every open SSE stream has it)\n${describeMachine()}`,
    )
    console.log(
      `parameters : ${options.connections} streams in one client process, ${options.edits} edits in turn; ` +
        'latency = from sending the PATCH until the stream read the event',
    )
    let ok = true
    const single = await startServer(
      loadConfig(
        {
          PORT: String(await freePort()),
          DATELINE_DATA_DIR: path.join(workDir, 'sqlite'),
          LOG_LEVEL: 'silent',
        },
        process.cwd(),
      ),
      { logger: false, passwordCost: { N: 1024, r: 8, p: 1 } },
    )
    stops.push(() => single.close())
    const story = await seedStory(single)
    ok = report('one node, SQLite', await measure(single.url, [single.url], story, options), options) && ok
    await stops.pop()?.()

    if (options.postgres) {
      database = await createPostgresDatabase(options.postgres)
      const nodeA = await startServer(
        loadConfig(
          {
            PORT: String(await freePort()),
            DATELINE_DATA_DIR: path.join(workDir, 'node-a'),
            LOG_LEVEL: 'silent',
            DATABASE_URL: database.url,
          },
          process.cwd(),
        ),
        { logger: false, passwordCost: { N: 1024, r: 8, p: 1 } },
      )
      stops.push(() => nodeA.close())
      const nodeB = await startNode(database.url)
      stops.push(() => nodeB.stop())
      const pgStory = await seedStory(nodeA)
      const measured = await measure(nodeA.url, [nodeA.url, nodeB.url], pgStory, options)
      ok = report('two nodes, PostgreSQL (edit on A)', measured, options) && ok
    } else {
      console.log('two nodes, PostgreSQL              : not run (give --postgres URL)')
    }
    return ok ? 0 : 1
  } finally {
    await cleanUp()
  }
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof UsageError ? error.message : error)
    process.exitCode = error instanceof UsageError ? 2 : 1
  },
)
