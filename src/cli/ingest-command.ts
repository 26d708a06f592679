import { statSync } from 'node:fs'
import { opendir, stat } from 'node:fs/promises'
import path from 'node:path'
import { createWorkerDocumentParser } from '../adapters/wire-parser/worker-document-parser.js'
import { loadConfig } from '../config/load-config.js'
import { pictureReaderBeside } from '../jobs/ingest-file.js'
import { createContext, type AppContext } from '../main/context.js'
import { tuneGarbageCollector } from '../main/gc-tuning.js'
import {
  DEFAULT_BATCH_ITEMS,
  getSourceByName,
  ingestStream,
  isDocumentFileName,
  redactUrl,
  type FileToIngest,
  type IngestInput,
  type IngestOutcome,
  type WireSource,
} from '../modules/wire/index.js'
import { AppError } from '../platform/app-error.js'
import { silentLogger } from '../platform/logger.js'
import type { Command, CliIo } from './commands.js'
import { oneLine } from './one-line.js'
import { parseCommandArgs, stringArg } from './parse-args.js'

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Ingest agency copy (ninjs, NewsML-G2, RSS, Atom) from files, folders or URLs',
  usage:
    'dateline ingest [--source NAME] [--publish] [--batch N] <file|dir|url>…\n\n' +
    'Reads each file (folders recursively: their .json, .xml, .rss, .atom and .ninjs files, .gz too) or\n' +
    'fetches each http(s) URL, and prints one line per item:\n' +
    '  STATUS <tab> public URL, "article ID" or the reason it was refused <tab> file or URL and item\n' +
    '(line breaks in a reason print as " / " and tabs as spaces; the quarantine keeps it whole).\n' +
    'URLs must reach public addresses unless the source allows private networks.\n' +
    'STATUS is created, updated, unchanged, duplicate, older, held, withdrawn or rejected. Refused items go to\n' +
    'the quarantine (dateline quarantine list); the exit status is 1 if any item was refused.\n' +
    "An item's picture becomes the story's hero: a path beside the file is read now ([picture set as hero: …]),\n" +
    "an http(s) URL is fetched by the server's job runner ([picture queued for fetching: …]). A picture that is\n" +
    'refused ([picture refused: why]) never refuses its story, nor changes the exit status.\n' +
    '--publish publishes directly; otherwise the source policy applies (no source: drafts in the wire queue).\n' +
    `--batch N commits N items together (default ${DEFAULT_BATCH_ITEMS}); a line is printed once its batch is committed.`,
  async run(args, io) {
    tuneGarbageCollector({ bulk: true })
    const { values, positionals } = parseCommandArgs(args, {
      source: { type: 'string' },
      publish: { type: 'boolean' },
      batch: { type: 'string' },
    })
    if (positionals.length === 0) throw new AppError('INVALID_INPUT', 'give at least one file, folder or URL')
    const batchItems = Number(stringArg(values, 'batch') ?? DEFAULT_BATCH_ITEMS)
    if (!Number.isInteger(batchItems) || batchItems < 1 || batchItems > 10_000)
      throw new AppError('INVALID_INPUT', '--batch must be a whole number from 1 to 10000')
    const config = loadConfig(io.env, io.cwd)
    // Started first, so the parse threads boot while the database opens.
    const parser = createWorkerDocumentParser({ logger: silentLogger, threads: io.parseThreads })
    let ctx: AppContext
    try {
      ctx = await createContext(config, { bulkWrites: true })
    } catch (error) {
      await parser.close()
      throw error
    }
    try {
      const sourceName = stringArg(values, 'source')
      const source = sourceName === undefined ? undefined : await getSourceByName(ctx.wire, sourceName)
      const publish = values['publish'] === true
      let failed = false
      let skipped = 0
      const options = { source, publish }
      async function* documents(): AsyncGenerator<IngestInput | FileToIngest> {
        for (const target of positionals) {
          if (/^https?:\/\//i.test(target)) {
            const fetched = await fetchDocument(ctx, target, source)
            if (typeof fetched === 'string') {
              io.err(`dateline ingest: ${oneLine(redactUrl(target))}: ${oneLine(fetched)}`)
              failed = true
            } else yield { bytes: fetched, origin: redactUrl(target), documentUrl: target, ...options }
            continue
          }
          for await (const file of filesUnder(target, io)) {
            if (file.skipped) {
              skipped += 1
              continue
            }
            if (file.error) {
              // The path is the drop's own naming, like the fields of an output line.
              io.err(`dateline ingest: ${oneLine(file.path)}: ${oneLine(file.error)}`)
              failed = true
              continue
            }
            // Read by the parse threads; its size keeps the files read ahead within a budget.
            const resolved = path.resolve(io.cwd, file.path)
            yield {
              file: resolved,
              size: statSync(resolved).size,
              readPicture: pictureReaderBeside(resolved, ctx.wire.media.limits.maxBytes),
              origin: file.path,
              ...options,
            }
          }
        }
      }
      // A committed batch's lines go out in one write rather than one each (a system call
      // apiece when the output is a pipe), once the batch has reported all its documents.
      let lines: string[] = []
      const printLines = () => {
        io.out(lines.join('\n'))
        lines = []
      }
      await ingestStream(
        ctx.wire,
        documents(),
        (input, outcomes) => {
          for (const outcome of outcomes) {
            if (lines.length === 0) queueMicrotask(printLines)
            lines.push(formatOutcome(outcome, input.origin, config.site.publicUrl))
            if (outcome.status === 'rejected') failed = true
          }
        },
        { batchItems, parser },
      )
      if (skipped > 0)
        io.err(
          `dateline ingest: left ${skipped} file${skipped === 1 ? '' : 's'} that ${skipped === 1 ? 'is' : 'are'} not ` +
            'documents (.json, .xml, .rss, .atom, .ninjs, or .gz of those) for the documents that name them',
        )
      return failed ? 1 : 0
    } finally {
      await parser.close()
      await ctx.close()
    }
  },
}

/** Fetches one document through the guarded fetcher; a string is why it could not be fetched. */
async function fetchDocument(
  ctx: AppContext,
  url: string,
  source: WireSource | undefined,
): Promise<Uint8Array | string> {
  const fetched = await ctx.fetcher.fetch({ url, allowPrivateNetwork: source?.allowPrivateNetwork ?? false })
  if (fetched.status === 'failed') return fetched.reason
  if (fetched.status === 'not-modified') return 'the server answered 304 Not Modified to a plain GET'
  return fetched.bytes
}

/**
 * The files a path names, as the user would write them (relative to the working folder):
 * itself, or every document file below a folder (isDocumentFileName), hidden ones skipped.
 * A folder is read as a stream (opendir), its files in the order the file system lists them
 * and then its sub-folders, so a drop of any size is never listed into memory whole.
 */
async function* filesUnder(target: string, io: CliIo): AsyncGenerator<FileEntry> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    yield { path: target, error: 'only http and https URLs are fetched' }
    return
  }
  // An empty argument (an unset shell variable, say) would otherwise name the working folder.
  if (target.trim() === '') {
    yield { path: '""', error: 'an empty path names no file or folder' }
    return
  }
  const resolved = path.resolve(io.cwd, target)
  let info
  try {
    info = await stat(resolved)
  } catch {
    yield { path: target, error: 'no such file or folder' }
    return
  }
  if (info.isFile()) yield { path: target }
  else if (!info.isDirectory()) yield { path: target, error: 'not a file or folder' }
  else yield* walk(resolved, io.cwd)
}

interface FileEntry {
  path: string
  error?: string
  /** A file in a folder that is not a document (a picture, a note): left for the documents naming it. */
  skipped?: boolean
}

async function* walk(dir: string, cwd: string): AsyncGenerator<FileEntry> {
  const folders: string[] = []
  for await (const entry of await opendir(dir)) {
    if (entry.name.startsWith('.')) continue
    const full = path.join(dir, entry.name)
    // Pictures and notes delivered beside the documents are for the documents to name.
    if (entry.isFile())
      yield { path: path.relative(cwd, full) || full, skipped: !isDocumentFileName(entry.name) }
    else if (entry.isDirectory()) folders.push(full)
  }
  for (const folder of folders.sort()) yield* walk(folder, cwd)
}

const PICTURE_WORDS: Record<NonNullable<IngestOutcome['picture']>['status'], string> = {
  set: 'set as hero',
  queued: 'queued for fetching',
  refused: 'refused',
  skipped: 'not used',
}

/** STATUS, what it became (URL, article id, or the refusal), and which file and item: one line. */
export function formatOutcome(outcome: IngestOutcome, file: string, publicUrl: string): string {
  const where = outcome.label === file ? file : `${file} ${outcome.label}`
  let target: string
  if (outcome.status === 'rejected') target = outcome.reason ?? 'refused'
  else if (outcome.article?.status === 'published') target = `${publicUrl}${outcome.article.path}`
  else if (outcome.article) target = `article ${outcome.article.id} (${outcome.article.status})`
  else target = '-'
  if (outcome.status !== 'rejected' && outcome.reason) target += ` [${outcome.reason}]`
  if (outcome.picture)
    target += ` [picture ${PICTURE_WORDS[outcome.picture.status]}: ${outcome.picture.detail}]`
  return `${outcome.status}\t${oneLine(target)}\t${oneLine(where)}`
}
