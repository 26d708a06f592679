import { writeSync } from 'node:fs'
import { isMainThread, Worker, workerData } from 'node:worker_threads'
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

async function runHere(argv: string[], write: (fd: 1 | 2, text: string) => void): Promise<number> {
  const parseThreads = startEarly(argv)
  try {
    return await runCli(argv, {
      env: process.env,
      cwd: process.cwd(),
      out: (line) => write(1, `${line}\n`),
      err: (line) => write(2, `${line}\n`),
      parseThreads,
    })
  } finally {
    await Promise.all((parseThreads ?? []).map(({ worker }) => worker.terminate()))
  }
}

const writeToStream = (fd: 1 | 2, text: string) => (fd === 1 ? process.stdout : process.stderr).write(text)

/**
 * A reader that stops early (`dateline quarantine list | head -1`) closes the pipe, and the
 * next write fails with EPIPE. A C program would be killed by SIGPIPE there; Node ignores
 * that signal, so the command ends as if it had been: at once, without a word, with the
 * status a shell gives a command SIGPIPE killed. Ingest stops part way, as it would have;
 * a batch not yet committed is rolled back, and a re-run finds what was.
 */
const CLOSED_PIPE_STATUS = 128 + 13

function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE'
}

function endOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error) => {
    if (!isClosedPipe(error)) throw error
    process.exit(CLOSED_PIPE_STATUS)
  })
}

/**
 * A thread's process.stdout hands what it writes to the main thread, without waiting: a
 * reader slower than the command (a pager, say) would have its lines pile up in memory.
 * Written to the descriptor from the thread itself, the command waits for the reader, as
 * it would on the main thread, where a pipe's writes are synchronous.
 */
function writeToDescriptor(fd: 1 | 2, text: string): void {
  let bytes = Buffer.from(text)
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes))
    } catch (error) {
      // On this thread process.exit ends the thread with that status, which becomes the command's.
      if (isClosedPipe(error)) process.exit(CLOSED_PIPE_STATUS)
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
      Atomics.wait(PAUSE, 0, 0, 1)
    }
  }
}
const PAUSE = new Int32Array(new SharedArrayBuffer(4))

/**
 * `dateline ingest` runs on a thread of its own, whose young generation V8 holds to 48 MiB
 * (16 MiB semi-spaces). Left to itself V8 grows it to 192 MiB over a long run, as a batch's
 * objects live through scavenges, and each page touched stays in the resident set: peak RSS
 * grew with the number of items (5,000: 251-273 MiB; 50,000: 343-355), where capped it is
 * 219-231 and 258-283 MiB, at the same speed. V8 fixes the size when it makes a heap, and
 * a thread is how to make one of a chosen size without a second process: killing the
 * command still kills all of it, and its output and exit status are the thread's.
 */
const BULK_COMMANDS = new Set(['ingest'])
const BULK_YOUNG_GENERATION_MB = 48

function runOnBulkThread(argv: string[]): Promise<number> {
  const thread = new Worker(new URL(import.meta.url), {
    workerData: { cliArgv: argv },
    resourceLimits: { maxYoungGenerationSizeMb: BULK_YOUNG_GENERATION_MB },
  })
  return new Promise<number>((resolve) => {
    let failure: Error | undefined
    thread.once('error', (error: Error) => (failure = error))
    thread.once('exit', (code) => {
      if (failure) writeToDescriptor(2, `dateline ${argv[0]}: ${failure.message}\n`)
      resolve(failure ? 1 : code)
    })
  })
}

const cliThreadArgv = (workerData as { cliArgv?: string[] } | null)?.cliArgv
if (!isMainThread && cliThreadArgv) {
  process.exitCode = await runHere(cliThreadArgv, writeToDescriptor)
} else if (
  isMainThread &&
  (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/bin/dateline.js'))
) {
  const argv = process.argv.slice(2)
  process.exitCode = BULK_COMMANDS.has(argv[0] ?? '')
    ? await runOnBulkThread(argv)
    : await runOnMainThread(argv)
}

/**
 * The commands that write through process.stdout. Only they touch it: opening a pipe's
 * stream makes the descriptor non-blocking, which the bulk thread's own writes would then
 * have to wait out.
 */
function runOnMainThread(argv: string[]): Promise<number> {
  endOnClosedPipe(process.stdout)
  endOnClosedPipe(process.stderr)
  return runHere(argv, writeToStream)
}
