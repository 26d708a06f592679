import { DatabaseSync } from 'node:sqlite'
import { workerData } from 'node:worker_threads'
import { STARTED, STOP, STOPPED, type CheckpointerData } from './node-sqlite-database.js'

// A worker thread with a connection of its own that copies committed pages from the WAL
// into the database file (PASSIVE: it never waits for or blocks the writer), so the thread
// that writes does not stop for a checkpoint inside its commits. It blocks between rounds
// (Atomics.wait) and never returns to an event loop, so stopping it is synchronous too.
const { file, control, intervalMs } = workerData as CheckpointerData
const flags = new Int32Array(control)
// Begins only if the connection it serves is still open: once that closed, opening another
// connection to the file could leave a WAL behind after the command has finished.
if (Atomics.compareExchange(flags, STARTED, 0, 1) === 0) checkpointUntilStopped()

function checkpointUntilStopped(): void {
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
}
