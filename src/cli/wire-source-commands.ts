import { loadConfig } from '../config/load-config.js'
import { createContext, type AppContext } from '../main/context.js'
import {
  countQuarantine,
  createSource,
  DEFAULT_POLL_INTERVAL_SECONDS,
  listQuarantine,
  listSources,
  redactUrl,
  updateSource,
  WIRE_FORMATS,
  WIRE_POLICIES,
  type SourceDeps,
  type UpdateSourceInput,
  type WireSource,
} from '../modules/wire/index.js'
import { AppError } from '../platform/app-error.js'
import type { Command } from './commands.js'
import { oneLine } from './one-line.js'
import { parseCommandArgs, stringArg, type ParsedArgs } from './parse-args.js'

const FIELD_OPTIONS = {
  format: { type: 'string' },
  credit: { type: 'string' },
  section: { type: 'string' },
  policy: { type: 'string' },
  feed: { type: 'string' },
  'poll-interval': { type: 'string' },
  'allow-private-network': { type: 'boolean' },
  'watch-folder': { type: 'string' },
  push: { type: 'boolean' },
} as const

const FIELD_USAGE =
  `[--format auto|${WIRE_FORMATS.join('|')}] [--credit TEXT] [--section SLUG]\n` +
  `       [--policy ${WIRE_POLICIES.join('|')}] [--feed URL] [--poll-interval SECONDS]\n` +
  `       [--allow-private-network] [--watch-folder FOLDER] [--push]`

const FIELD_HELP =
  'queue (the default) files new stories as drafts for an editor; publish puts them live at once.\n' +
  `--feed polls an http(s) feed or document every --poll-interval seconds (default ${DEFAULT_POLL_INTERVAL_SECONDS}) while\n` +
  'dateline start runs. Fetches reach only public addresses unless --allow-private-network.\n' +
  '--watch-folder ingests documents dropped in that folder (under DATELINE_DATA_DIR/incoming).\n' +
  '--push prints a token for HTTP push, once; only its hash is stored.'

export const sourceCreateCommand: Command = {
  name: 'source create',
  summary: 'Add a wire source (format, credit, section, policy, feed, watch folder, push)',
  usage: `dateline source create --name NAME ${FIELD_USAGE}\n\n${FIELD_HELP}`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { name: { type: 'string' }, ...FIELD_OPTIONS })
    const name = stringArg(values, 'name')
    if (!name) throw new AppError('INVALID_INPUT', '--name is required')
    const ctx = await createContext(loadConfig(io.env, io.cwd))
    try {
      const { source, token } = await createSource(sourceDeps(ctx), { name, ...fieldsOf(values) })
      io.out(`Created wire source ${source.name} (${source.format}, ${source.policy})`)
      if (token) io.out(token)
      return 0
    } finally {
      await ctx.close()
    }
  },
}

export const sourceUpdateCommand: Command = {
  name: 'source update',
  summary: 'Change a wire source; options left out stay as they are',
  usage:
    `dateline source update --name NAME ${FIELD_USAGE}\n` +
    '       [--no-feed] [--no-watch-folder] [--refuse-private-network] [--no-push]\n\n' +
    `${FIELD_HELP}\nHere --push replaces the token (the old one stops working) and --no-push removes it.\n` +
    '--no-feed stops polling, --no-watch-folder stops watching.',
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      name: { type: 'string' },
      ...FIELD_OPTIONS,
      'no-feed': { type: 'boolean' },
      'no-watch-folder': { type: 'boolean' },
      'refuse-private-network': { type: 'boolean' },
      'no-push': { type: 'boolean' },
    })
    const name = stringArg(values, 'name')
    if (!name) throw new AppError('INVALID_INPUT', '--name is required')
    const input: UpdateSourceInput = fieldsOf(values)
    if (values['no-feed']) input.feedUrl = null
    if (values['no-watch-folder']) input.watchFolder = null
    if (values['refuse-private-network']) input.allowPrivateNetwork = false
    if (values['no-push']) input.push = false
    const ctx = await createContext(loadConfig(io.env, io.cwd))
    try {
      const { source, token } = await updateSource(sourceDeps(ctx), name, input)
      io.out(`Updated wire source ${source.name} (${source.format}, ${source.policy})`)
      if (token) io.out(token)
      return 0
    } finally {
      await ctx.close()
    }
  },
}

export const sourceListCommand: Command = {
  name: 'source list',
  summary: 'List the wire sources and how their feeds poll',
  usage:
    'dateline source list\n\n' +
    'One line per source, tab-separated: name, format, policy, section, push, credit, feed (query and\n' +
    'password hidden), poll interval, private networks allowed, watch folder, next poll, failures in a\n' +
    'row, last error. "-" marks an empty field.',
  async run(args, io) {
    parseCommandArgs(args, {})
    const ctx = await createContext(loadConfig(io.env, io.cwd))
    try {
      for (const s of await listSources(ctx.handle.db)) io.out(sourceLine(s))
      return 0
    } finally {
      await ctx.close()
    }
  },
}

function sourceLine(s: WireSource): string {
  const feed = s.feedUrl === null ? undefined : redactUrl(s.feedUrl)
  return [
    s.name,
    s.format,
    s.policy,
    s.defaultSection ?? '-',
    s.acceptsPush ? 'push' : '-',
    s.credit || '-',
    feed ?? '-',
    feed ? `${s.pollIntervalSeconds}s` : '-',
    s.allowPrivateNetwork ? 'private-ok' : '-',
    s.watchFolder ?? '-',
    feed && s.poll.nextAt ? s.poll.nextAt.toISOString() : '-',
    String(s.poll.failures),
    s.poll.lastError ?? '-',
  ]
    .map(oneLine)
    .join('\t')
}

function sourceDeps(ctx: AppContext): SourceDeps {
  return { ...ctx.wire, watchRoot: ctx.watchRoot }
}

function fieldsOf(values: ParsedArgs['values']): UpdateSourceInput {
  const interval = stringArg(values, 'poll-interval')
  const seconds = interval === undefined ? undefined : Number(interval)
  if (seconds !== undefined && (interval?.trim() === '' || !Number.isInteger(seconds)))
    throw new AppError('INVALID_INPUT', '--poll-interval must be a whole number of seconds')
  return {
    format: stringArg(values, 'format'),
    credit: stringArg(values, 'credit'),
    section: stringArg(values, 'section'),
    policy: stringArg(values, 'policy'),
    feedUrl: stringArg(values, 'feed'),
    pollIntervalSeconds: seconds,
    allowPrivateNetwork: values['allow-private-network'] === true ? true : undefined,
    watchFolder: stringArg(values, 'watch-folder'),
    push: values['push'] === true ? true : undefined,
  }
}

const DEFAULT_QUARANTINE_LIMIT = 100
const MAX_QUARANTINE_LIMIT = 10_000

/** The last line when --limit left entries out: how many are shown of how many, and how to see more. */
function shownOf(limit: number, total: number, includeResolved: boolean): string {
  const more =
    limit < MAX_QUARANTINE_LIMIT
      ? `--limit N for more (at most ${MAX_QUARANTINE_LIMIT})`
      : `${MAX_QUARANTINE_LIMIT} is the most --limit lists`
  return `showing ${limit} of ${total}${includeResolved ? '' : ' open'} entries; ${more}`
}

export const quarantineListCommand: Command = {
  name: 'quarantine list',
  summary: 'List refused wire documents and why',
  usage:
    'dateline quarantine list [--all] [--limit N]\n\n' +
    'One line per quarantined document, newest first: id, received, bytes, origin, reason.\n' +
    '--all includes resolved ones.\n' +
    `--limit N lists the newest N (default ${DEFAULT_QUARANTINE_LIMIT}, at most ${MAX_QUARANTINE_LIMIT}); when more are\n` +
    'left out, a last line on standard error says how many are shown of how many.',
  async run(args, io) {
    const { values } = parseCommandArgs(args, { all: { type: 'boolean' }, limit: { type: 'string' } })
    const limit = Number(stringArg(values, 'limit') ?? DEFAULT_QUARANTINE_LIMIT)
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUARANTINE_LIMIT)
      throw new AppError('INVALID_INPUT', `--limit must be a whole number from 1 to ${MAX_QUARANTINE_LIMIT}`)
    const includeResolved = values['all'] === true
    const ctx = await createContext(loadConfig(io.env, io.cwd))
    try {
      const entries = await listQuarantine(ctx.handle.db, { includeResolved, limit })
      for (const q of entries) {
        io.out([q.id, q.receivedAt.toISOString(), q.size, oneLine(q.origin), oneLine(q.reason)].join('\t'))
      }
      if (entries.length === limit) {
        const total = await countQuarantine(ctx.handle.db, { includeResolved })
        if (total > limit) io.err(shownOf(limit, total, includeResolved))
      }
      return 0
    } finally {
      await ctx.close()
    }
  },
}
