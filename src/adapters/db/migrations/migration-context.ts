import type { Dialect } from '../create-db.js'

/** What a migration may vary by: only the dialect, for column types and identity columns. */
export interface MigrationContext {
  dialect: Dialect
}
