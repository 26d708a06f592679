import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe } from 'node:test'
import pg from 'pg'
import { createDb, type DbHandle } from '../../src/adapters/db/create-db.js'
import { migrateToLatest } from '../../src/adapters/db/migrate.js'
import type { DbConfig } from '../../src/config/schema.js'

const ADMIN_URL = process.env['DATELINE_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const IN_CI = process.env['CI'] === 'true' || process.env['CI'] === '1'

let postgresAvailable: Promise<boolean> | undefined

/** Whether a PostgreSQL server answers. In CI its absence is a failure, not a skip. */
export function isPostgresAvailable(): Promise<boolean> {
  postgresAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 10000 })
    try {
      await client.connect()
      await client.query('select 1')
      return true
    } catch (error) {
      if (IN_CI)
        throw new Error(`PostgreSQL is required in CI but did not answer at ${ADMIN_URL}`, { cause: error })
      console.log(`# PostgreSQL not reachable at ${ADMIN_URL}: PostgreSQL tests skip on this machine`)
      return false
    } finally {
      await client.end().catch(() => undefined)
    }
  })()
  return postgresAvailable
}

/** A fresh, migrated, empty database of the given dialect, dropped again by destroy(). */
export interface TestDatabase {
  handle: DbHandle
  config: DbConfig
  destroy(): Promise<void>
}

export async function createTestDatabase(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'dateline-test-'))
    const config: DbConfig = { dialect: 'sqlite', file: path.join(dir, 'test.db') }
    const handle = createDb(config)
    await migrateToLatest(handle)
    return {
      handle,
      config,
      async destroy() {
        await handle.destroy()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const name = `dateline_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const config: DbConfig = { dialect: 'postgres', url: url.toString(), poolSize: 5 }
  const handle = createDb(config)
  await migrateToLatest(handle)
  return {
    handle,
    config,
    async destroy() {
      await handle.destroy()
      const cleanup = new pg.Client({ connectionString: ADMIN_URL })
      await cleanup.connect()
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await cleanup.end()
    },
  }
}

/**
 * Runs a suite once per dialect. Each suite gets its own database through the
 * `setup` callback the body receives; PostgreSQL suites skip with one line when the
 * server is absent outside CI.
 */
export function forEachDialect(title: string, body: (dialect: 'sqlite' | 'postgres') => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    describe(
      `${title} [${dialect}]`,
      { skip: dialect === 'postgres' && !HAS_POSTGRES ? 'PostgreSQL not reachable' : false },
      () => body(dialect),
    )
  }
}

/** Resolved once at import time of a test file (top-level await), so suites can decide to skip. */
export const HAS_POSTGRES: boolean = await isPostgresAvailable()
