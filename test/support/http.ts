import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { AppDeps } from '../../src/http/app-deps.js'
import { buildApp } from '../../src/http/build-app.js'
import type { AppContext } from '../../src/main/context.js'
import { createApiToken, type Role, type SignInLimits, type User } from '../../src/modules/auth/index.js'
import { aUser, createTestContext, TEST_PASSWORD, type TestContext } from './builders.js'

/** A signed-in newsroom session: the cookies to send back and the CSRF token for writes. */
export interface TestSession {
  user: User
  cookie: string
  csrfToken: string
  /** Headers for a cookie-authenticated write: the cookies plus x-csrf-token. */
  headers: Record<string, string>
}

export interface TestApp {
  app: FastifyInstance
  ctx: TestContext
  /** A new staff user of that role and a Bearer header carrying a fresh API token of theirs. */
  tokenFor(role: Role): Promise<{ user: User; headers: Record<string, string> }>
  /** A new staff user of that role, signed in through GET then POST /api/v1/session. */
  login(role: Role): Promise<TestSession>
  /** A second app over the same database and tail with other options (a tighter rate limit, say); closed with this one. */
  another(options: TestAppOptions): Promise<FastifyInstance>
  close(): Promise<void>
}

export interface TestAppOptions {
  signInLinkRateLimit?: AppDeps['signInLinkRateLimit']
  /** Staff sign-in limits; the production ones when absent. */
  signInLimits?: SignInLimits
  pageCacheMs?: number
}

/** How the test app's context is made: extra environment (SMTP_URL) and where email goes. */
export interface TestAppContextOptions {
  env?: Record<string, string>
  configuredMailer?: boolean
  allowHttpPushEndpoints?: boolean
}

/** What buildApp needs, taken from a context the way main/server.ts takes it. */
export function appDepsOf(ctx: AppContext, options: TestAppOptions = {}): AppDeps {
  return {
    config: ctx.config,
    db: ctx.handle.db,
    clock: ctx.clock,
    tail: ctx.tail,
    articles: ctx.articles,
    auth: options.signInLimits ? { ...ctx.auth, signInLimits: options.signInLimits } : ctx.auth,
    taxonomy: ctx.taxonomy,
    readers: ctx.readers,
    wire: ctx.wire,
    media: ctx.media,
    // Tests ask for many sign-in links from one address; the limit gets its own test.
    signInLinkRateLimit: options.signInLinkRateLimit ?? { max: 1000, windowMs: 60_000 },
    ...(options.pageCacheMs !== undefined && { pageCacheMs: options.pageCacheMs }),
  }
}

/** The HTTP app over a fresh database of the dialect, its event tail running. */
export async function testApp(
  dialect: 'sqlite' | 'postgres',
  options: TestAppOptions & TestAppContextOptions = {},
): Promise<TestApp> {
  const mediaDir = mkdtempSync(path.join(tmpdir(), 'dateline-e2e-'))
  mkdirSync(path.join(mediaDir, 'media'))
  // Media are stored under the app's own data folder, so a test sees exactly the files it made.
  const ctx = await createTestContext(dialect, {
    env: { DATELINE_DATA_DIR: mediaDir, ...options.env },
    ...(options.configuredMailer && { configuredMailer: true }),
    ...(options.allowHttpPushEndpoints && { allowHttpPushEndpoints: true }),
  })
  await ctx.tail.start()
  const build = async (appOptions: TestAppOptions) => {
    const built = await buildApp(
      { ...appDepsOf(ctx, appOptions), config: { ...ctx.config, dataDir: mediaDir } },
      { logger: false },
    )
    await built.ready()
    return built
  }
  const app = await build(options)
  const others: FastifyInstance[] = []
  return {
    app,
    ctx,
    async tokenFor(role) {
      const { user } = await aUser(ctx, role)
      const { token } = await createApiToken(ctx.auth, user.id, 'e2e')
      return { user, headers: { authorization: `Bearer ${token}` } }
    },
    async login(role) {
      const { user } = await aUser(ctx, role)
      return signIn(app, user, TEST_PASSWORD)
    },
    async another(appOptions) {
      const other = await build(appOptions)
      others.push(other)
      return other
    },
    async close() {
      for (const other of others) await other.close()
      await app.close()
      await ctx.destroy()
      rmSync(mediaDir, { recursive: true, force: true })
    },
  }
}

/** Signs in as the newsroom app does: fetch a CSRF token, then post the credentials with it. */
export async function signIn(app: FastifyInstance, user: User, password: string): Promise<TestSession> {
  const first = await app.inject({ method: 'GET', url: '/api/v1/session' })
  const { csrfToken } = first.json<{ csrfToken: string }>()
  const jar = cookiesOf(first)
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    headers: { cookie: cookieHeader(jar), 'x-csrf-token': csrfToken },
    payload: { email: user.email, password },
  })
  if (login.statusCode !== 200) throw new Error(`sign-in failed: ${login.statusCode} ${login.body}`)
  const cookies = { ...jar, ...cookiesOf(login) }
  const body = login.json<{ csrfToken: string }>()
  const cookie = cookieHeader(cookies)
  return { user, cookie, csrfToken: body.csrfToken, headers: { cookie, 'x-csrf-token': body.csrfToken } }
}

/** One sign-in as the newsroom app makes it (GET for the CSRF token, then POST), from `address`. */
export async function attemptSignIn(
  app: FastifyInstance,
  attempt: { email: string; password: string; address: string; forwardedFor?: string | undefined },
): Promise<LightMyRequestResponse> {
  const headers = attempt.forwardedFor ? { 'x-forwarded-for': attempt.forwardedFor } : {}
  const first = await app.inject({
    method: 'GET',
    url: '/api/v1/session',
    remoteAddress: attempt.address,
    headers,
  })
  return app.inject({
    method: 'POST',
    url: '/api/v1/session',
    remoteAddress: attempt.address,
    headers: {
      ...headers,
      cookie: cookieHeader(cookiesOf(first)),
      'x-csrf-token': first.json<{ csrfToken: string }>().csrfToken,
    },
    payload: { email: attempt.email, password: attempt.password },
  })
}

/** The cookies a response sets, by name. */
export function cookiesOf(response: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(response.cookies.map((c) => [c.name, c.value]))
}

export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ')
}

/** How many times a tag opens in an HTML document: `count(html, 'h1')`. */
export function countTags(html: string, tag: string): number {
  return html.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length ?? 0
}

/** The attributes of the first tag matching a pattern, e.g. `tagAttributes(html, /<link rel="canonical"[^>]*>/)`. */
export function tagAttributes(html: string, pattern: RegExp): Record<string, string> | undefined {
  const tag = html.match(pattern)?.[0]
  if (!tag) return undefined
  return Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, decode(m[2]!)]))
}

/** The content of `<meta property="…">` (Open Graph) in a page. */
export function metaProperty(html: string, property: string): string | undefined {
  return tagAttributes(html, new RegExp(`<meta property="${property.replace(/[:.]/g, '\\$&')}"[^>]*>`))?.[
    'content'
  ]
}

/** Undoes the few entities Preact writes inside attributes and text. */
export function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/**
 * Polls until check() holds or the time is up; for PostgreSQL, where NOTIFY reaches the
 * other connection asynchronously. Returns the last value either way.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 2000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (check(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
