import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

/**
 * Presents node:sqlite's DatabaseSync in the shape Kysely's SqliteDialect expects, so
 * the embedded default needs no compiled addon. Parameters are converted here once:
 * node:sqlite binds neither booleans nor Dates.
 */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly raw: DatabaseSync
  private readonly cache = new Map<string, SqliteStatement>()
  private dataVersionStatement: StatementSync | undefined

  constructor(file: string) {
    this.raw = new DatabaseSync(file, { enableForeignKeyConstraints: true, timeout: 5000 })
    // WAL lets readers run beside the writer; synchronous=FULL makes each commit durable.
    this.raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON')
  }

  close(): void {
    this.cache.clear()
    this.dataVersionStatement = undefined
    if (this.raw.isOpen) this.raw.close()
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
