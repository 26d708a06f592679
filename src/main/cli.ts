import { startParseThreads, type ParseThread } from '../adapters/wire-parser/parse-threads.js'
import type { CliIo, Command } from '../cli/commands.js'
import { isAppError } from '../platform/app-error.js'

function usage(COMMANDS: Command[]): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return `Usage: dateline <command> [options]\n\nCommands:\n${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}\n\nRun "dateline <command> --help" for a command's options.`
}

/** Runs one CLI command; returns the exit code. Failures print one line to stderr. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Loaded here rather than imported above, so the entry below can start threads first.
  const { COMMANDS } = await import('../cli/commands.js')
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(usage(COMMANDS))
    return argv.length === 0 ? 1 : 0
  }
  const command = COMMANDS.find((c) => {
    const words = c.name.split(' ')
    return words.every((w, i) => argv[i] === w)
  })
  if (!command) {
    io.err(`dateline: unknown command "${argv.slice(0, 2).join(' ')}". Run "dateline --help".`)
    return 2
  }
  const args = argv.slice(command.name.split(' ').length)
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`Usage: ${command.usage}`)
    return 0
  }
  try {
    return await command.run(args, io)
  } catch (error) {
    if (isAppError(error)) {
      io.err(`dateline ${command.name}: ${error.message.replace(/\n/g, '\n  ')}`)
      return error.code === 'INVALID_INPUT' ? 2 : 1
    }
    io.err(`dateline ${command.name}: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}

/**
 * `dateline ingest` parses in worker threads, which take some 0.3 s to start: started here,
 * before the CLI's modules load (about as long), the two overlap. Whatever the command does
 * not take over is ended when it returns.
 */
function startEarly(argv: string[]): ParseThread[] | undefined {
  const asksHelp = argv.includes('--help') || argv.includes('-h')
  return argv[0] === 'ingest' && !asksHelp ? startParseThreads() : undefined
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/bin/dateline.js')) {
  const argv = process.argv.slice(2)
  const parseThreads = startEarly(argv)
  try {
    process.exitCode = await runCli(argv, {
      env: process.env,
      cwd: process.cwd(),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      parseThreads,
    })
  } finally {
    await Promise.all((parseThreads ?? []).map(({ worker }) => worker.terminate()))
  }
}
