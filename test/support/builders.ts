import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../src/config/load-config.js'
import type { Config, DbConfig } from '../../src/config/schema.js'
import { createContext, type AppContext } from '../../src/main/context.js'
import { createArticle, type ArticleView, type CreateArticleInput } from '../../src/modules/articles/index.js'
import { createUser, type Actor, type Role, type User } from '../../src/modules/auth/index.js'
import { createSection, type Section } from '../../src/modules/taxonomy/index.js'
import { fixedClock } from '../../src/platform/clock.js'
import type { Mailer } from '../../src/modules/readers/index.js'
import { createTestDatabase, type TestDatabase } from './dialects.js'
import { memoryMailer, type MemoryMailer } from './mail.js'

/** Low scrypt cost so a test signs in within milliseconds; production always uses PASSWORD_COST. */
export const TEST_PASSWORD_COST = { N: 1024, r: 8, p: 1 } as const

/** A password long enough for createUser's rules; every builder user has it. */
export const TEST_PASSWORD = 'correct-horse-battery-staple'

/** The moment every test clock starts at, unless a test says otherwise. */
export const TEST_START = new Date('2026-03-02T09:00:00.000Z')

export type TestClock = ReturnType<typeof fixedClock>

export interface TestConfigOverrides {
  /** Extra environment variables, parsed by loadConfig like a real deployment's. */
  env?: Record<string, string>
  /** A database to use instead of the one the environment names. */
  db?: DbConfig
}

/** A Config built the way production builds it: loadConfig over an environment. */
export function testConfig(overrides: TestConfigOverrides = {}): Config {
  const config = loadConfig({
    SITE_NAME: 'Dateline Test',
    PUBLIC_URL: 'http://news.test',
    LOG_LEVEL: 'silent',
    DATELINE_DATA_DIR: path.join(tmpdir(), 'dateline-test-data'),
    ...overrides.env,
  })
  if (!overrides.db) return config
  return Object.freeze({ ...config, db: Object.freeze({ ...overrides.db }) })
}

/** A context over its own fresh database, with a clock that moves only when told. */
export interface TestContext extends AppContext {
  clock: TestClock
  database: TestDatabase
  /** The emails sent, when the test did not give a mailer of its own. */
  mail: MemoryMailer
  /** Closes the context and drops the database. */
  destroy(): Promise<void>
}

export async function createTestContext(
  dialect: 'sqlite' | 'postgres',
  options: {
    start?: Date
    mailer?: Mailer
    /** Send email as configured (SMTP_URL in `env`, else the outbox) instead of into `mail`. */
    configuredMailer?: boolean
    env?: Record<string, string>
    /** Accept http:// push endpoints, for the push service on loopback (test/support/push-service.ts). */
    allowHttpPushEndpoints?: boolean
  } = {},
): Promise<TestContext> {
  const database = await createTestDatabase(dialect)
  const clock = fixedClock(options.start ?? TEST_START)
  const mail = memoryMailer()
  const ctx = await createContext(
    testConfig({ db: database.config, ...(options.env && { env: options.env }) }),
    {
      handle: database.handle,
      clock,
      passwordCost: TEST_PASSWORD_COST,
      ...(options.allowHttpPushEndpoints && { allowHttpPushEndpoints: true }),
      ...(!options.configuredMailer && { mailer: options.mailer ?? mail }),
    },
  )
  return {
    ...ctx,
    clock,
    database,
    mail,
    async destroy() {
      await ctx.close()
      await database.destroy()
    },
  }
}

let userCounter = 0

/** A staff account of the given role, returned as the Actor a signed-in session would give. */
export async function aUser(
  ctx: AppContext,
  role: Role,
  overrides: { email?: string; displayName?: string; password?: string } = {},
): Promise<Actor & { user: User }> {
  userCounter += 1
  const user = await createUser(ctx.auth, {
    email: overrides.email ?? `${role}${userCounter}@newsroom.test`,
    displayName: overrides.displayName ?? `${capitalise(role)} Number${userCounter}`,
    role,
    password: overrides.password ?? TEST_PASSWORD,
  })
  return { userId: user.id, role: user.role, via: 'session', user }
}

export function anEditor(ctx: AppContext, overrides: Parameters<typeof aUser>[2] = {}) {
  return aUser(ctx, 'editor', overrides)
}

export function aContributor(ctx: AppContext, overrides: Parameters<typeof aUser>[2] = {}) {
  return aUser(ctx, 'contributor', overrides)
}

/** A section named after its slug ("world" → "World"). */
export function aSection(
  ctx: AppContext,
  slug: string,
  name: string = capitalise(slug.replace(/-/g, ' ')),
): Promise<Section> {
  return createSection(ctx.taxonomy, { slug, name })
}

const SAMPLE_STORIES = [
  {
    headline: 'Harbour town votes to rebuild storm-damaged sea wall',
    keyPoints: [
      'Councillors approved the plan by nine votes to four',
      'Work is due to start before the autumn storms',
    ],
    bodyHtml:
      '<p>Councillors in the harbour town of Westmere voted on Tuesday night to rebuild the sea wall ' +
      'breached during last winter’s storms, ending months of argument over who should pay.</p>' +
      '<p>“We have waited long enough,” the council leader told a packed public gallery. ' +
      'Residents on the seafront have lived behind temporary barriers since January.</p>' +
      '<h2>What happens next</h2><p>Contractors will be invited to bid next month.</p>',
    byline: 'Local affairs reporter',
  },
  {
    headline: 'Regional rail operator adds late trains after commuter complaints',
    keyPoints: ['Two extra services will run on weeknights', 'The timetable changes from next Monday'],
    bodyHtml:
      '<p>The regional rail operator will run two additional late-evening trains on its busiest line, ' +
      'it said on Wednesday, after months of complaints about crowded last services.</p>' +
      '<p>Passenger groups welcomed the change but said weekend services still fell short.</p>',
    byline: 'Transport correspondent',
  },
] as const

let articleCounter = 0

/**
 * A draft story with realistic fields, in a "news" section created on the fly unless
 * one is named. Repeated headlines are fine: the service gives each a unique slug.
 */
export async function anArticle(
  ctx: AppContext,
  actor: Actor,
  overrides: Partial<CreateArticleInput> = {},
): Promise<ArticleView> {
  articleCounter += 1
  const sample = SAMPLE_STORIES[articleCounter % SAMPLE_STORIES.length]!
  const section = overrides.section ?? (await ensureSection(ctx, 'news'))
  return createArticle(ctx.articles, actor, {
    headline: sample.headline,
    keyPoints: [...sample.keyPoints],
    bodyHtml: sample.bodyHtml,
    byline: sample.byline,
    ...overrides,
    section,
  })
}

async function ensureSection(ctx: AppContext, slug: string): Promise<string> {
  const existing = await ctx.handle.db
    .selectFrom('section')
    .select('slug')
    .where('slug', '=', slug)
    .executeTakeFirst()
  if (!existing) await aSection(ctx, slug)
  return slug
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
