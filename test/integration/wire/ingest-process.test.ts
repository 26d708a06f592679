import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runCli } from '../../../src/main/cli.js'
import { runDateline } from '../../support/cli.js'
import { ninjsStory } from '../../support/wire.js'

describe('dateline ingest run as a process', () => {
  let work: string
  let env: Record<string, string>
  let drop: string

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'dateline-ingest-process-'))
    env = { DATELINE_DATA_DIR: work }
    const io = { env: { LOG_LEVEL: 'silent', ...env }, cwd: work, out: () => undefined, err: () => undefined }
    assert.equal(await runCli(['sample'], io), 0)
    drop = path.join(work, 'drop')
    mkdirSync(drop)
    for (let story = 0; story < 30; story++)
      writeFileSync(
        path.join(drop, `story-${story}.json`),
        ninjsStory({
          uri: `urn:process:${story}`,
          headlines: [{ role: 'main', value: `Process story ${story}` }],
        }),
      )
    writeFileSync(path.join(drop, 'broken.json'), '{"uri": "urn:process:broken", "headlines": [')
  })
  after(() => rmSync(work, { recursive: true, force: true }))

  it('prints a line per item and exits 1 when one was refused', { timeout: 60_000 }, async () => {
    const run = await runDateline(['ingest', '--batch', '7', drop], env)
    assert.equal(run.code, 1, run.stderr)
    assert.equal(run.stderr, '')
    const lines = run.stdout.trimEnd().split('\n')
    assert.equal(lines.length, 31)
    assert.equal(lines.filter((line) => line.startsWith('created\t')).length, 30)
    const refused = lines.filter((line) => line.startsWith('rejected\t'))
    assert.equal(refused.length, 1)
    assert.match(refused[0]!, /broken\.json/)
  })

  it(
    'exits 0 when nothing was refused, and reports each story again as unchanged',
    { timeout: 60_000 },
    async () => {
      rmSync(path.join(drop, 'broken.json'))
      const run = await runDateline(['ingest', drop], env)
      assert.equal(run.code, 0, run.stderr)
      const lines = run.stdout.trimEnd().split('\n')
      assert.equal(lines.length, 30)
      assert.ok(
        lines.every((line) => /^(duplicate|unchanged)\t/.test(line)),
        lines.find((line) => !/^(duplicate|unchanged)\t/.test(line)),
      )
    },
  )

  it(
    'ends quietly, with the status of a command SIGPIPE killed, when its reader has closed the pipe',
    { timeout: 60_000 },
    async () => {
      // The ingest thread writes to the descriptor itself; other commands write through process.stdout.
      for (const args of [['ingest', drop], ['quarantine', 'list', '--all'], ['--help']]) {
        const run = await runDateline(args, env, { closeStdout: true })
        assert.deepEqual(run, { stdout: '', stderr: '', code: 128 + 13 }, `dateline ${args.join(' ')}`)
      }
    },
  )

  it('names a bad option on stderr and exits 2', { timeout: 60_000 }, async () => {
    const run = await runDateline(['ingest', '--batch', '0', drop], env)
    assert.equal(run.code, 2)
    assert.equal(run.stdout, '')
    assert.equal(run.stderr, 'dateline ingest: --batch must be a whole number from 1 to 10000\n')
  })
})
