import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import { DatabaseSync } from 'node:sqlite'
import { NodeSqliteDatabase } from '../../../src/adapters/db/node-sqlite-database.js'

/**
 * How far the WAL is copied into the database file, read from the WAL index (the -shm file,
 * sqlite.org/walformat.html) without taking part: frames in the WAL, and frames copied.
 */
function walProgress(file: string): { frames: number; copied: number } {
  const index = readFileSync(`${file}-shm`)
  return { frames: index.readUInt32LE(16), copied: index.readUInt32LE(96) }
}

/** Writes `rows` rows of 4 KB each, a commit per 50, as a wire batch would. */
function writeRows(db: NodeSqliteDatabase, rows: number): void {
  const insert = db.raw.prepare('insert into story (body) values (?)')
  for (let i = 0; i < rows; i += 50) {
    db.raw.exec('begin immediate')
    for (let j = i; j < i + 50 && j < rows; j++) insert.run(`story ${j} `.padEnd(4096, 'x'))
    db.raw.exec('commit')
  }
}

/** SQLite only: PostgreSQL has no WAL file of ours to checkpoint. */
describe('a SQLite connection for bulk writes', () => {
  let dir: string
  let file: string

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dateline-checkpoint-'))
    file = path.join(dir, 'db.sqlite')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('copies committed pages into the database file in another thread, and keeps every row through close', async () => {
    const db = new NodeSqliteDatabase(file, { bulkWrites: true })
    try {
      db.raw.exec('create table story (id integer primary key, body text not null)')
      const autocheckpoint = db.raw.prepare('PRAGMA wal_autocheckpoint').get() as {
        wal_autocheckpoint: number
      }
      assert.equal(autocheckpoint.wal_autocheckpoint, 0, 'this connection leaves checkpoints to the thread')
      // Over SQLite's own threshold of 1,000 pages, which this connection no longer acts on.
      writeRows(db, 1500)
      let progress = walProgress(file)
      for (let tries = 0; tries < 100 && progress.copied < progress.frames; tries++) {
        await sleep(50)
        progress = walProgress(file)
      }
      assert.ok(progress.frames > 1000, `the WAL holds the writes (${JSON.stringify(progress)})`)
      assert.equal(progress.copied, progress.frames, 'every frame was copied into the database file')
    } finally {
      db.close()
    }
    assert.equal(existsSync(`${file}-wal`), false, 'the last connection to close removed the WAL')
    const reopened = new DatabaseSync(file)
    const count = reopened.prepare('select count(*) as n from story').get() as { n: number }
    reopened.close()
    assert.equal(count.n, 1500)
  })

  it('stops its thread on close, so a process that closes its database can end', async () => {
    const other = path.join(dir, 'other.sqlite')
    const db = new NodeSqliteDatabase(other, { bulkWrites: true })
    db.raw.exec('create table story (id integer primary key, body text not null)')
    writeRows(db, 100)
    // Its thread at work: it has copied frames from the WAL into the file.
    const deadline = Date.now() + 10_000
    while (walProgress(other).copied === 0 && Date.now() < deadline) await sleep(20)
    assert.ok(walProgress(other).copied > 0, 'the thread is checkpointing')
    const started = performance.now()
    db.close()
    assert.ok(performance.now() - started < 5000, 'close waited for the thread only briefly')
    assert.equal(db.raw.isOpen, false)
    // SQLite removes the WAL only when the last connection closes: the thread's was closed first.
    assert.equal(existsSync(`${other}-wal`), false, "the thread's connection was closed before this one")
  })

  it('leaves nothing behind when closed before its thread has begun', async () => {
    const brief = path.join(dir, 'brief.sqlite')
    const db = new NodeSqliteDatabase(brief, { bulkWrites: true })
    db.raw.exec('create table story (id integer primary key, body text not null)')
    db.close()
    // Long enough for the thread to start: told not to begin, it never opens the file again.
    await sleep(1000)
    assert.equal(existsSync(`${brief}-wal`), false, 'no WAL')
    assert.equal(existsSync(`${brief}-shm`), false, 'no shared-memory index')
    const reopened = new DatabaseSync(brief)
    const count = reopened.prepare('select count(*) as n from story').get() as { n: number }
    assert.equal(count.n, 0)
    reopened.close()
  })
})
