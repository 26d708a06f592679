import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config/load-config.js'
import type { AppContext } from '../src/main/context.js'
import { startServer } from '../src/main/server.js'
import { startSupervisor } from '../src/main/supervisor.js'
import { parseBenchOptions, UsageError, type BenchOptions } from './bench-options.js'
import {
  autocannonVersion,
  createPostgresDatabase,
  fetchPage,
  freePort,
  pageCacheCapacity,
  type BenchDatabase,
  type FetchedPage,
} from './bench-setup.js'
import {
  forkLoadClient,
  forkStaticServer,
  type IdleLoadClient,
  type IdleStaticServer,
} from './child-processes.js'
import { captureQueries, explainQueries, formatPlans, type QueryPlan } from './explain-queries.js'
import { measureTogether, ownCpuMicros, type Scenario, type ScenarioInput } from './measure-scenario.js'
import { describeMachine, describeParameters, formatTable, formatTargets, repeatNote } from './report.js'
import { analyzeAfterSeed, seedArticles } from './seed-articles.js'

/**
 * Measures the reader site's article page on a synthetic archive: served from the page
 * cache, rendered from the database, and a plain node:http server answering with the
 * same bytes as the baseline. Exits non-zero only when something failed (a request
 * error, a wrong status), never because a target was missed.
 */
async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2), process.env)
  const workDir = mkdtempSync(path.join(tmpdir(), 'dateline-bench-'))
  let database: BenchDatabase | undefined
  let server: BenchServer | undefined
  let helpers: Helpers | undefined
  let cleaning: Promise<void> | undefined
  const cleanUp = () =>
    (cleaning ??= (async () => {
      helpers?.stop()
      await server?.close().catch(() => undefined)
      await database?.drop()
      rmSync(workDir, { recursive: true, force: true })
    })())
  // Ctrl-C must not leave a bench database behind on a shared PostgreSQL server.
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)))
  try {
    // Before the server starts, so forking them does not write-protect its memory.
    helpers = forkHelpers()
    database = options.postgres ? await createPostgresDatabase(options.postgres) : undefined
    const env = {
      PORT: String(await freePort()),
      DATELINE_DATA_DIR: workDir,
      LOG_LEVEL: 'silent',
      HTTP_WORKERS: String(options.workers),
      ...(database && { DATABASE_URL: database.url }),
    }
    server = await startBenchServer(loadConfig(env, process.cwd()), env)
    return await bench(server, options, workDir, helpers)
  } finally {
    await cleanUp()
  }
}

/** The processes the scenarios need besides the server, forked before it (see forkLoadClient). */
interface Helpers {
  cached: IdleLoadClient
  baseline: IdleStaticServer
  staticLoad: IdleLoadClient
  uncached: IdleLoadClient
  uncachedSingle: IdleLoadClient
  stop(): void
}

function forkHelpers(): Helpers {
  const helpers = {
    cached: forkLoadClient(),
    baseline: forkStaticServer(),
    staticLoad: forkLoadClient(),
    uncached: forkLoadClient(),
    uncachedSingle: forkLoadClient(),
  }
  return { ...helpers, stop: () => Object.values(helpers).forEach((helper) => helper.stop()) }
}

/** The server under test: in this process (profiled, its queries explained), or its HTTP workers. */
interface BenchServer {
  ctx: AppContext
  url: string
  inProcess: boolean
  cpuMicros(): Promise<number>
  close(): Promise<void>
}

async function startBenchServer(
  config: ReturnType<typeof loadConfig>,
  env: Record<string, string>,
): Promise<BenchServer> {
  const passwordCost = { N: 1024, r: 8, p: 1 }
  if (config.http.workers === 1) {
    const server = await startServer(config, { logger: false, passwordCost })
    return { ...server, inProcess: true, cpuMicros: ownCpuMicros }
  }
  const supervisor = await startSupervisor(config, env, { passwordCost })
  return {
    ...supervisor,
    inProcess: false,
    cpuMicros: async () => supervisor.workerPids().reduce((sum, pid) => sum + processCpuMicros(pid), 0),
  }
}

/** User and system CPU time of another process, from /proc (Linux), in microseconds. */
function processCpuMicros(pid: number): number {
  // Fields 14 and 15 of /proc/PID/stat, counted after the command name's closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND
}
const CLOCK_TICKS_PER_SECOND = 100

async function bench(
  server: BenchServer,
  options: BenchOptions,
  workDir: string,
  helpers: Helpers,
): Promise<number> {
  const dialect = server.ctx.handle.dialect
  console.log(`Dateline bench: the article page\n${describeMachine()}`)
  console.log(describeParameters(options, dialect, autocannonVersion()))
  const seedStart = performance.now()
  const site = await seedArticles(server.ctx.handle.db, options.articles)
  await analyzeAfterSeed(server.ctx.handle.db, dialect)
  console.log(
    `seeded     : ${site.articlePaths.length.toLocaleString('en')} articles in ${site.sections} sections, ` +
      `${site.topics} topics, ${site.authors} authors, in ${((performance.now() - seedStart) / 1000).toFixed(1)} s ` +
      '(straight into the tables, bypassing the article service)',
  )
  const inspected = await inspectArticlePage(server, site.articlePaths)
  const scenarios = await runScenarios(server, options, workDir, inspected, helpers)
  const [cached, uncached, uncachedSingle, staticBaseline] = scenarios
  console.log(`\n${formatTable(scenarios)}`)
  const capacity = pageCacheCapacity(inspected.uncachedPaths.length + 1)
  console.log(repeatNote(uncachedSingle.result.nextPath, inspected.uncachedPaths.length, capacity))
  console.log(
    `\nTargets\n${formatTargets({ cached, uncached, uncachedSingle, staticBaseline, connections: options.connections, workers: options.workers })}`,
  )
  const plansToCheck = inspected.plans.filter((p) => p.problems.length > 0)
  console.log(
    !server.inProcess
      ? 'indexes                    : explained with one process only (--workers 1)'
      : plansToCheck.length === 0
        ? `indexes                    : every article-page query on ${dialect} uses an index or reads a tiny table`
        : `indexes                    : ${plansToCheck.length} article-page queries on ${dialect} need a look (CHECK above)`,
  )
  return reportFailures(scenarios)
}

interface InspectedPage {
  page: FetchedPage
  cachedPath: string
  /** Every other article, in turn: the page cache keys by URL, so each is a miss. */
  uncachedPaths: string[]
  plans: QueryPlan[]
}

/** Checks the page is cached on its second view, and explains the queries behind it. */
async function inspectArticlePage(server: BenchServer, paths: string[]): Promise<InspectedPage> {
  const db = server.ctx.handle.db
  const cachedPath = paths[paths.length - 1]!
  const explainPath = paths[Math.floor(paths.length / 2)]!
  if (!server.inProcess) {
    // Each worker keeps a cache of its own, and its queries run out of sight of this process.
    const page = await fetchPage(server.url, cachedPath)
    for (let i = 0; i < 20; i++) await fetchPage(server.url, cachedPath)
    console.log(
      `page       : ${cachedPath}, ${page.body.length.toLocaleString('en')} bytes, ${page.contentType}`,
    )
    console.log('queries    : explained with one process only (--workers 1)')
    const uncachedPaths = paths.filter((p) => p !== cachedPath)
    return { page, cachedPath, uncachedPaths, plans: [] }
  }
  // The first view also reads what every page shares (sections, newest stories); the
  // second, another article, shows what each further uncached page costs.
  let page: FetchedPage | undefined
  const firstQueries = await captureQueries(db, async () => {
    page = await fetchPage(server.url, cachedPath)
  })
  const nextQueries = await captureQueries(db, async () => {
    await fetchPage(server.url, explainPath)
  })
  const again = await fetchPage(server.url, cachedPath)
  if (!page || page.etag === '' || again.etag !== page.etag || !again.body.equals(page.body))
    throw new Error('the second request for the article page was not served from the page cache')
  console.log(
    `page       : ${cachedPath}, ${page.body.length.toLocaleString('en')} bytes, ${page.contentType}`,
  )
  const plans = await explainQueries(db, server.ctx.handle.dialect, [...firstQueries, ...nextQueries])
  console.log(
    `\nQueries behind the article page: ${firstQueries.length} for the first view, ` +
      `${nextQueries.length} for each further uncached one; ${server.ctx.handle.dialect} plans:`,
  )
  console.log(formatPlans(plans))
  const uncachedPaths = paths.filter((p) => p !== cachedPath && p !== explainPath)
  return { page, cachedPath, uncachedPaths, plans }
}

type Scenarios = [cached: Scenario, uncached: Scenario, uncachedSingle: Scenario, staticBaseline: Scenario]

async function runScenarios(
  server: BenchServer,
  options: BenchOptions,
  workDir: string,
  { page, cachedPath, uncachedPaths }: InspectedPage,
  helpers: Helpers,
): Promise<Scenarios> {
  const profileDir = options.profile
    ? mkdtempSync(path.join(tmpdir(), 'dateline-bench-profiles-'))
    : undefined
  if (profileDir) console.log(`profiles   : ${profileDir}`)
  const timing = { warmupSeconds: options.warmup, durationSeconds: options.duration, profileDir }
  const onServer = {
    origin: server.url,
    serverCpuMicros: () => server.cpuMicros(),
    thisProcess: server.inProcess,
  }
  const connections = options.connections
  console.log('')

  // (a) and (c) are compared with each other, so they take turns, slice by slice.
  const bodyFile = path.join(workDir, 'article-page.html')
  writeFileSync(bodyFile, page.body)
  const baseline = await helpers.baseline.serve(bodyFile, page.contentType)
  const [cached, staticBaseline] = await measureTogether(
    [
      {
        ...onServer,
        label: '(a) cached article page',
        paths: [cachedPath],
        firstPath: 0,
        connections,
        client: helpers.cached,
      },
      {
        label: '(c) static node:http, same bytes',
        client: helpers.staticLoad,
        origin: baseline.origin,
        serverCpuMicros: () => baseline.cpuMicros(),
        paths: [cachedPath],
        firstPath: 0,
        connections,
      },
    ],
    { ...timing, slices: options.slices },
  ).finally(() => baseline.stop())
  const alone = async (input: ScenarioInput) => (await measureTogether([input], { ...timing, slices: 1 }))[0]!
  const uncached = await alone({
    ...onServer,
    label: '(b) uncached article pages',
    paths: uncachedPaths,
    firstPath: 0,
    connections,
    client: helpers.uncached,
  })
  // Continues through the list where (b) stopped, so no URL is asked for twice.
  const uncachedSingle = await alone({
    ...onServer,
    label: '(b) uncached, one connection',
    paths: uncachedPaths,
    firstPath: uncached.result.nextPath,
    connections: 1,
    client: helpers.uncachedSingle,
  })
  return [cached!, uncached, uncachedSingle, staticBaseline!]
}

function reportFailures(scenarios: readonly Scenario[]): number {
  const failed = scenarios.filter(
    (s) => s.result.errors > 0 || s.result.non2xx > 0 || s.result.requests === 0,
  )
  for (const s of failed) {
    console.error(
      `ERROR: ${s.label}: ${s.result.errors} socket errors (${s.result.timeouts} timeouts), ` +
        `${s.result.non2xx} non-2xx responses, status codes ${JSON.stringify(s.result.statusCodes)}`,
    )
  }
  return failed.length > 0 ? 1 : 0
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
