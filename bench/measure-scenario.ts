import os from 'node:os'
import path from 'node:path'
import type { IdleLoadClient, LoadClient } from './child-processes.js'
import { saveProfile, startCpuProfile, summariseProfile } from './cpu-profile.js'
import { watchGc, type GcPauses } from './gc-pauses.js'
import type { LoadResult } from './load-client.js'

export interface ScenarioInput {
  label: string
  origin: string
  paths: string[]
  firstPath: number
  connections: number
  /** CPU time (user + system) the serving process has used so far, in microseconds. */
  serverCpuMicros: () => Promise<number>
  /** The server runs in this process: profile it (with --profile) and watch its GC pauses. */
  thisProcess?: boolean
  /** Its load generator, forked before the server started (forkLoadClient says why). */
  client: IdleLoadClient
}

export interface Timing {
  warmupSeconds: number
  durationSeconds: number
  /** Measured slices per scenario; scenarios measured together take turns slice by slice. */
  slices: number
  profileDir?: string | undefined
}

export interface Scenario {
  label: string
  connections: number
  result: LoadResult
  /**
   * Server CPU time per response. Steadier than requests/s on a shared machine: other
   * processes slow the wall clock, much less the CPU time each request costs.
   */
  serverCpuMicrosPerRequest: number
  /** The machine's 1-minute load average when the scenario ended. */
  loadAverage: number
  /** GC pauses in the server during the measured slices, when it runs in this process. */
  gc: GcPauses | undefined
}

/**
 * Measures scenarios that are to be compared with each other in alternating slices
 * (A B A B ...) after each has warmed up, so a burst of load from elsewhere on the
 * machine hits them alike instead of skewing whichever ran during it.
 */
export async function measureTogether(inputs: readonly ScenarioInput[], timing: Timing): Promise<Scenario[]> {
  const sliceSeconds = Math.max(1, Math.round(timing.durationSeconds / timing.slices))
  const clients: LoadClient[] = []
  try {
    for (const input of inputs) {
      console.log(`running    : ${input.label} (warm-up ${timing.warmupSeconds} s) ...`)
      const job = {
        origin: input.origin,
        paths: input.paths,
        firstPath: input.firstPath,
        connections: input.connections,
        warmupSeconds: timing.warmupSeconds,
        sliceSeconds,
        slices: timing.slices,
      }
      clients.push(await input.client.start(job))
    }
    const cpu = inputs.map(() => 0)
    const windows = inputs.map((): [number, number][] => [])
    const profiled = inputs.findIndex((input) => input.thisProcess)
    const stopProfile = timing.profileDir && profiled >= 0 ? await startCpuProfile() : undefined
    const gc = watchGc()
    for (let slice = 0; slice < timing.slices; slice++) {
      for (const [i, input] of inputs.entries()) {
        const before = await input.serverCpuMicros()
        const start = performance.now()
        await clients[i]!.slice()
        windows[i]!.push([start, performance.now()])
        cpu[i]! += (await input.serverCpuMicros()) - before
      }
    }
    gc.stop()
    if (stopProfile && timing.profileDir) {
      const profile = await stopProfile()
      const name = inputs[profiled]!.label.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')
      const file = saveProfile(profile, timing.profileDir, name)
      console.log(`profile    : ${path.basename(file)} (the Dateline server)\n${summariseProfile(profile)}`)
    }
    const results = await Promise.all(clients.map((client) => client.result()))
    return inputs.map((input, i) => ({
      label: input.label,
      connections: input.connections,
      result: results[i]!,
      serverCpuMicrosPerRequest: results[i]!.requests === 0 ? 0 : cpu[i]! / results[i]!.requests,
      loadAverage: os.loadavg()[0] ?? 0,
      gc: input.thisProcess ? gc.pausesIn(windows[i]!) : undefined,
    }))
  } finally {
    for (const client of clients) client.stop()
  }
}

/** CPU time of this process, for the Dateline server that runs in it. */
export async function ownCpuMicros(): Promise<number> {
  const usage = process.cpuUsage()
  return usage.user + usage.system
}
