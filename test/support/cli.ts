import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { CliIo } from '../../src/cli/commands.js'

/** A command's input and output in memory: what it prints, a line per entry. */
export interface FakeIo extends CliIo {
  stdout: string[]
  stderr: string[]
}

export function fakeIo(env: Record<string, string>, cwd: string): FakeIo {
  const stdout: string[] = []
  const stderr: string[] = []
  return {
    env: { LOG_LEVEL: 'silent', ...env },
    cwd,
    out: (line) => stdout.push(...line.split('\n')),
    err: (line) => stderr.push(line),
    stdout,
    stderr,
  }
}

const BIN = fileURLToPath(new URL('../../../bin/dateline.js', import.meta.url))

/**
 * `dateline` as a user runs it, in a process of its own. With `closeStdout` its standard
 * output is a pipe whose reader is gone before the first line; with `killAfterMs`, one still
 * running then is killed (code null).
 */
export function runDateline(
  args: string[],
  env: Record<string, string>,
  options: { closeStdout?: boolean; killAfterMs?: number } = {},
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  if (options.closeStdout) child.stdout.destroy()
  else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const deadline = options.killAfterMs && setTimeout(() => child.kill('SIGKILL'), options.killAfterMs)
  return new Promise((resolve) =>
    child.once('close', (code) => {
      if (deadline) clearTimeout(deadline)
      resolve({ stdout, stderr, code })
    }),
  )
}
