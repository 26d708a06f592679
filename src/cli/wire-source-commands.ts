import { loadConfig } from '../config/load-config.js'
import { createContext } from '../main/context.js'
import {
  createSource,
  listQuarantine,
  listSources,
  WIRE_FORMATS,
  WIRE_POLICIES,
} from '../modules/wire/index.js'
import { AppError } from '../platform/app-error.js'
import type { Command } from './commands.js'
import { parseCommandArgs, stringArg } from './parse-args.js'

export const sourceCreateCommand: Command = {
  name: 'source create',
  summary: 'Add a wire source (format, credit, section, publish policy)',
  usage:
    `dateline source create --name NAME [--format auto|${WIRE_FORMATS.join('|')}] [--credit TEXT]\n` +
    `                       [--section SLUG] [--policy ${WIRE_POLICIES.join('|')}] [--push]\n\n` +
    'queue (the default) files new stories as drafts for an editor; publish puts them live at once.\n' +
    '--push prints a token for HTTP push, once; only its hash is stored.',
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      name: { type: 'string' },
      format: { type: 'string' },
      credit: { type: 'string' },
      section: { type: 'string' },
      policy: { type: 'string' },
      push: { type: 'boolean' },
    })
    const name = stringArg(values, 'name')
    if (!name) throw new AppError('INVALID_INPUT', '--name is required')
    const ctx = await createContext(loadConfig(io.env, io.cwd))
    try {
      const { source, token } = await createSource(ctx.wire, {
        name,
        format: stringArg(values, 'format'),
        credit: stringArg(values, 'credit'),
        section: stringArg(values, 'section'),
        policy: stringArg(values, 'policy'),
        push: values['push'] === true,
      })
      io.out(`Created wire source ${source.name} (${source.format}, ${source.policy})`)
      if (token) io.out(token)
      return 0
    } finally {
      await ctx.close()
    }
  },
}

export const sourceListCommand: Command = {
  name: 'source list',
  summary: 'List the wire sources',
  usage: 'dateline source list\n\nOne line per source: name, format, policy, section, push, credit.',
  async run(args, io) {
    parseCommandArgs(args, {})
    const ctx = await createContext(loadConfig(io.env, io.cwd))
    try {
      for (const s of await listSources(ctx.handle.db)) {
        const push = s.acceptsPush ? 'push' : '-'
        io.out([s.name, s.format, s.policy, s.defaultSection ?? '-', push, s.credit || '-'].join('\t'))
      }
      return 0
    } finally {
      await ctx.close()
    }
  },
}

export const quarantineListCommand: Command = {
  name: 'quarantine list',
  summary: 'List refused wire documents and why',
  usage:
    'dateline quarantine list [--all] [--limit N]\n\n' +
    'One line per quarantined document, newest first: id, received, bytes, origin, reason.\n' +
    '--all includes resolved ones.',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { all: { type: 'boolean' }, limit: { type: 'string' } })
    const limit = Number(stringArg(values, 'limit') ?? '100')
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw new AppError('INVALID_INPUT', '--limit must be a whole number from 1 to 10000')
    const ctx = await createContext(loadConfig(io.env, io.cwd))
    try {
      const entries = await listQuarantine(ctx.handle.db, { includeResolved: values['all'] === true, limit })
      for (const q of entries) {
        io.out([q.id, q.receivedAt.toISOString(), q.size, q.origin, q.reason].join('\t'))
      }
      return 0
    } finally {
      await ctx.close()
    }
  },
}
