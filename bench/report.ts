import os from 'node:os'
import type { BenchOptions } from './bench-options.js'
import type { Scenario } from './measure-scenario.js'

export const CACHED_TARGET = 0.5
export const UNCACHED_P99_TARGET_MS = 10

export function describeMachine(): string {
  const cpus = os.cpus()
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
  const load = os.loadavg()[0] ?? 0
  const busy =
    load > cpus.length / 2
      ? `\nWARNING    : the machine is busy before the bench starts (load average ${load.toFixed(1)} on ${cpus.length} cores): ` +
        'throughput and latency will be depressed and noisy; server CPU per request is the steadier figure'
      : ''
  return [
    `machine    : ${cpus.length} cores (${model}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()} ${os.arch()}`,
    `node       : ${process.version} (server, load generator and baseline each in their own process)`,
    `load avg   : ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (1, 5, 15 min) before the bench${busy}`,
  ].join('\n')
}

export function describeParameters(
  options: BenchOptions,
  dialect: string,
  autocannonVersion: string,
): string {
  return [
    `database   : ${dialect}`,
    `articles   : ${options.articles.toLocaleString('en')} published`,
    `server     : ${options.workers === 1 ? 'one process (the default)' : `${options.workers} HTTP worker processes and their supervisor (HTTP_WORKERS=${options.workers})`}`,
    `load       : autocannon ${autocannonVersion}, HTTP/1.1 keep-alive GET on 127.0.0.1, ${options.connections} connections, ` +
      `${options.warmup} s warm-up then ${options.duration} s measured per scenario; (a) and (c) alternate in ` +
      `${options.slices} slices of ${Math.max(1, Math.round(options.duration / options.slices))} s`,
    `command    : npm run bench -- --articles ${options.articles} --duration ${options.duration} --warmup ${options.warmup} ` +
      `--connections ${options.connections} --slices ${options.slices}${options.workers > 1 ? ` --workers ${options.workers}` : ''}${options.postgres ? ' --postgres <url>' : ''}${options.profile ? ' --profile' : ''}`,
  ].join('\n')
}

const ms = (value: number) => value.toFixed(2)

export function formatTable(scenarios: readonly Scenario[]): string {
  const header = [
    'scenario',
    'conns',
    'requests',
    'req/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'max ms',
    'server CPU/req',
    'GC pauses: n, total, max',
    'load avg',
    'errors',
  ]
  const rows = scenarios.map((s) => [
    s.label,
    String(s.connections),
    s.result.requests.toLocaleString('en'),
    Math.round(s.result.requestsPerSecond).toLocaleString('en'),
    ms(s.result.p50),
    ms(s.result.p90),
    ms(s.result.p99),
    ms(s.result.max),
    `${Math.round(s.serverCpuMicrosPerRequest)} µs`,
    s.gc
      ? `${s.gc.count} (${s.gc.major} full), ${Math.round(s.gc.totalMs)} ms, ${ms(s.gc.maxMs)} ms`
      : '(other process)',
    s.loadAverage.toFixed(1),
    String(s.result.errors + s.result.non2xx),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export interface TargetInput {
  cached: Scenario
  uncached: Scenario
  uncachedSingle: Scenario
  staticBaseline: Scenario
  connections: number
  workers: number
}

export function formatTargets(scenarios: TargetInput): string {
  const input = {
    cached: scenarios.cached.result,
    uncached: scenarios.uncached.result,
    staticBaseline: scenarios.staticBaseline.result,
    connections: scenarios.connections,
  }
  const ratio = input.cached.requestsPerSecond / input.staticBaseline.requestsPerSecond
  const cpuRatio =
    scenarios.staticBaseline.serverCpuMicrosPerRequest / scenarios.cached.serverCpuMicrosPerRequest
  const uncachedInStatic =
    scenarios.uncached.serverCpuMicrosPerRequest / scenarios.staticBaseline.serverCpuMicrosPerRequest
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS')
  return [
    `cached / static throughput : ${(100 * ratio).toFixed(1)}%  ` +
      `(${Math.round(input.cached.requestsPerSecond)} / ${Math.round(input.staticBaseline.requestsPerSecond)} req/s)  ` +
      `target >= ${100 * CACHED_TARGET}%  ${verdict(ratio >= CACHED_TARGET)}`,
    `uncached p99 latency       : ${ms(input.uncached.p99)} ms at ${input.connections} connections` +
      `${scenarios.workers > 1 ? `, ${scenarios.workers} HTTP workers` : ', one process'}  ` +
      `target < ${UNCACHED_P99_TARGET_MS} ms  ${verdict(input.uncached.p99 < UNCACHED_P99_TARGET_MS)}`,
    `(for reference) static / cached server CPU per request: ${(100 * cpuRatio).toFixed(1)}%  ` +
      `(${Math.round(scenarios.staticBaseline.serverCpuMicrosPerRequest)} / ${Math.round(scenarios.cached.serverCpuMicrosPerRequest)} µs): ` +
      'the throughput ratio the server alone would reach if the load generator were never the limit',
    `(for reference) uncached page CPU in static requests: ${uncachedInStatic.toFixed(1)}  ` +
      `(${Math.round(scenarios.uncached.serverCpuMicrosPerRequest)} / ${Math.round(scenarios.staticBaseline.serverCpuMicrosPerRequest)} µs): ` +
      'the cost of a render on any machine, or on this one when its speed changes between runs',
    `(for reference) uncached p99 with one connection: ${ms(scenarios.uncachedSingle.result.p99)} ms ` +
      `(p50 ${ms(scenarios.uncachedSingle.result.p50)} ms): one render with no queue in front of it; at ` +
      `${input.connections} connections a request also waits for the renders ahead of it`,
  ].join('\n')
}

/** Whether the uncached scenarios, which continue one another through the list, ever hit the cache. */
export function repeatNote(requested: number, distinct: number, capacity: number): string {
  const laps = requested / distinct
  if (laps <= 1)
    return `note: uncached runs requested ${requested.toLocaleString('en')} of ${distinct.toLocaleString('en')} article URLs (warm-ups included), none twice`
  const held =
    capacity > distinct ? `more than ${distinct.toLocaleString('en')}` : capacity.toLocaleString('en')
  const verdict =
    distinct > capacity
      ? `still misses, since ${distinct.toLocaleString('en')} distinct URLs exceed the page cache's ${capacity.toLocaleString('en')} entries (oldest evicted first)`
      : `SOME WERE CACHE HITS: the page cache holds ${held} entries; use more --articles`
  return `note: uncached runs went ${laps.toFixed(1)} times through ${distinct.toLocaleString('en')} article URLs; repeats are ${verdict}`
}
