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
