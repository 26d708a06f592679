import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * `npm run bench` runs every suite in turn, each in its own process so one suite's heap
 * and open handles never colour the next one's figures. `npm run bench -- page --articles
 * 1000` runs one suite and hands it the rest of the arguments.
 */
const SUITES: Record<string, { script: string; what: string }> = {
  page: { script: 'page-bench.js', what: 'article page: cached, uncached, static baseline' },
  fanout: { script: 'fanout-bench.js', what: 'a story to 100,000 followers: fan-out time, email throughput' },
  diff: { script: 'diff-bench.js', what: 'revision word diff on the longest bodies' },
  live: { script: 'live-bench.js', what: 'update-to-screen latency over 1,000 SSE streams' },
  desk: { script: 'desk-bench.js', what: 'newsroom story lists: each list, filters, search, counts' },
  ingest: {
    script: 'ingest-bench.js',
    what: 'wire ingest: ninjs items/s into SQLite (and PostgreSQL), peak memory',
  },
  media: { script: 'media-bench.js', what: 'photo upload latency and renditions time' },
}

function main(argv: readonly string[]): number {
  const [first, ...rest] = argv
  if (first === '--help' || first === '-h') {
    console.log(usage())
    return 0
  }
  const chosen = first !== undefined && first in SUITES ? [first] : Object.keys(SUITES)
  const args = first !== undefined && first in SUITES ? rest : argv
  if (chosen.length > 1 && args.length > 0) {
    console.error(`options go to one suite: name it first\n${usage()}`)
    return 2
  }
  const here = path.dirname(fileURLToPath(import.meta.url))
  let failed = 0
  for (const name of chosen) {
    const suite = SUITES[name]
    if (!suite) continue
    console.log(`\n=== bench: ${name} (${suite.what}) ===\n`)
    const result = spawnSync(process.execPath, [path.join(here, suite.script), ...args], { stdio: 'inherit' })
    if (result.status !== 0) failed++
  }
  return failed === 0 ? 0 : 1
}

function usage(): string {
  const lines = Object.entries(SUITES).map(([name, suite]) => `  ${name.padEnd(8)} ${suite.what}`)
  return `usage: npm run bench [-- SUITE [options]]   (SUITE --help lists its options)\n${lines.join('\n')}`
}

process.exitCode = main(process.argv.slice(2))
