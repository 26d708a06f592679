import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  hasJava,
  IN_CI,
  REPO_ROOT,
  seedReaderSite,
  startTestServer,
  type ReaderSite,
  type TestServer,
} from './support/browser.js'
import { createArticle, publishArticle } from '../../src/modules/articles/index.js'

const VNU_JAR = path.join(REPO_ROOT, 'node_modules/vnu-jar/build/dist/vnu.jar')
const SDTT_BIN = path.join(REPO_ROOT, 'node_modules/.bin/sdtt')
const SDTT_CLI = path.join(REPO_ROOT, 'node_modules/structured-data-testing-tool/bin/cli.js')

function requireFile(file: string, what: string): boolean {
  if (existsSync(file)) return true
  if (IN_CI) throw new Error(`${what} is required in CI but ${file} is missing`)
  console.log(`# ${what} not installed (${file}): its checks skip on this machine`)
  return false
}

const HAS_VNU = hasJava() && requireFile(VNU_JAR, 'Nu Html Checker (npm vnu-jar)')
const HAS_SDTT = requireFile(SDTT_BIN, 'structured-data-testing-tool')

interface RunResult {
  code: number
  stdout: string
  stderr: string
}

function run(command: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

interface VnuMessage {
  type: string
  subType?: string
  url?: string
  lastLine?: number
  message: string
  extract?: string
}

/** The reader pages as the server sends them, before any script runs, saved for the validators. */
const PAGES = [
  'front',
  'section',
  'topic',
  'article',
  'hostile-article',
  'author',
  'search',
  'not-found',
] as const

/**
 * A body as careless or hostile markup would send it (refused link addresses, misplaced
 * blocks, stray tags): what the sanitiser keeps of it must still be valid HTML.
 */
const HOSTILE_BODY = [
  '<p>See <a href="javascript:alert(1)">this</a>, <a>that</a> and <a href="//evil.example/x">those</a>.</p>',
  '<figure><img src="https://photos.example/a.jpg" alt="A" width="10" height="tall"><figcaption>Cap <span class="credit">Credit</span></figcaption></figure>',
  '<figure><figcaption>A caption alone</figcaption></figure>',
  '<div><p>nested <div>block</div> text</p></div><h1>Title</h1><h4>Sub</h4><h2></h2>',
  '<table><tr><td>cell</td></tr></table><ul><p>not an item</p><li>an item</li></ul><li>stray item</li>',
  '<blockquote><h2>quoted heading</h2><figure><img src="https://photos.example/b.jpg"></figure></blockquote>',
  '<p><strong><em>bold</strong> italic</em> <br/><br> <sub><sup>deep</sup></sub></p>',
].join('')

describe('reader pages checked by independent validators', () => {
  let server: TestServer
  let site: ReaderSite
  let dir: string
  const files = new Map<string, string>()

  before(async () => {
    server = await startTestServer()
    site = await seedReaderSite(server)
    const hostileDraft = await createArticle(server.ctx.articles, server.editor, {
      headline: 'Harbour board reports on storm damage',
      section: 'world',
      bodyHtml: HOSTILE_BODY,
    })
    const hostile = await publishArticle(server.ctx.articles, server.editor, hostileDraft.id)
    dir = mkdtempSync(path.join(tmpdir(), 'dateline-validate-'))
    const paths: Record<(typeof PAGES)[number], string> = {
      front: '/',
      section: site.sectionPath,
      topic: site.topicPath,
      article: site.storyPath,
      'hostile-article': `/${hostile.section.slug}/${hostile.slug}`,
      author: `/author/${site.story.authors[0]?.slug ?? 'browser-editor'}`,
      search: '/search?q=story',
      'not-found': '/world/no-such-story',
    }
    for (const name of PAGES) {
      const response = await fetch(server.url + paths[name])
      assert.equal(response.status, name === 'not-found' ? 404 : 200, `${name} page status`)
      const file = path.join(dir, `${name}.html`)
      writeFileSync(file, await response.text())
      files.set(name, file)
    }
  })

  after(async () => {
    await server?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it(
    'has no Nu Html Checker errors on the front, section, topic, article, author, search and error pages',
    {
      skip: !HAS_VNU && 'Nu Html Checker or java missing',
    },
    async () => {
      // A broken page in the same run shows the checker reads and reports (one JVM start for all).
      const broken = path.join(dir, 'deliberately-broken.html')
      writeFileSync(
        broken,
        '<!doctype html><html lang="en"><title>x</title><p><div>block in p</p><img src="a.png">',
      )
      const result = await run('java', [
        '-jar',
        VNU_JAR,
        '--errors-only',
        '--format',
        'json',
        broken,
        ...files.values(),
      ])
      const report = JSON.parse(result.stderr.trim() || result.stdout.trim()) as { messages: VnuMessage[] }
      const errors = report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal')
      const onBroken = errors.filter((m) => m.url?.endsWith('deliberately-broken.html'))
      assert.ok(onBroken.length > 0, 'the checker found nothing wrong with a deliberately broken page')
      const onOurs = errors.filter((m) => !m.url?.endsWith('deliberately-broken.html'))
      assert.deepEqual(
        onOurs.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine}: ${m.message} [${m.extract ?? ''}]`),
        [],
      )
    },
  )

  it(
    'passes the Google and Facebook structured-data checks for NewsArticle on the article page',
    {
      skip: !HAS_SDTT && 'structured-data-testing-tool missing',
    },
    async () => {
      const sdtt = (file: string) =>
        run(process.execPath, [
          SDTT_CLI,
          '--file',
          file,
          '--presets',
          'Google,Facebook',
          '--schemas',
          'jsonld:NewsArticle',
        ])
      // Without the publisher's logo Google's preset must fail: the check can fail.
      const html = readFileSync(files.get('article')!, 'utf8')
      const withoutLogo = path.join(dir, 'article-without-logo.html')
      const stripped = html.replace(/,"logo":\{[^}]*\}/, '')
      assert.notEqual(stripped, html, 'the article page names no publisher logo')
      writeFileSync(withoutLogo, stripped)
      const [control, result] = await Promise.all([sdtt(withoutLogo), sdtt(files.get('article')!)])
      assert.notEqual(
        control.code,
        0,
        `sdtt passed a NewsArticle without a publisher logo:\n${control.stdout}`,
      )
      assert.match(control.stdout, /✕\s+publisher\.logo/)
      assert.equal(result.code, 0, `sdtt failed the article page:\n${result.stdout}${result.stderr}`)
      assert.match(result.stdout, /Google > NewsArticle/)
    },
  )

  it('serves the publisher logo that the structured data names', async () => {
    const html = readFileSync(files.get('article')!, 'utf8')
    const logoUrl = /"logo":\{[^}]*"url":"([^"]+)"/.exec(html)?.[1]
    assert.ok(logoUrl, 'no logo URL in the JSON-LD')
    const response = await fetch(logoUrl.replace(/^https?:\/\/[^/]+/, server.url))
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'image/png')
  })
})
