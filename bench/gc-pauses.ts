import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'

/** Garbage-collection pauses of this process (the Dateline server) in a measured window. */
export interface GcPauses {
  count: number
  totalMs: number
  maxMs: number
  /** Full (mark-compact) collections: the long ones, behind most latency spikes. */
  major: number
}

/** Records every GC pause from now on; `pausesIn` sums those inside the given time windows. */
export function watchGc(): { pausesIn(windows: readonly [number, number][]): GcPauses; stop(): void } {
  const entries: PerformanceEntry[] = []
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()))
  observer.observe({ entryTypes: ['gc'] })
  return {
    pausesIn(windows) {
      entries.push(...observer.takeRecords())
      const inside = entries.filter((e) =>
        windows.some(([start, end]) => e.startTime >= start && e.startTime < end),
      )
      return {
        count: inside.length,
        totalMs: inside.reduce((sum, e) => sum + e.duration, 0),
        maxMs: inside.reduce((max, e) => Math.max(max, e.duration), 0),
        major: inside.filter((e) => gcKind(e) === constants.NODE_PERFORMANCE_GC_MAJOR).length,
      }
    },
    stop: () => observer.disconnect(),
  }
}

function gcKind(entry: PerformanceEntry): number | undefined {
  // GC entries carry { kind, flags } in `detail`, which the PerformanceEntry type omits.
  const detail: unknown = (entry as PerformanceEntry & { detail?: unknown }).detail
  return typeof detail === 'object' && detail !== null && 'kind' in detail && typeof detail.kind === 'number'
    ? detail.kind
    : undefined
}
