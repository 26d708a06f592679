import { sql, type ColumnDefinitionBuilder } from '#kysely'
import type { MigrationContext } from './migration-context.js'

/** The column builders every migration repeats: times, identity ids and the id type. */
export function dialectColumns({ dialect }: MigrationContext) {
  return {
    time: dialect === 'postgres' ? sql`timestamptz` : sql`text`,
    id: (c: ColumnDefinitionBuilder) =>
      dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    idType: dialect === 'postgres' ? ('bigint' as const) : ('integer' as const),
  }
}
