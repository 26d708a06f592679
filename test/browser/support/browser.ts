import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { STAFF_PASSWORD } from './newsroom.js'
import { IN_CI, requireTool } from '../../support/tools.js'

export { IN_CI }

import { seedSampleContent } from '../../../src/cli/sample-content.js'
import { loadConfig } from '../../../src/config/load-config.js'
import { startServer, type RunningServer } from '../../../src/main/server.js'
import { createArticle, publishArticle, type ArticleView } from '../../../src/modules/articles/index.js'
import { createUser, type Actor } from '../../../src/modules/auth/index.js'

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const REPO_ROOT = process.cwd()

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
]

/** Resolved once per test file (top-level await), so suites can decide to skip. */
export const HAS_CHROMIUM: boolean = requireTool(
  existsSync(CHROMIUM_PATH),
  `Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`,
)

export function hasJava(): boolean {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' })
  return requireTool(java.status === 0, 'java (apt-get install default-jre-headless)')
}

/**
 * Debian's Chromium, headless. Requests to any host but this machine go to a closed
 * local port and fail at once, so pages naming other hosts (payloads, agency photos)
 * neither wait on the network nor reach it.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    proxy: { server: 'http://127.0.0.1:9', bypass: '127.0.0.1,localhost' },
  })
}

export interface TestServer extends RunningServer {
  dataDir: string
  /** An editor who may create and publish stories. */
  editor: Actor
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>
}

/** A port that was free a moment ago, so PUBLIC_URL (canonical and short links) can name it. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** A real server on a fresh SQLite database in a temporary directory; `env` adds configuration (SMTP_URL). */
export async function startTestServer(options: { env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dateline-browser-'))
  const port = await freePort()
  const config = loadConfig(
    {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATELINE_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ...options.env,
    },
    REPO_ROOT,
  )
  const server = await startServer(config, { passwordCost: { N: 1024, r: 8, p: 1 }, logger: false })
  const user = await createUser(server.ctx.auth, {
    email: 'browser.editor@dateline.invalid',
    displayName: 'Browser Editor',
    role: 'editor',
    password: STAFF_PASSWORD,
  })
  return Object.assign(server, {
    dataDir,
    editor: { userId: user.id, role: 'editor', via: 'cli' } as const,
    async stop() {
      await server.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  })
}

export interface ReaderSite {
  /** A story with every part a reader sees: hero photo, caption, credit, key points, topics. */
  story: ArticleView
  storyPath: string
  sectionPath: string
  topicPath: string
}

/** The sample site (sections, authors, eight stories with photos) plus one story this suite knows in full. */
export async function seedReaderSite(server: TestServer): Promise<ReaderSite> {
  await seedSampleContent(server.ctx)
  const draft = await createArticle(server.ctx.articles, server.editor, {
    headline: 'Ferry crews rescue 40 from stranded tour boat in fog',
    section: 'world',
    keyPoints: ['All 40 passengers are safe', 'The boat lost power near the outer islands'],
    bodyHtml: [
      '<p>Two ferry crews pulled 40 passengers, guests of Smith &amp; Sons Tours, from a stranded tour boat on Wednesday after it lost power in thick fog.</p>',
      '<h2>SLOW RETURN</h2>',
      '<p>The rescued passengers were taken to the harbour, where paramedics checked them for cold.</p>',
    ].join('\n'),
    topics: ['Shipping', 'Weather'],
    sourceCredit: 'Dateline',
    hero: {
      src: '/media/sample/story-1.jpg',
      width: 1200,
      height: 675,
      alt: 'A ferry beside a small tour boat in fog',
      caption: 'A ferry reaches the stranded tour boat near the outer islands.',
      credit: 'Dateline Photo/Coastguard',
    },
  })
  const story = await publishArticle(server.ctx.articles, server.editor, draft.id)
  return {
    story,
    storyPath: `/${story.section.slug}/${story.slug}`,
    sectionPath: `/${story.section.slug}`,
    topicPath: `/topic/${story.topics[0]!.slug}`,
  }
}

/**
 * Polls a JavaScript expression in the page until it is truthy. Playwright's
 * waitForFunction evaluates strings with eval, which the site's CSP rightly forbids.
 */
export async function waitForExpression(page: Page, expression: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value: unknown = await page.evaluate(expression)
    if (value) return value
    if (Date.now() > deadline) throw new Error(`still false after ${timeoutMs} ms: ${expression}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export interface BrowserSuite {
  server: TestServer
  browser: Browser
  site: ReaderSite
  /** Closes the browser and stops the server. */
  close(): Promise<void>
}

/**
 * The setup the reader-page suites share: a test server and Chromium started together,
 * then the sample site seeded. If any part fails, whatever did start is shut down.
 */
export async function startBrowserSuite(
  options: { env?: Record<string, string> } = {},
): Promise<BrowserSuite> {
  const [serverResult, browserResult] = await Promise.allSettled([startTestServer(options), launchBrowser()])
  const server = serverResult.status === 'fulfilled' ? serverResult.value : undefined
  const browser = browserResult.status === 'fulfilled' ? browserResult.value : undefined
  const close = async () => {
    await browser?.close()
    await server?.stop()
  }
  try {
    if (serverResult.status === 'rejected') throw serverResult.reason
    if (browserResult.status === 'rejected') throw browserResult.reason
    const site = await seedReaderSite(serverResult.value)
    return { server: serverResult.value, browser: browserResult.value, site, close }
  } catch (error) {
    await close()
    throw error
  }
}
