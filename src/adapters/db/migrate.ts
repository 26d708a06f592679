import { Migrator, type Migration, type MigrationProvider } from '#kysely'
import { AppError } from '../../platform/app-error.js'
import type { DbHandle } from './create-db.js'
import { initialMigration } from './migrations/0001-initial.js'
import { wireMigration } from './migrations/0002-wire.js'
import { readersMigration } from './migrations/0003-readers.js'
import { articleFlagsMigration } from './migrations/0004-article-flags.js'
import { wirePollingMigration } from './migrations/0006-wire-polling.js'
import { webPushMigration } from './migrations/0008-web-push.js'
import { deskMigration } from './migrations/0009-desk.js'
import { wireReviewMigration } from './migrations/0007-wire-review.js'
import { mediaMigration } from './migrations/0005-media.js'
import { wirePicturesMigration } from './migrations/0010-wire-pictures.js'
import { searchMigration } from './migrations/0011-search.js'
import { storyMailingsMigration } from './migrations/0012-story-mailings.js'
import { articleOrderIdsMigration } from './migrations/0013-article-order-ids.js'
import { breakingOrderMigration } from './migrations/0014-breaking-order.js'
import { rateLimitsMigration } from './migrations/0015-rate-limits.js'
import { wireFirstCreatedMigration } from './migrations/0016-wire-first-created.js'
import type { MigrationContext } from './migrations/migration-context.js'

/** Every migration this build knows, oldest first. Names sort in order and never change. */
function migrations(ctx: MigrationContext): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(ctx),
    '0002-wire': wireMigration(ctx),
    '0003-readers': readersMigration(ctx),
    '0004-article-flags': articleFlagsMigration(ctx),
    '0006-wire-polling': wirePollingMigration(ctx),
    '0008-web-push': webPushMigration(ctx),
    '0009-desk': deskMigration(ctx),
    '0007-wire-review': wireReviewMigration(ctx),
    '0005-media': mediaMigration(ctx),
    '0010-wire-pictures': wirePicturesMigration(ctx),
    '0011-search': searchMigration(ctx),
    '0012-story-mailings': storyMailingsMigration(ctx),
    '0013-article-order-ids': articleOrderIdsMigration(ctx),
    '0014-breaking-order': breakingOrderMigration(ctx),
    '0015-rate-limits': rateLimitsMigration(ctx),
    '0016-wire-first-created': wireFirstCreatedMigration(ctx),
  }
}

class InCodeProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.ctx))
  }
}

export interface MigrateResult {
  applied: string[]
}

/**
 * Brings the schema up to this build. A database migrated by a newer build refuses
 * to run here: old code writing to a newer schema would corrupt it quietly.
 */
export async function migrateToLatest(handle: DbHandle): Promise<MigrateResult> {
  const known = new Set(Object.keys(migrations({ dialect: handle.dialect })))
  const migrator = new Migrator({ db: handle.db, provider: new InCodeProvider({ dialect: handle.dialect }) })
  const tables = await handle.db.introspection.getTables({ withInternalKyselyTables: true })
  if (tables.some((t) => t.name === 'kysely_migration')) {
    const rows = await handle.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute()
    const names = new Set((rows as { name: string }[]).map((r) => r.name))
    const unknown = [...names].filter((name) => !known.has(name))
    if (unknown.length > 0) {
      throw new AppError(
        'DATABASE_TOO_NEW',
        `The database has migrations this version of Dateline does not know (${unknown.join(', ')}). ` +
          'It was upgraded by a newer release: run that release, or restore a backup taken before the upgrade.',
      )
    }
    // Up to date, as every run but the first finds it: the migrator would look the tables up
    // again and take its lock in a write transaction (a commit, so an fsync) to do nothing.
    if (names.size === known.size) return { applied: [] }
  }
  const { error, results } = await migrator.migrateToLatest()
  if (error)
    throw new AppError(
      'MIGRATION_FAILED',
      `Migration failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      { cause: error },
    )
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}
