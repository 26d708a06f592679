import { existsSync } from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../config/load-config.js'
import { ENV_VARS, type Config } from '../config/schema.js'
import { createApiToken, createUser, isRole, ROLES } from '../modules/auth/index.js'
import { AppError } from '../platform/app-error.js'
import { createContext } from '../main/context.js'
import { migrateToLatest } from '../adapters/db/migrate.js'
import { createDb } from '../adapters/db/create-db.js'
import type { ParseThread } from '../adapters/wire-parser/parse-threads.js'
import { ingestCommand } from './ingest-command.js'
import { parseCommandArgs, stringArg } from './parse-args.js'
import { pruneCommand } from './prune-command.js'
import { seedSampleContent } from './sample-content.js'
import {
  quarantineListCommand,
  sourceCreateCommand,
  sourceListCommand,
  sourceUpdateCommand,
} from './wire-source-commands.js'
import {
  quarantineDiscardCommand,
  quarantineRerunCommand,
  quarantineResolveCommand,
} from './quarantine-commands.js'
import { topicMergeCommand, topicUpdateCommand } from './topic-commands.js'

export interface CliIo {
  env: Record<string, string | undefined>
  out: (line: string) => void
  err: (line: string) => void
  cwd: string
  /** Parse threads the entry started for `dateline ingest` before loading the CLI (main/cli.ts). */
  parseThreads?: ParseThread[] | undefined
}

export interface Command {
  name: string
  summary: string
  usage: string
  run(args: string[], io: CliIo): Promise<number>
}

function config(io: CliIo): Config {
  return loadConfig(io.env, io.cwd)
}

const envHelp = `\nConfiguration (environment):\n${ENV_VARS.map((v) => `  ${v.name.padEnd(20)} ${v.description} Default: ${v.default}`).join('\n')}`

export const COMMANDS: Command[] = [
  {
    name: 'start',
    summary: 'Start the site, the API and the scheduler',
    usage:
      'dateline start [--no-sample]\n\nMigrates the database, adds sample content to an empty one (unless --no-sample), and serves.' +
      envHelp,
    async run(args, io) {
      const { values } = parseCommandArgs(args, { 'no-sample': { type: 'boolean' } })
      const cfg = config(io)
      // Loaded here, not at the top: the web app is a large import that other commands (ingest) do not need.
      const server =
        cfg.http.workers > 1
          ? await (await import('../main/supervisor.js')).startSupervisor(cfg, io.env)
          : await (await import('../main/server.js')).startServer(cfg)
      if (!values['no-sample']) {
        const { created } = await seedSampleContent(server.ctx)
        if (created > 0) io.out(`Added ${created} sample stories.`)
      }
      const processes = cfg.http.workers > 1 ? ` (${cfg.http.workers} HTTP worker processes)` : ''
      io.out(`Dateline is running at ${server.url}/${processes}`)
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        )
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      return new Promise<number>(() => undefined)
    },
  },
  {
    name: 'migrate',
    summary: 'Bring the database schema up to this version',
    usage:
      'dateline migrate\n\nApplies pending migrations to DATABASE_URL (or the SQLite file in DATELINE_DATA_DIR).',
    async run(args, io) {
      parseCommandArgs(args, {})
      const handle = createDb(config(io).db)
      try {
        const { applied } = await migrateToLatest(handle)
        io.out(applied.length === 0 ? 'The database is up to date.' : `Applied: ${applied.join(', ')}`)
        return 0
      } finally {
        await handle.destroy()
      }
    },
  },
  {
    name: 'user create',
    summary: 'Create a newsroom user (the first admin, for example)',
    usage: `dateline user create --email EMAIL --role ${ROLES.join('|')} [--name "Display Name"] [--password-stdin]\n\nThe password is read from the DATELINE_PASSWORD variable or, with --password-stdin, from standard input.`,
    async run(args, io) {
      const { values } = parseCommandArgs(args, {
        email: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      })
      const email = stringArg(values, 'email')
      const role = stringArg(values, 'role')
      if (!email) throw new AppError('INVALID_INPUT', '--email is required')
      if (!role || !isRole(role))
        throw new AppError('INVALID_INPUT', `--role must be one of ${ROLES.join(', ')}`)
      const password = values['password-stdin'] ? await readStdin() : io.env['DATELINE_PASSWORD']
      if (!password)
        throw new AppError('INVALID_INPUT', 'give the password in DATELINE_PASSWORD or with --password-stdin')
      const ctx = await createContext(config(io))
      try {
        const user = await createUser(ctx.auth, {
          email,
          role,
          password: password.trim(),
          displayName: stringArg(values, 'name'),
        })
        io.out(`Created ${user.role} ${user.email} (id ${user.id})`)
        return 0
      } finally {
        await ctx.close()
      }
    },
  },
  {
    name: 'token create',
    summary: 'Create an API token for a user (printed once)',
    usage:
      'dateline token create --email EMAIL [--name "What it is for"]\n\nPrints the token on standard output; only its hash is stored.',
    async run(args, io) {
      const { values } = parseCommandArgs(args, { email: { type: 'string' }, name: { type: 'string' } })
      const email = stringArg(values, 'email')
      if (!email) throw new AppError('INVALID_INPUT', '--email is required')
      const ctx = await createContext(config(io))
      try {
        const user = await ctx.handle.db
          .selectFrom('user')
          .select('id')
          .where('email', '=', email.toLowerCase())
          .executeTakeFirst()
        if (!user) throw new AppError('NOT_FOUND', `no user with email ${email}`)
        const { token } = await createApiToken(ctx.auth, user.id, stringArg(values, 'name') ?? 'API token')
        io.out(token)
        return 0
      } finally {
        await ctx.close()
      }
    },
  },
  {
    name: 'backup',
    summary: 'Write a consistent copy of the SQLite database to a file',
    usage:
      'dateline backup --to FILE\n\nCopies the embedded SQLite database while the site keeps running (VACUUM INTO).\nFor PostgreSQL use pg_dump, which this command names rather than wraps.',
    async run(args, io) {
      const { values } = parseCommandArgs(args, { to: { type: 'string' } })
      const target = stringArg(values, 'to')
      if (!target) throw new AppError('INVALID_INPUT', '--to FILE is required')
      const cfg = config(io)
      if (cfg.db.dialect !== 'sqlite')
        throw new AppError('INVALID_INPUT', 'DATABASE_URL is PostgreSQL: back it up with pg_dump')
      const file = path.resolve(io.cwd, target)
      if (existsSync(file)) throw new AppError('CONFLICT', `${file} exists; choose a new file name`)
      const handle = createDb(cfg.db)
      try {
        handle.sqlite!.raw.prepare('VACUUM INTO ?').run(file)
        io.out(`Backed up to ${file}`)
        return 0
      } finally {
        await handle.destroy()
      }
    },
  },
  {
    name: 'sample',
    summary: 'Add the sample sections and stories to an empty database',
    usage: 'dateline sample',
    async run(args, io) {
      parseCommandArgs(args, {})
      const ctx = await createContext(config(io))
      try {
        const { created } = await seedSampleContent(ctx)
        io.out(
          created === 0
            ? 'The database already has content; nothing added.'
            : `Added ${created} sample stories.`,
        )
        return 0
      } finally {
        await ctx.close()
      }
    },
  },
  ingestCommand,
  sourceCreateCommand,
  sourceUpdateCommand,
  sourceListCommand,
  quarantineListCommand,
  pruneCommand,
  quarantineRerunCommand,
  quarantineResolveCommand,
  quarantineDiscardCommand,
  topicUpdateCommand,
  topicMergeCommand,
]

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split('\n')[0] ?? ''
}
