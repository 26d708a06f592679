import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { CliIo } from '../../src/cli/commands.js'
import { loadConfig } from '../../src/config/load-config.js'
import { buildApp } from '../../src/http/build-app.js'
import { runCli } from '../../src/main/cli.js'
import { createContext } from '../../src/main/context.js'
import { createTestDatabase, forEachDialect, type TestDatabase } from '../support/dialects.js'
import { runDateline } from '../support/cli.js'
import { appDepsOf } from '../support/http.js'

interface FakeIo extends CliIo {
  stdout: string[]
  stderr: string[]
}

function fakeIo(env: Record<string, string>): FakeIo {
  const stdout: string[] = []
  const stderr: string[] = []
  return {
    env: { LOG_LEVEL: 'silent', ...env },
    cwd: tmpdir(),
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    stdout,
    stderr,
  }
}

/** Everything written to standard error, split into lines. */
function errLines(io: FakeIo): string[] {
  return io.stderr.join('\n').split('\n')
}

describe('dateline CLI', () => {
  let dataDir: string
  let io: FakeIo

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dateline-cli-'))
  })
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  it('lists every command on --help and exits 0', async () => {
    io = fakeIo({ DATELINE_DATA_DIR: dataDir })
    assert.equal(await runCli(['--help'], io), 0)
    const help = io.stdout.join('\n')
    for (const command of ['start', 'migrate', 'user create', 'token create', 'sample'])
      assert.ok(help.includes(`  ${command} `), `lists ${command}`)
    assert.deepEqual(io.stderr, [])
  })

  it('describes a command on "<command> --help"', async () => {
    io = fakeIo({ DATELINE_DATA_DIR: dataDir })
    assert.equal(await runCli(['user', 'create', '--help'], io), 0)
    assert.match(io.stdout.join('\n'), /--email EMAIL --role/)
  })

  it('exits 2 with one line on stderr for an unknown command', async () => {
    io = fakeIo({ DATELINE_DATA_DIR: dataDir })
    assert.equal(await runCli(['publish-everything'], io), 2)
    assert.equal(errLines(io).length, 1, io.stderr.join('\n'))
    assert.match(io.stderr[0] ?? '', /unknown command "publish-everything"/)
    assert.deepEqual(io.stdout, [])
  })

  it('exits non-zero with a one-line reason when user create has no --email', async () => {
    io = fakeIo({ DATELINE_DATA_DIR: dataDir, DATELINE_PASSWORD: 'a long enough passphrase' })
    const code = await runCli(['user', 'create', '--role', 'editor'], io)
    assert.notEqual(code, 0)
    assert.equal(errLines(io).length, 1, io.stderr.join('\n'))
    assert.match(io.stderr[0] ?? '', /--email/)
  })

  it('exits non-zero with a one-line reason for an unknown flag', async () => {
    io = fakeIo({ DATELINE_DATA_DIR: dataDir })
    const code = await runCli(['token', 'create', '--email', 'a@newsroom.test', '--colour', 'red'], io)
    assert.notEqual(code, 0)
    assert.equal(errLines(io).length, 1, io.stderr.join('\n'))
    assert.match(io.stderr[0] ?? '', /--colour/)
  })

  it('refuses a bad configuration, naming the variable at fault', async () => {
    io = fakeIo({ DATELINE_DATA_DIR: dataDir, PORT: 'abc' })
    const code = await runCli(['migrate'], io)
    assert.notEqual(code, 0)
    assert.match(io.stderr.join('\n'), /PORT/)
    assert.ok(!io.stderr.join('\n').includes('    at '), 'no stack trace')
  })

  it('stops with the setting at fault when the site cannot listen, instead of running on unserved', async () => {
    // A server still running after 30 s is killed, and its status (null) fails the test.
    const STARTS_OR_KILLED = { killAfterMs: 30_000 }
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as AddressInfo).port
    try {
      const busy = await runDateline(
        ['start', '--no-sample'],
        { DATELINE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
        STARTS_OR_KILLED,
      )
      assert.equal(busy.code, 2, busy.stderr)
      assert.match(
        busy.stderr,
        new RegExp(`^dateline start: PORT: ${port} is already in use on 127\\.0\\.0\\.1`, 'm'),
      )
    } finally {
      taken.close()
    }
    const nowhere = await runDateline(
      ['start', '--no-sample'],
      { DATELINE_DATA_DIR: dataDir, PORT: '3999', HOST: 'no-such-host.invalid' },
      STARTS_OR_KILLED,
    )
    assert.equal(nowhere.code, 2, nowhere.stderr)
    assert.match(nowhere.stderr, /^dateline start: HOST: cannot listen on "no-such-host\.invalid"/m)
  })

  it('refuses to start with a TRUST_PROXY that is not proxy addresses, naming it', async () => {
    io = fakeIo({ DATELINE_DATA_DIR: dataDir, PORT: '0', TRUST_PROXY: 'true' })
    assert.equal(await runCli(['start', '--no-sample'], io), 1)
    assert.match(io.stderr.join('\n'), /TRUST_PROXY: "true"/)
    assert.deepEqual(io.stdout, [])
  })

  it('lists TRUST_PROXY among the configuration on "start --help"', async () => {
    io = fakeIo({ DATELINE_DATA_DIR: dataDir })
    assert.equal(await runCli(['start', '--help'], io), 0)
    assert.match(io.stdout.join('\n'), /^ {2}TRUST_PROXY +Addresses or ranges of the proxies in front/m)
  })
})

forEachDialect('dateline CLI and the API', (dialect) => {
  let dataDir: string
  let database: TestDatabase | undefined
  let env: Record<string, string>

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dateline-cli-'))
    env = { DATELINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://news.test' }
    if (dialect === 'postgres') {
      database = await createTestDatabase('postgres')
      if (database.config.dialect === 'postgres') env['DATABASE_URL'] = database.config.url
    }
  })
  after(async () => {
    await database?.destroy()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('prints a token from user create + token create that then works as a Bearer token on the API', async () => {
    const create = fakeIo({ ...env, DATELINE_PASSWORD: 'a long enough passphrase' })
    const created = await runCli(
      ['user', 'create', '--email', 'Desk@Newsroom.test', '--role', 'editor', '--name', 'Night Desk'],
      create,
    )
    assert.equal(created, 0, create.stderr.join('\n'))
    assert.match(create.stdout.join('\n'), /Created editor desk@newsroom\.test/)

    const tokenIo = fakeIo(env)
    assert.equal(await runCli(['token', 'create', '--email', 'desk@newsroom.test'], tokenIo), 0)
    assert.equal(tokenIo.stdout.length, 1)
    const token = tokenIo.stdout[0] ?? ''
    assert.match(token, /^dl_[\w-]{20,}$/)

    const ctx = await createContext(loadConfig(env, tmpdir()))
    await ctx.tail.start()
    const app = await buildApp(appDepsOf(ctx), { logger: false })
    try {
      const me = await app.inject({
        method: 'GET',
        url: '/api/v1/session',
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(me.json<{ user: { email: string; role: string } | null }>().user?.role, 'editor')
      const section = await app.inject({
        method: 'POST',
        url: '/api/v1/sections',
        headers: { authorization: `Bearer ${token}` },
        payload: { name: 'Night news' },
      })
      assert.equal(section.statusCode, 201, section.body)
      const refused = await app.inject({
        method: 'GET',
        url: '/api/v1/articles',
        headers: { authorization: `Bearer ${token}x` },
      })
      assert.equal(refused.statusCode, 401)
    } finally {
      await app.close()
      await ctx.close()
    }
  })

  it('exits non-zero with one line when token create names an unknown user', async () => {
    const io = fakeIo(env)
    assert.notEqual(await runCli(['token', 'create', '--email', 'ghost@newsroom.test'], io), 0)
    assert.equal(errLines(io).length, 1, io.stderr.join('\n'))
    assert.match(io.stderr[0] ?? '', /ghost@newsroom\.test/)
    assert.deepEqual(io.stdout, [])
  })
})
