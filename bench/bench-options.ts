/** What one bench run measures, from the command line first and the environment second. */
export interface BenchOptions {
  articles: number
  /** Seconds of measured load per scenario. */
  duration: number
  /** Seconds of unmeasured load before each scenario (JIT, caches, connection set-up). */
  warmup: number
  connections: number
  /** Slices (a) and (c) are cut into, measured in turns so background load hits both alike. */
  slices: number
  /** Admin URL of a PostgreSQL server; the bench creates its own database there and drops it. */
  postgres: string | undefined
  /** Write V8 CPU profiles of the server during the cached and uncached runs. */
  profile: boolean
  /** HTTP worker processes (HTTP_WORKERS); 1 is the single process `npm start` runs by default. */
  workers: number
}

const USAGE = `usage: npm run bench -- page [--articles N] [--duration S] [--warmup S] [--connections C] [--slices K]
                          [--workers W] [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--profile]
  --articles     synthetic published articles to seed (env BENCH_ARTICLES, default 10000)
  --duration     seconds measured per scenario (env BENCH_DURATION, default 10)
  --warmup       seconds of warm-up load before each scenario (env BENCH_WARMUP, default 3)
  --connections  concurrent keep-alive connections (env BENCH_CONNECTIONS, default 10)
  --slices       (a) cached and (c) static take turns in K slices of duration/K s (default 5)
  --workers      serve with W HTTP worker processes, as HTTP_WORKERS=W does (env BENCH_WORKERS, default 1)
  --postgres     run on PostgreSQL: a database is created on that server and dropped afterwards
  --profile      write .cpuprofile files of the server and print its hottest functions`

export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { flags, switches } = parseFlags(
    argv,
    ['articles', 'duration', 'warmup', 'connections', 'slices', 'postgres', 'workers'],
    USAGE,
    ['profile'],
  )
  const profile = switches.has('profile')
  const postgres = postgresOption(flags, env)
  return {
    articles: whole('articles', flags.get('articles') ?? env['BENCH_ARTICLES'], 10_000, 10, 1_000_000),
    duration: whole('duration', flags.get('duration') ?? env['BENCH_DURATION'], 10, 1, 600),
    warmup: whole('warmup', flags.get('warmup') ?? env['BENCH_WARMUP'], 3, 0, 120),
    connections: whole('connections', flags.get('connections') ?? env['BENCH_CONNECTIONS'], 10, 1, 1000),
    slices: whole('slices', flags.get('slices') ?? env['BENCH_SLICES'], 5, 1, 60),
    postgres,
    profile,
    workers: whole('workers', flags.get('workers') ?? env['BENCH_WORKERS'], 1, 1, 64),
  }
}

export class UsageError extends Error {}

/**
 * Every suite's command line: `--name value` or `--name=value` for the named options, bare
 * `--switch` for the switches, `--help` for the usage; anything else is a usage error.
 */
export function parseFlags(
  argv: readonly string[],
  names: readonly string[],
  usage: string,
  switchNames: readonly string[] = [],
): { flags: Map<string, string>; switches: Set<string> } {
  const flags = new Map<string, string>()
  const switches = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--help' || arg === '-h') throw new UsageError(usage)
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg)
    if (!match) throw new UsageError(`unexpected argument "${arg}"\n${usage}`)
    const name = match[1] ?? ''
    if (switchNames.includes(name) && match[2] === undefined) {
      switches.add(name)
      continue
    }
    if (!names.includes(name)) throw new UsageError(`unknown option --${name}\n${usage}`)
    const value = match[2] ?? argv[++i]
    if (value === undefined) throw new UsageError(`--${name} needs a value\n${usage}`)
    flags.set(name, value)
  }
  return { flags, switches }
}

/** `--postgres` (or BENCH_POSTGRES): the admin URL of a server to make a bench database on. */
export function postgresOption(flags: Map<string, string>, env: NodeJS.ProcessEnv): string | undefined {
  const postgres = flags.get('postgres') ?? env['BENCH_POSTGRES']
  if (postgres === undefined || postgres === '') return undefined
  if (!/^postgres(ql)?:\/\//.test(postgres)) throw new UsageError('--postgres must be a postgres:// URL')
  return postgres
}

export function whole(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw.replace(/_/g, ''))
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`)
  return value
}
