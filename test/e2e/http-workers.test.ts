import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { get } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../../src/config/load-config.js'
import { createContext, type AppContext } from '../../src/main/context.js'
import { createApiToken, createUser } from '../../src/modules/auth/index.js'
import { createSection } from '../../src/modules/taxonomy/index.js'
import { eventually } from '../support/http.js'

const BIN = path.resolve('bin/dateline.js')

/** The ids of a process's children, from /proc (Linux). */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid
      } catch {
        return false // gone meanwhile
      }
    })
    .map(Number)
}

/** A GET on a connection of its own, so node:cluster hands it to the next worker in turn. */
function getFresh(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
      .on('timeout', function (this: { destroy(error: Error): void }) {
        this.destroy(new Error(`GET ${url}: no answer in 5 s`))
      })
      .on('error', reject)
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

describe('dateline start with HTTP_WORKERS=2 on SQLite', () => {
  let dataDir: string
  let primary: ChildProcess
  let output = ''
  let origin: string
  let ctx: AppContext
  let token: string

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dateline-workers-'))
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    const env = {
      ...process.env,
      DATELINE_DATA_DIR: dataDir,
      PORT: String(port),
      HTTP_WORKERS: '2',
      LOG_LEVEL: 'warn',
    }
    primary = spawn(process.execPath, [BIN, 'start', '--no-sample'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    primary.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    primary.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    await eventually(
      async () => output,
      (text) => text.includes('is running at'),
      30_000,
    )
    assert.match(output, /is running at/, output)
    // This test's own connection to the same database, as the CLI or a second node has.
    ctx = await createContext(loadConfig({ DATELINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      migrate: false,
      passwordCost: { N: 1024, r: 8, p: 1 },
    })
    const user = await createUser(ctx.auth, {
      email: 'workers@dateline.invalid',
      displayName: 'Worker Test',
      role: 'editor',
      password: 'correct horse battery staple',
    })
    token = (await createApiToken(ctx.auth, user.id, 'workers test')).token
    await createSection(ctx.taxonomy, { slug: 'news', name: 'News' })
  })
  after(async () => {
    if (primary.exitCode === null) primary.kill('SIGKILL')
    await ctx.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const api = async (method: string, url: string, body?: object) => {
    const res = await fetch(`${origin}/api/v1${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body && { body: JSON.stringify(body) }),
    })
    assert.ok(res.ok, `${method} ${url}: ${res.status} ${await res.clone().text()}`)
    return res.json() as Promise<{ id: number; version: number; url: string }>
  }

  it('says so, and runs a supervisor with two HTTP worker processes', () => {
    assert.match(output, /Dateline is running at http:\/\/127\.0\.0\.1:\d+\/ \(2 HTTP worker processes\)/)
    assert.equal(childPids(primary.pid!).length, 2)
  })

  it('shows a story published through a worker on the next views, each on a new connection the workers take in turn', async () => {
    const draft = await api('POST', '/articles', {
      headline: 'Ferry service resumes after storm',
      section: 'news',
      bodyHtml: '<p>The first crossing left at dawn.</p>',
    })
    const published = await api('POST', `/articles/${draft.id}/publish`, { version: draft.version })
    // Every request on a new connection: the workers take them in turn, so both answer.
    for (let i = 0; i < 6; i++) {
      const page = await getFresh(published.url.replace(/^https?:\/\/[^/]+/, origin))
      assert.equal(page.status, 200)
      assert.match(page.body, /<h1>Ferry service resumes after storm<\/h1>/)
      assert.match((await getFresh(`${origin}/`)).body, /Ferry service resumes after storm/)
    }
  })

  it('runs the background work: a scheduled story is published on time', async () => {
    const draft = await api('POST', '/articles', {
      headline: 'Bridge reopens to traffic',
      section: 'news',
      bodyHtml: '<p>Engineers signed off overnight.</p>',
    })
    await api('POST', `/articles/${draft.id}/schedule`, {
      publishAt: new Date(Date.now() + 1000).toISOString(),
      version: draft.version,
    })
    const front = await eventually(
      () => getFresh(`${origin}/`),
      (page) => page.body.includes('Bridge reopens to traffic'),
      15_000,
    )
    assert.match(front.body, /Bridge reopens to traffic/)
  })

  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const [victim, survivor] = childPids(primary.pid!)
    process.kill(victim!, 'SIGKILL')
    const left = await eventually(
      async () => childPids(primary.pid!),
      (pids) => !pids.includes(victim!),
      15_000,
    )
    assert.deepEqual(left, [survivor], 'the dead worker is gone')
    // Before its replacement is up, the other worker takes every connection.
    for (let i = 0; i < 4; i++) assert.equal((await getFresh(`${origin}/`)).status, 200)
    const replaced = await eventually(
      async () => childPids(primary.pid!),
      (pids) => pids.length === 2 && !pids.includes(victim!),
      15_000,
    )
    assert.equal(replaced.length, 2, 'a new worker beside the survivor')
    assert.ok(replaced.includes(survivor!) && !replaced.includes(victim!))
    for (let i = 0; i < 4; i++) assert.equal((await getFresh(`${origin}/`)).status, 200)
  })

  it('stops the workers and exits 0 on SIGTERM', async () => {
    const workers = childPids(primary.pid!)
    const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)))
    primary.kill('SIGTERM')
    assert.equal(await exited, 0)
    for (const pid of workers) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} is gone`)
  })
})
