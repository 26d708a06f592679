import v8 from 'node:v8'

/**
 * Turns off V8's allocation-site pretenuring for a long-running process: the server, its
 * supervisor and HTTP workers, and `dateline ingest` over a large folder. After a
 * burst in which most new objects live on (start-up, a big ingest batch, a fan-out to
 * 100,000 readers, seeding a bench), V8 decides to allocate from those sites straight
 * into the old generation, and from then on each scavenge promoted about 10 MB of
 * request objects that died soon after: 8-20 ms pauses, and a full collection every few
 * thousand pages. Without it the same scavenges take under a millisecond
 * (`--trace-gc`, 20,000 requests after seeding 10,000 stories). In `dateline ingest` it
 * keeps the peak heap flat: 1.12x from 5,000 to 50,000 items, 1.26x without, at the same
 * speed. V8 reads the flag at each collection, so setting it once at start is enough.
 *
 * A bulk job (`bulk`: `dateline ingest`) also has V8 let its heap grow to 2.5 times what
 * each full collection leaves before the next, rather than by a factor of its own choosing.
 * A batch's objects live on into the old generation and die there, so the heap a collection
 * waits for is mostly garbage; V8's choice let it reach 47-82 MiB before a collection (which
 * left 15-18 MiB), and each new high stayed in the resident set. Fixed, peak RSS over 50,000
 * items was 258-266 MiB instead of 271-288, at the same speed (three runs each, taking turns).
 */
export function tuneGarbageCollector(options: { bulk?: boolean } = {}): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring')
  if (options.bulk) v8.setFlagsFromString(`--heap-growing-percent=${BULK_HEAP_GROWING_PERCENT}`)
}

const BULK_HEAP_GROWING_PERCENT = 150
