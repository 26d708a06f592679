import { closeSync, openSync, readSync } from 'node:fs'
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite'
import { Worker } from 'node:worker_threads'
import type { SqliteDatabase, SqliteStatement } from '#kysely'

const CHECKPOINT_INTERVAL_MS = 50
const CHECKPOINTER_STOP_MS = 10_000
/** The first copy of the WAL-index header at the start of the -shm file (sqlite.org/walformat.html). */
const WAL_INDEX_HEADER_BYTES = 48

const BULK_PAGE_CACHE_KIB = 16 * 1024

/** What a connection hands its checkpointer thread (wal-checkpointer.ts): the file, and the flags they share. */
export interface CheckpointerData {
  file: string
  /**
   * Int32 flags: [STOP] set to 1 to stop it; [STOPPED] set to 1 by it once its connection is
   * closed; [STARTED] 1 once it has begun (its connection about to open), 2 when the
   * connection closed before that, so it must not begin at all.
   */
  control: SharedArrayBuffer
  intervalMs: number
}

export const STOP = 0
export const STOPPED = 1
export const STARTED = 2

/**
 * Presents node:sqlite's DatabaseSync in the shape Kysely's SqliteDialect expects, so
 * the embedded default needs no compiled addon. Parameters are converted here once:
 * node:sqlite binds neither booleans nor Dates.
 */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly raw: DatabaseSync
  private readonly cache = new Map<string, SqliteStatement>()
  private dataVersionStatement: StatementSync | undefined

  private checkpointer: { worker: Worker; flags: Int32Array } | undefined
  /** The -shm file, open for reading, and the WAL-index header as last read. */
  private walIndex: WalIndex | undefined
  /** The -shm file's path, and the tries left at opening it (SQLite makes it at a new database's first read). */
  private readonly walIndexFile: string | undefined
  private walIndexTries = 100

  /**
   * With `bulkWrites` (a process that writes much and little else: `dateline ingest`), a
   * worker thread with its own connection copies the WAL into the database file, instead
   * of the commit that crosses SQLite's threshold (1,000 pages) doing it on this thread.
   * Commits are as durable either way. Such a process also gets a 16 MiB page cache
   * (SQLite's default is 2 MiB): a batch dirties more pages than 2 MiB hold, and SQLite then
   * writes them to the WAL before the commit, some more than once. 5,000 items took 107,000
   * writes and 27,000 reads instead of 160,000 and 57,000 (strace -c). The cache fills within
   * the first few thousand items and no further, so peak memory stays flat however many
   * follow; 64 MiB was no quicker than 8 MiB, and memory then grew with the items ingested.
   */
  constructor(file: string, options: { bulkWrites?: boolean | undefined } = {}) {
    this.raw = new DatabaseSync(file, { enableForeignKeyConstraints: true, timeout: 5000 })
    // WAL lets readers run beside the writer; synchronous=FULL makes each commit durable.
    this.raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON')
    if (options.bulkWrites && file !== ':memory:') {
      this.startCheckpointer(file)
      this.raw.exec(`PRAGMA cache_size = -${BULK_PAGE_CACHE_KIB}`)
    }
    const location = this.raw.location()
    this.walIndexFile = location ? `${location}-shm` : undefined
  }

  close(): void {
    if (this.walIndex) closeSync(this.walIndex.fd)
    this.walIndex = undefined
    this.stopCheckpointer()
    this.cache.clear()
    this.dataVersionStatement = undefined
    if (this.raw.isOpen) this.raw.close()
  }

  private startCheckpointer(file: string): void {
    const control = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT)
    const data: CheckpointerData = { file, control, intervalMs: CHECKPOINT_INTERVAL_MS }
    const worker = new Worker(new URL('./wal-checkpointer.js', import.meta.url), { workerData: data })
    // It must not keep alive a process that forgot to close; stopped abruptly, it is a crash, which SQLite survives.
    worker.unref()
    worker.on('error', () => {
      // Without it, this connection checkpoints in its commits again, as SQLite does by default.
      if (this.checkpointer?.worker === worker && this.raw.isOpen)
        this.raw.exec('PRAGMA wal_autocheckpoint = 1000')
      this.checkpointer = undefined
    })
    this.raw.exec('PRAGMA wal_autocheckpoint = 0')
    this.checkpointer = { worker, flags: new Int32Array(control) }
  }

  /**
   * Waits (briefly) for the checkpointer to finish its round and close its connection, so
   * close() stays synchronous; this connection, closing last, then checkpoints what is left.
   * A checkpointer that has not begun yet is told not to, without waiting for its thread to
   * start (some 150 ms, which a short command would otherwise spend waiting).
   */
  private stopCheckpointer(): void {
    if (!this.checkpointer) return
    const { flags } = this.checkpointer
    this.checkpointer = undefined
    if (Atomics.compareExchange(flags, STARTED, 0, 2) === 0) return
    Atomics.store(flags, STOP, 1)
    Atomics.notify(flags, STOP)
    Atomics.wait(flags, STOPPED, 0, CHECKPOINTER_STOP_MS)
  }

  prepare(sql: string): SqliteStatement {
    // Prepared and wrapped once per SQL text: columns() costs more than many queries it describes.
    let statement = this.cache.get(sql)
    if (!statement) {
      statement = wrapStatement(this.raw.prepare(sql))
      if (this.cache.size > 500) this.cache.clear()
      this.cache.set(sql, statement)
    }
    return statement
  }

  /**
   * False only if no connection can have committed since the last call: every commit in WAL
   * mode rewrites the WAL-index header at the start of the -shm file (its change counter and
   * last frame), so an identical header means nothing new, read with one pread. PRAGMA
   * data_version, which decides otherwise, opens and closes a read transaction with its file
   * locks: some 16 µs a request on a loaded server. True when unsure (no -shm file to read).
   */
  mayHaveChanged(): boolean {
    if (!this.walIndex && this.walIndexFile && this.walIndexTries > 0) {
      this.walIndexTries -= 1
      this.walIndex = openWalIndex(this.walIndexFile)
    }
    const index = this.walIndex
    if (!index) return true
    let bytes: number
    try {
      bytes = readSync(index.fd, index.read, 0, WAL_INDEX_HEADER_BYTES, 0)
    } catch {
      return true
    }
    if (bytes === WAL_INDEX_HEADER_BYTES && !index.fresh && index.read.equals(index.seen)) return false
    index.read.copy(index.seen)
    index.fresh = bytes !== WAL_INDEX_HEADER_BYTES
    return true
  }

  /** Changes whenever another connection commits; cheap enough to ask on every request. */
  dataVersion(): number {
    this.dataVersionStatement ??= this.raw.prepare('PRAGMA data_version')
    const row = this.dataVersionStatement.get() as { data_version: number }
    return row.data_version
  }
}

function wrapStatement(statement: StatementSync): SqliteStatement {
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...toSqlite(parameters)),
    run: (parameters) => statement.run(...toSqlite(parameters)),
    iterate: (parameters) => statement.iterate(...toSqlite(parameters)),
  }
}

function toSqlite(parameters: ReadonlyArray<unknown>): SQLInputValue[] {
  return parameters.map((value) => {
    if (value instanceof Date) return value.toISOString()
    if (typeof value === 'boolean') return value ? 1 : 0
    if (value === undefined) return null
    return value as SQLInputValue
  })
}

interface WalIndex {
  fd: number
  /** The header as the last call read it. */
  seen: Buffer
  /** Where each call reads it to. */
  read: Buffer
  /** No complete header read yet: the next call cannot compare. */
  fresh: boolean
}

/** The -shm file beside a WAL database, if there is one yet. */
function openWalIndex(file: string): WalIndex | undefined {
  try {
    const fd = openSync(file, 'r')
    return {
      fd,
      seen: Buffer.alloc(WAL_INDEX_HEADER_BYTES),
      read: Buffer.alloc(WAL_INDEX_HEADER_BYTES),
      fresh: true,
    }
  } catch {
    return undefined
  }
}
