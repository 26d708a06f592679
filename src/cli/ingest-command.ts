import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { loadConfig } from '../config/load-config.js'
import { ingestFile } from '../jobs/ingest-file.js'
import { createContext, type AppContext } from '../main/context.js'
import {
  getSourceByName,
  ingestDocument,
  redactUrl,
  type IngestOutcome,
  type WireSource,
} from '../modules/wire/index.js'
import { AppError } from '../platform/app-error.js'
import type { Command, CliIo } from './commands.js'
import { parseCommandArgs, stringArg } from './parse-args.js'

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Ingest agency copy (ninjs, NewsML-G2, RSS, Atom) from files, folders or URLs',
  usage:
    'dateline ingest [--source NAME] [--publish] <file|dir|url>…\n\n' +
    'Reads each file (folders recursively) or fetches each http(s) URL, and prints one line per item:\n' +
    '  STATUS <tab> public URL, "article ID" or the reason it was refused <tab> file or URL and item\n' +
    'URLs must reach public addresses unless the source allows private networks.\n' +
    'STATUS is created, updated, unchanged, duplicate, older, held or rejected. Refused items go to\n' +
    'the quarantine (dateline quarantine list); the exit status is 1 if any item was refused.\n' +
    '--publish publishes directly; otherwise the source policy applies (no source: drafts in the wire queue).',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      source: { type: 'string' },
      publish: { type: 'boolean' },
    })
    if (positionals.length === 0) throw new AppError('INVALID_INPUT', 'give at least one file, folder or URL')
    const config = loadConfig(io.env, io.cwd)
    const ctx = await createContext(config)
    try {
      const sourceName = stringArg(values, 'source')
      const source = sourceName === undefined ? undefined : await getSourceByName(ctx.wire, sourceName)
      const publish = values['publish'] === true
      let failed = false
      const report = (outcomes: IngestOutcome[], where: string) => {
        for (const outcome of outcomes) {
          io.out(formatOutcome(outcome, where, config.site.publicUrl))
          if (outcome.status === 'rejected') failed = true
        }
      }
      for (const target of positionals) {
        if (/^https?:\/\//i.test(target)) {
          const outcomes = await ingestUrl(ctx, target, { source, publish })
          if (typeof outcomes === 'string') {
            io.err(`dateline ingest: ${redactUrl(target)}: ${outcomes}`)
            failed = true
          } else report(outcomes, redactUrl(target))
          continue
        }
        for (const file of await filesUnder(target, io)) {
          if (file.error) {
            io.err(`dateline ingest: ${file.path}: ${file.error}`)
            failed = true
            continue
          }
          const where = path.resolve(io.cwd, file.path)
          report(await ingestFile(ctx.wire, where, file.path, { source, publish }), file.path)
        }
      }
      return failed ? 1 : 0
    } finally {
      await ctx.close()
    }
  },
}

/** Fetches one document through the guarded fetcher and ingests it; a string is why it could not be fetched. */
async function ingestUrl(
  ctx: AppContext,
  url: string,
  options: { source: WireSource | undefined; publish: boolean },
): Promise<IngestOutcome[] | string> {
  const fetched = await ctx.fetcher.fetch({
    url,
    allowPrivateNetwork: options.source?.allowPrivateNetwork ?? false,
  })
  if (fetched.status === 'failed') return fetched.reason
  if (fetched.status === 'not-modified') return 'the server answered 304 Not Modified to a plain GET'
  return ingestDocument(ctx.wire, { bytes: fetched.bytes, origin: redactUrl(url), ...options })
}

/**
 * The files a path names, as the user would write them (relative to the working folder):
 * itself, or every file below a folder, hidden ones skipped, sorted.
 */
async function filesUnder(target: string, io: CliIo): Promise<{ path: string; error?: string }[]> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target))
    return [{ path: target, error: 'only http and https URLs are fetched' }]
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
