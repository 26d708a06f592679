import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { NodeSqliteDatabase } from '../../../src/adapters/db/node-sqlite-database.js'

/**
 * SQLite only: whether another connection may have committed, read from the WAL-index
 * header instead of asking PRAGMA data_version on every request.
 */
describe('the WAL-index check before data_version', () => {
  let dir: string
  let reader: NodeSqliteDatabase
  let writer: NodeSqliteDatabase

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dateline-wal-index-'))
    const file = path.join(dir, 'news.db')
    reader = new NodeSqliteDatabase(file)
    writer = new NodeSqliteDatabase(file)
    writer.raw.exec('create table story (headline text)')
  })
  after(() => {
    reader.close()
    writer.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** What the event tail does: the header first, data_version only when it may have moved. */
  function changedSince(version: number): { changed: boolean; version: number } {
    if (!reader.mayHaveChanged()) return { changed: false, version }
    const now = reader.dataVersion()
    return { changed: now !== version, version: now }
  }

  it('says a commit may have happened only after one did, and then once', () => {
    let version = reader.dataVersion()
    assert.equal(reader.mayHaveChanged(), true, 'the first call has nothing to compare with')
    assert.equal(reader.mayHaveChanged(), false)
    assert.equal(reader.mayHaveChanged(), false)
    writer.raw.exec("insert into story values ('Bridge reopens')")
    const seen = changedSince(version)
    assert.deepEqual(seen.changed, true)
    version = seen.version
    assert.equal(reader.mayHaveChanged(), false)
    assert.deepEqual(changedSince(version), { changed: false, version })
  })

  it('misses no commit of another connection, one after another or after the WAL is emptied', () => {
    let version = reader.dataVersion()
    reader.mayHaveChanged()
    for (const headline of ['Storm warning', 'Ferry cancelled', 'Schools close']) {
      writer.raw.exec(`insert into story values ('${headline}')`)
      const seen = changedSince(version)
      assert.equal(seen.changed, true, headline)
      version = seen.version
    }
    writer.raw.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    version = changedSince(version).version
    writer.raw.exec("insert into story values ('Power restored')")
    assert.equal(changedSince(version).changed, true, 'the first commit into the emptied WAL')
  })

  it('says a commit may have happened after this connection’s own', () => {
    reader.mayHaveChanged()
    reader.raw.exec("insert into story values ('Roads open')")
    assert.equal(reader.mayHaveChanged(), true)
  })

  it('always says so for a database without a -shm file (in memory)', () => {
    const memory = new NodeSqliteDatabase(':memory:')
    try {
      assert.deepEqual([memory.mayHaveChanged(), memory.mayHaveChanged()], [true, true])
    } finally {
      memory.close()
    }
  })
})
