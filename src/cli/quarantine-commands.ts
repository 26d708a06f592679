import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { closeQuarantined, rerunQuarantined, type QuarantineEntry } from '../modules/wire/index.js'
import { AppError } from '../platform/app-error.js'
import type { Command } from './commands.js'
import { formatOutcome } from './ingest-command.js'
import { oneLine } from './one-line.js'
import { parseCommandArgs, stringArg } from './parse-args.js'
import { withContext } from './with-context.js'

function entryId(positionals: string[]): number {
  const [raw, ...rest] = positionals
  const id = Number(raw)
  if (raw === undefined || rest.length > 0 || !Number.isInteger(id) || id < 1)
    throw new AppError('INVALID_INPUT', 'give one quarantine entry id (see dateline quarantine list)')
  return id
}

function describe(entry: QuarantineEntry): string {
  const state = entry.resolution === null ? 'open' : entry.resolution
  return `quarantine ${entry.id}\t${state}\t${oneLine(entry.reason)}`
}

export const quarantineRerunCommand: Command = {
  name: 'quarantine rerun',
  summary: 'Ingest a quarantined document again, after a fix or from a corrected file',
  usage:
    'dateline quarantine rerun ID [--file PATH] [--note TEXT]\n\n' +
    'Re-parses the kept bytes (or the corrected document in PATH; the original stays kept) and\n' +
    'prints one line per item as dateline ingest does. If every item is taken the entry is\n' +
    'resolved; if not, its reason is updated, it stays open and the exit status is 1.',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      file: { type: 'string' },
      note: { type: 'string' },
    })
    const id = entryId(positionals)
    const file = stringArg(values, 'file')
    let replacement: Uint8Array | undefined
    if (file !== undefined) {
      try {
        replacement = await readFile(path.resolve(io.cwd, file))
      } catch {
        throw new AppError('INVALID_INPUT', `--file: cannot read ${file}`)
      }
    }
    return withContext(io, async (ctx) => {
      const result = await rerunQuarantined(ctx.wire, null, id, {
        replacement,
        note: stringArg(values, 'note'),
      })
      for (const outcome of result.outcomes)
        io.out(formatOutcome(outcome, file ?? result.entry.origin, ctx.config.site.publicUrl))
      io.out(describe(result.entry))
      return result.entry.resolution === 'rerun' ? 0 : 1
    })
  },
}

function closeCommand(resolution: 'resolved' | 'discarded'): Command {
  const verb = resolution === 'resolved' ? 'resolve' : 'discard'
  return {
    name: `quarantine ${verb}`,
    summary:
      resolution === 'resolved'
        ? 'Close a quarantine entry handled another way (its bytes stay)'
        : 'Discard a quarantine entry (its bytes are deleted, the record stays)',
    usage: `dateline quarantine ${verb} ID [--note TEXT]`,
    async run(args, io) {
      const { values, positionals } = parseCommandArgs(args, { note: { type: 'string' } })
      const id = entryId(positionals)
      return withContext(io, async (ctx) => {
        const entry = await closeQuarantined(ctx.wire, null, id, {
          resolution,
          note: stringArg(values, 'note'),
        })
        io.out(describe(entry))
        return 0
      })
    },
  }
}

export const quarantineResolveCommand = closeCommand('resolved')
export const quarantineDiscardCommand = closeCommand('discarded')
