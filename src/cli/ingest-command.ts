import { open, readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { loadConfig } from '../config/load-config.js'
import { createContext } from '../main/context.js'
import {
  DEFAULT_WIRE_LIMITS,
  getSourceByName,
  ingestDocument,
  type IngestOutcome,
  type WireSource,
} from '../modules/wire/index.js'
import { AppError } from '../platform/app-error.js'
import type { Command, CliIo } from './commands.js'
import { parseCommandArgs, stringArg } from './parse-args.js'

/** Of a file over the size limit only this much is read, to keep in the quarantine. */
const OVERSIZE_READ_BYTES = 64 * 1024

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Ingest agency copy (ninjs, NewsML-G2, RSS, Atom) from files or folders',
  usage:
    'dateline ingest [--source NAME] [--publish] <file|dir>…\n\n' +
    'Reads each file (folders recursively) and prints one line per item:\n' +
    '  STATUS <tab> public URL, "article ID" or the reason it was refused <tab> file and item\n' +
    'STATUS is created, updated, unchanged, duplicate, older, held or rejected. Refused items go to\n' +
    'the quarantine (dateline quarantine list); the exit status is 1 if any item was refused.\n' +
    '--publish publishes directly; otherwise the source policy applies (no source: drafts in the wire queue).',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      source: { type: 'string' },
      publish: { type: 'boolean' },
    })
    if (positionals.length === 0) throw new AppError('INVALID_INPUT', 'give at least one file or folder')
    const config = loadConfig(io.env, io.cwd)
    const ctx = await createContext(config)
    try {
      const sourceName = stringArg(values, 'source')
      const source = sourceName === undefined ? undefined : await getSourceByName(ctx.wire, sourceName)
      let failed = false
      for (const target of positionals) {
        for (const file of await filesUnder(target, io)) {
          if (file.error) {
            io.err(`dateline ingest: ${file.path}: ${file.error}`)
            failed = true
            continue
          }
          const outcomes = await ingestFile(ctx.wire, path.resolve(io.cwd, file.path), file.path, {
            source,
            publish: values['publish'] === true,
          })
          for (const outcome of outcomes) {
            io.out(formatOutcome(outcome, file.path, config.site.publicUrl))
            if (outcome.status === 'rejected') failed = true
          }
        }
      }
      return failed ? 1 : 0
    } finally {
      await ctx.close()
    }
  },
}

async function ingestFile(
  deps: Parameters<typeof ingestDocument>[0],
  file: string,
  origin: string,
  options: { source: WireSource | undefined; publish: boolean },
): Promise<IngestOutcome[]> {
  const limit = (deps.limits ?? DEFAULT_WIRE_LIMITS).maxBytes
  const { size } = await stat(file)
  const bytes = size > limit ? await readStart(file, OVERSIZE_READ_BYTES) : await readFile(file)
  return ingestDocument(deps, { bytes, origin, ...options, originalSize: size })
}

async function readStart(file: string, length: number): Promise<Uint8Array> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/**
 * The files a path names, as the user would write them (relative to the working folder):
 * itself, or every file below a folder, hidden ones skipped, sorted.
 */
async function filesUnder(target: string, io: CliIo): Promise<{ path: string; error?: string }[]> {
  if (/^https?:\/\//i.test(target))
    return [
      { path: target, error: 'ingesting from a URL is not supported yet; download it and give the file' },
    ]
  const resolved = path.resolve(io.cwd, target)
  let info
  try {
    info = await stat(resolved)
  } catch {
    return [{ path: target, error: 'no such file or folder' }]
  }
  if (info.isFile()) return [{ path: target }]
  if (!info.isDirectory()) return [{ path: target, error: 'not a file or folder' }]
  const entries = await readdir(resolved, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter(
      (p) =>
        !path
          .relative(resolved, p)
          .split(path.sep)
          .some((part) => part.startsWith('.')),
    )
    .sort()
    .map((p) => ({ path: path.relative(io.cwd, p) || p }))
}

/** STATUS, what it became (URL, article id, or the refusal), and which file and item. */
export function formatOutcome(outcome: IngestOutcome, file: string, publicUrl: string): string {
  const where = outcome.label === file ? file : `${file} ${outcome.label}`
  let target: string
  if (outcome.status === 'rejected') target = outcome.reason ?? 'refused'
  else if (outcome.article?.status === 'published') target = `${publicUrl}${outcome.article.path}`
  else if (outcome.article) target = `article ${outcome.article.id} (${outcome.article.status})`
  else target = '-'
  if (outcome.status !== 'rejected' && outcome.reason) target += ` [${outcome.reason}]`
  return `${outcome.status}\t${target}\t${where}`
}
