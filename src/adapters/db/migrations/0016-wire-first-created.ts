import type { Kysely } from '#kysely'
import { dialectColumns } from './dialect-helpers.js'
import type { MigrationContext } from './migration-context.js'

/**
 * Each agency version keeps when the agency first filed the story (ninjs firstCreated,
 * NewsML-G2 firstCreated, a feed's published date) beside when it filed this version, so
 * an editor reviewing it sees both. Versions stored before have none.
 */
export function wireFirstCreatedMigration(ctx: MigrationContext) {
  const { time } = dialectColumns(ctx)
  return {
    up: (db: Kysely<unknown>) => db.schema.alterTable('wire_item').addColumn('first_created', time).execute(),
    down: (db: Kysely<unknown>) => db.schema.alterTable('wire_item').dropColumn('first_created').execute(),
  }
}
