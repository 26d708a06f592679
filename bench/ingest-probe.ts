import { writeFileSync } from 'node:fs'
import { getHeapStatistics } from 'node:v8'

/**
 * Loaded into the `dateline ingest` child with `--import`: samples the V8 heap while the
 * command runs and, when it exits, writes its peak resident set (from the kernel's
 * rusage) and peak heap to the file named by BENCH_PROBE_FILE. The command itself is
 * the real one, untouched.
 */
const file = process.env['BENCH_PROBE_FILE']
const started = performance.now()
let peakHeap = 0
let peakExternal = 0
const sample = () => {
  const heap = getHeapStatistics()
  peakHeap = Math.max(peakHeap, heap.used_heap_size)
  peakExternal = Math.max(peakExternal, heap.external_memory)
}
setInterval(sample, 25).unref()
process.on('exit', () => {
  sample()
  if (!file) return
  const probe = {
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapBytes: peakHeap,
    peakExternalBytes: peakExternal,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  }
  writeFileSync(file, JSON.stringify(probe))
})
