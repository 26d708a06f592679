import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Profiler } from 'node:inspector'
import { loadConfig } from '../src/config/load-config.js'
import { createContext } from '../src/main/context.js'
import { createSection } from '../src/modules/taxonomy/index.js'
import { createSource } from '../src/modules/wire/index.js'
import { createPostgresDatabase, type BenchDatabase } from './bench-setup.js'
import { summariseProfile } from './cpu-profile.js'
import { parseFlags, postgresOption, UsageError, whole } from './bench-options.js'
import { describeMachine } from './report.js'
import { writeWireDrop, type GeneratedDrop } from './wire-items.js'

export const INGEST_RATE_TARGET = 2000
/**
 * Memory at the largest count may exceed the smallest's by this factor and still be "flat":
 * the peak resident set, and the heap the command keeps (left after a full collection).
 * The peak heap is printed but not judged: it is mostly garbage awaiting the next full
 * collection, so it moves with when that falls, and a longer run meets a later one.
 */
export const FLAT_MEMORY_FACTOR = 1.25

const USAGE = `usage: npm run bench -- ingest [--items 5000,50000] [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--profile]
  --items     comma-separated item counts, each a drop folder of that many ninjs files (env BENCH_INGEST_ITEMS)
  --postgres  also ingest into PostgreSQL: a database is created on that server and dropped afterwards
              (env BENCH_POSTGRES)
  --profile   write a V8 CPU profile of each dateline ingest run and print its hottest functions`

interface IngestOptions {
  items: number[]
  postgres: string | undefined
  profile: boolean
}

interface Run {
  dialect: 'sqlite' | 'postgres'
  items: number
  seconds: number
  /** CPU time of the command, user and system: steadier than wall time on a shared machine. */
  cpuSeconds: number
  rssBytes: number
  heapBytes: number
  /** The heap left after a full collection (median over the run): what the command keeps. */
  keptHeapBytes: number
  statuses: Map<string, number>
  exitCode: number | null
}

const here = path.dirname(fileURLToPath(import.meta.url))
const BIN = path.resolve(here, '../../bin/dateline.js')
const PROBE = path.join(here, 'ingest-probe.js')

/**
 * Measures `dateline ingest <dir>`, the real command in a child process, on generated
 * drop folders of ninjs files: items per second into SQLite (and PostgreSQL), and the
 * command's peak memory, so memory that grows with the folder shows in the figures.
 */
async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv)
  const workDir = mkdtempSync(path.join(tmpdir(), 'dateline-bench-ingest-'))
  const databases: BenchDatabase[] = []
  process.once('SIGINT', () => {
    void Promise.all(databases.map((d) => d.drop().catch(() => undefined))).finally(() => {
      rmSync(workDir, { recursive: true, force: true })
      process.exit(130)
    })
  })
  try {
    console.log(`Dateline bench: wire ingest\n${describeMachine()}`)
    console.log(
      `command    : npm run bench -- ingest --items ${options.items.join(',')}` +
        `${options.postgres ? ' --postgres <url>' : ''}${options.profile ? ' --profile' : ''}`,
    )
    console.log(
      'measured   : dateline ingest --source bench <dir> (policy publish), one child process per run;',
    )
    console.log(
      '             time from spawn to exit (start-up and migration check included), peak RSS from rusage\n',
    )
    const runs: Run[] = []
    for (const items of options.items) {
      const dropDir = path.join(workDir, `drop-${items}`)
      const started = performance.now()
      const drop = await writeWireDrop(dropDir, items)
      console.log(describeDrop(items, drop, (performance.now() - started) / 1000))
      for (const dialect of options.postgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
        const database = dialect === 'postgres' ? await createPostgresDatabase(options.postgres!) : undefined
        if (database) databases.push(database)
        try {
          const run = await ingestRun(workDir, dropDir, dialect, items, database, options.profile)
          runs.push(run)
          console.log(`  ${formatRun(run)}`)
        } finally {
          await database?.drop()
          databases.splice(databases.indexOf(database!), 1)
        }
      }
      rmSync(dropDir, { recursive: true, force: true })
    }
    console.log(`\n${formatTargets(runs)}`)
    return runs.every((r) => r.exitCode === 0 && (r.statuses.get('rejected') ?? 0) === 0) ? 0 : 1
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}

function describeDrop(items: number, drop: GeneratedDrop, seconds: number): string {
  return (
    `drop       : ${items.toLocaleString('en')} ninjs files, ${(drop.bytes / 2 ** 20).toFixed(1)} MiB ` +
    `(${drop.stories.toLocaleString('en')} stories, ${drop.reversions.toLocaleString('en')} newer versions, ` +
    `${drop.duplicates.toLocaleString('en')} re-deliveries), written in ${seconds.toFixed(1)} s`
  )
}

async function ingestRun(
  workDir: string,
  dropDir: string,
  dialect: 'sqlite' | 'postgres',
  items: number,
  database: BenchDatabase | undefined,
  profile: boolean,
): Promise<Run> {
  const dataDir = path.join(workDir, `data-${dialect}-${items}`)
  mkdirSync(dataDir, { recursive: true })
  const env: Record<string, string> = {
    DATELINE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(database && { DATABASE_URL: database.url }),
  }
  await prepareDatabase(env)
  const probeFile = path.join(workDir, `probe-${dialect}-${items}.json`)
  const profileDir = path.join(workDir, `profile-${dialect}-${items}`)
  const args = [
    '--import',
    PROBE,
    ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    BIN,
    'ingest',
    '--source',
    'bench',
    dropDir,
  ]
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env['PATH'] ?? '', ...env, BENCH_PROBE_FILE: probeFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const statuses = new Map<string, number>()
  for await (const line of createInterface({ input: child.stdout })) {
    const status = line.slice(0, line.indexOf('\t'))
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
  }
  const exitCode = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
  const seconds = (performance.now() - started) / 1000
  if (!existsSync(probeFile)) throw new Error(`dateline ingest ended without its figures (exit ${exitCode})`)
  const probe = JSON.parse(readFileSync(probeFile, 'utf8')) as {
    maxRssBytes: number
    peakHeapBytes: number
    keptHeapBytes: number
    cpuSeconds: number
  }
  if (profile) printProfile(profileDir)
  return {
    dialect,
    items,
    seconds,
    cpuSeconds: probe.cpuSeconds,
    rssBytes: probe.maxRssBytes,
    heapBytes: probe.peakHeapBytes,
    keptHeapBytes: probe.keptHeapBytes,
    statuses,
    exitCode,
  }
}

/** A section to file stories in and the source the drop comes from, set up before the clock starts. */
async function prepareDatabase(env: Record<string, string>): Promise<void> {
  const ctx = await createContext(loadConfig(env, process.cwd()))
  try {
    await createSection(ctx.taxonomy, { slug: 'world', name: 'World' })
    await createSource(ctx.wire, { name: 'bench', format: 'ninjs', section: 'world', policy: 'publish' })
  } finally {
    await ctx.close()
  }
}

function printProfile(dir: string): void {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const file = path.join(dir, name)
    console.log(`  profile: ${file} (kept only for this run's temporary folder; copy it to keep it)`)
    console.log(summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as Profiler.Profile, 20))
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`

function formatRun(run: Run): string {
  const rate = run.items / run.seconds
  const statuses = [...run.statuses].map(([s, n]) => `${s} ${n.toLocaleString('en')}`).join(', ')
  return (
    `${run.dialect.padEnd(8)} ${run.items.toLocaleString('en').padStart(7)} items  ${run.seconds.toFixed(1).padStart(6)} s  ` +
    `${Math.round(rate).toLocaleString('en').padStart(6)} items/s  ` +
    `(CPU ${run.cpuSeconds.toFixed(1)} s, ${Math.round(run.items / run.cpuSeconds).toLocaleString('en')} items per CPU-s)  peak RSS ${mib(run.rssBytes).padStart(8)}  ` +
    `peak heap ${mib(run.heapBytes).padStart(7)}  kept heap ${mib(run.keptHeapBytes).padStart(6)}  exit ${run.exitCode}  (${statuses})`
  )
}

function formatTargets(runs: Run[]): string {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS')
  const lines = ['Targets']
  for (const run of runs.filter((r) => r.dialect === 'sqlite')) {
    const rate = run.items / run.seconds
    lines.push(
      `ingest rate into SQLite, ${run.items.toLocaleString('en')} items : ${Math.round(rate).toLocaleString('en')} items/s ` +
        `(target >= ${INGEST_RATE_TARGET.toLocaleString('en')})  ${verdict(rate >= INGEST_RATE_TARGET)}`,
    )
  }
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const mine = runs.filter((r) => r.dialect === dialect).sort((a, b) => a.items - b.items)
    const small = mine[0]
    const large = mine.at(-1)
    if (!small || !large || small === large) continue
    for (const [what, of] of [
      ['peak RSS', (r: Run) => r.rssBytes],
      ['kept heap', (r: Run) => r.keptHeapBytes],
    ] as const) {
      const ratio = of(large) / of(small)
      lines.push(
        `${what} on ${dialect}, ${large.items.toLocaleString('en')} vs ${small.items.toLocaleString('en')} items : ` +
          `${mib(of(large))} vs ${mib(of(small))} = ${ratio.toFixed(2)}x (target <= ${FLAT_MEMORY_FACTOR}x)  ` +
          verdict(ratio <= FLAT_MEMORY_FACTOR),
      )
    }
  }
  return lines.join('\n')
}

function parseOptions(argv: string[]): IngestOptions {
  const { flags, switches } = parseFlags(argv, ['items', 'postgres'], USAGE, ['profile'])
  const items = flags.get('items') ?? process.env['BENCH_INGEST_ITEMS'] ?? '5000,50000'
  const counts = items.split(',').map((count) => whole('items', count.trim(), 0, 1, 1_000_000))
  return {
    items: counts.sort((a, b) => a - b),
    postgres: postgresOption(flags, process.env),
    profile: switches.has('profile'),
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(error.message)
      process.exitCode = 2
      return
    }
    console.error(error)
    process.exitCode = 1
  },
)
