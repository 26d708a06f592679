import { writeFileSync } from 'node:fs'
import { Session, type Profiler } from 'node:inspector/promises'
import path from 'node:path'

/**
 * Samples this process (the server) with V8's CPU profiler while a scenario runs, the
 * same data `node --cpu-prof` writes, but only for the measured window.
 */
export async function startCpuProfile(): Promise<() => Promise<Profiler.Profile>> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 500 })
  await session.post('Profiler.start')
  return async () => {
    const { profile } = await session.post('Profiler.stop')
    session.disconnect()
    return profile
  }
}

export function saveProfile(profile: Profiler.Profile, dir: string, name: string): string {
  const file = path.join(dir, `${name}.cpuprofile`)
  writeFileSync(file, JSON.stringify(profile))
  return file
}

interface Row {
  name: string
  ms: number
}

/** The hottest functions by self time and by inclusive time, and time per package. */
export function summariseProfile(profile: Profiler.Profile, top = 15): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  const packages = new Map<string, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  let busy = 0
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000
    const leaf = byId.get(samples[i]!)
    if (!leaf || leaf.callFrame.functionName === '(idle)') continue
    busy += ms
    add(self, frameName(leaf.callFrame), ms)
    add(packages, packageOf(leaf.callFrame), ms)
    const onStack = new Set<string>()
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)
      if (node && node.callFrame.url !== '') onStack.add(frameName(node.callFrame))
    }
    for (const name of onStack) add(inclusive, name, ms)
  }
  const table = (title: string, rows: Row[]) =>
    [
      `  ${title}`,
      ...rows
        .slice(0, top)
        .map((r) => `    ${pct(r.ms, busy).padStart(6)}  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}`),
    ].join('\n')
  return [
    `  busy (non-idle) time sampled: ${busy.toFixed(0)} ms`,
    table('self time by package', sorted(packages)),
    table('self time by function', sorted(self)),
    table('inclusive time by function (JS frames)', sorted(inclusive)),
  ].join('\n')
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms)
}

function sorted(map: Map<string, number>): Row[] {
  return [...map].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms)
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`
}

function frameName(frame: Profiler.ProfileNode['callFrame']): string {
  const fn = frame.functionName || '(anonymous)'
  if (!frame.url) return fn
  return `${fn}  ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/')
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length)
  const dist = url.lastIndexOf('/dist/')
  return dist >= 0 ? url.slice(dist + '/dist/'.length) : url
}

function packageOf(frame: Profiler.ProfileNode['callFrame']): string {
  const url = frame.url
  if (!url) return frame.functionName || '(native)'
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (match?.[1]) return match[1]
  if (url.startsWith('node:')) return 'node core'
  const dist = /\/dist\/(src\/[^/]+|bench)\//.exec(url)
  return dist?.[1] ?? url
}
