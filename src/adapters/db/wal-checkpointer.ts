import { DatabaseSync } from 'node:sqlite'
import { workerData } from 'node:worker_threads'
import { STOP, STOPPED, type CheckpointerData } from './node-sqlite-database.js'

// A worker thread with a connection of its own that copies committed pages from the WAL
// into the database file (PASSIVE: it never waits for or blocks the writer), so the thread
// that writes does not stop for a checkpoint inside its commits. It blocks between rounds
// (Atomics.wait) and never returns to an event loop, so stopping it is synchronous too.
const { file, control, intervalMs } = workerData as CheckpointerData
const flags = new Int32Array(control)
try {
  const db = new DatabaseSync(file, { timeout: 5000 })
  try {
    db.exec('PRAGMA synchronous = FULL')
    const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
    while (Atomics.load(flags, STOP) === 0) {
      checkpoint.get()
      Atomics.wait(flags, STOP, 0, intervalMs)
    }
  } finally {
    db.close()
  }
} finally {
  Atomics.store(flags, STOPPED, 1)
  Atomics.notify(flags, STOPPED)
}
