import { mkdirSync } from 'node:fs'
import path from 'node:path'
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from '#kysely'
import type { DbConfig } from '../../config/schema.js'
import type { Database } from '../../platform/database.js'
import { loadPg } from './load-pg.js'
import { NodeSqliteDatabase } from './node-sqlite-database.js'

export type Dialect = 'sqlite' | 'postgres'

/** A live database handle and what the rest of the adapters need to know about it. */
export interface DbHandle {
  db: Kysely<Database>
  dialect: Dialect
  /** Present on SQLite: the raw connection, for PRAGMA data_version polling. */
  sqlite?: NodeSqliteDatabase
  /** Present on PostgreSQL: the connection settings, for a LISTEN client. */
  postgresUrl?: string
  destroy(): Promise<void>
}

export interface DbOptions {
  /**
   * SQLite, for a process that mostly writes in large transactions (dateline ingest): WAL
   * checkpoints in a thread of their own (see NodeSqliteDatabase).
   */
  bulkWrites?: boolean | undefined
}

export function createDb(config: DbConfig, options: DbOptions = {}): DbHandle {
  if (config.dialect === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(path.dirname(config.file), { recursive: true })
    const sqlite = new NodeSqliteDatabase(config.file, options)
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) })
    return { db, dialect: 'sqlite', sqlite, destroy: () => db.destroy() }
  }
  // Made by Kysely before its first query, so pg is loaded only by processes that use PostgreSQL.
  const pool = async () => {
    const pg = await loadPg()
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize })
    // An idle connection the server drops (restart, failover, admin kill) is emitted here;
    // unhandled, it would crash the process. pg-pool has already discarded that connection
    // and the next query opens a fresh one, so there is nothing more to do.
    pool.on('error', () => undefined)
    return pool
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', postgresUrl: config.url, destroy: () => db.destroy() }
}

/**
 * Transactions take the write lock when they begin. A deferred BEGIN reads first and
 * upgrades later, and SQLite refuses that upgrade at once ("database is locked", no busy
 * wait) when another process committed in between, so the CLI and the server writing
 * the same file would fail each other's saves. With IMMEDIATE the busy timeout queues them.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig

  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}
