import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { GCProfiler, getHeapStatistics } from 'node:v8'
import { isMainThread, threadId } from 'node:worker_threads'

/**
 * Loaded into the `dateline ingest` child with `--import`, and so into each of its threads
 * (the command runs on one of its own, and parses on others). Each thread samples its V8
 * heap, and notes its heap just after each full collection: what the thread still holds.
 * The peak is mostly garbage waiting for the next collection, and so moves with when that
 * falls; the heap after a collection shows whether what is kept grows with the run.
 *
 * A thread that ends by itself (the command's) writes its figures beside BENCH_PROBE_FILE;
 * when the process exits, the main thread writes the peak resident set (from the kernel's
 * rusage) and the largest thread's figures to BENCH_PROBE_FILE. The command itself is the
 * real one, untouched.
 */
interface HeapFigures {
  peak: number
  /** The median heap left after a full (mark-compact) collection; 0 if there was none. */
  kept: number
  external: number
}

const file = process.env['BENCH_PROBE_FILE']
const started = performance.now()
const own: HeapFigures = { peak: 0, kept: 0, external: 0 }
const sample = () => {
  const heap = getHeapStatistics()
  own.peak = Math.max(own.peak, heap.used_heap_size)
  own.external = Math.max(own.external, heap.external_memory)
}
setInterval(sample, 25).unref()
// Each collection's heap statistics before and after, kept natively until stop().
const collections = new GCProfiler()
collections.start()

process.on('exit', () => {
  sample()
  const kept = (collections.stop()?.statistics ?? [])
    .filter((gc) => gc.gcType === 'MarkSweepCompact')
    .map((gc) => gc.afterGC.heapStatistics.usedHeapSize)
    .sort((a, b) => a - b)
  own.kept = kept[Math.floor(kept.length / 2)] ?? 0
  if (!file) return
  if (!isMainThread) {
    writeFileSync(`${file}.thread-${threadId}`, JSON.stringify(own))
    return
  }
  const threads = readdirSync(path.dirname(file))
    .filter((name) => name.startsWith(`${path.basename(file)}.thread-`))
    .map((name) => JSON.parse(readFileSync(path.join(path.dirname(file), name), 'utf8')) as HeapFigures)
  const largest = (of: (figures: HeapFigures) => number) => Math.max(...[own, ...threads].map(of))
  const probe = {
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapBytes: largest((t) => t.peak),
    keptHeapBytes: largest((t) => t.kept),
    peakExternalBytes: largest((t) => t.external),
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  }
  writeFileSync(file, JSON.stringify(probe))
})
