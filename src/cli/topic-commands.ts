import { loadConfig } from '../config/load-config.js'
import { createContext } from '../main/context.js'
import { mergeTopics, updateTopic, type Topic } from '../modules/taxonomy/index.js'
import { AppError } from '../platform/app-error.js'
import type { CliIo, Command } from './commands.js'
import { parseCommandArgs, stringArg, stringListArg } from './parse-args.js'

/** One line per topic: its slug, its name, its aliases. */
function describe(topic: Topic): string {
  return `topic ${topic.slug}\t${topic.name}\taliases: ${topic.aliases.join(', ') || '(none)'}`
}

function oneSlug(positionals: string[], what: string): string {
  const [slug, ...rest] = positionals
  if (slug === undefined || rest.length > 0) throw new AppError('INVALID_INPUT', `give one ${what}`)
  return slug
}

async function withContext(
  io: CliIo,
  work: (ctx: Awaited<ReturnType<typeof createContext>>) => Promise<Topic>,
) {
  const ctx = await createContext(loadConfig(io.env, io.cwd))
  try {
    io.out(describe(await work(ctx)))
    return 0
  } finally {
    await ctx.close()
  }
}

export const topicUpdateCommand: Command = {
  name: 'topic update',
  summary: 'Rename a topic or set its aliases',
  usage:
    'dateline topic update SLUG [--name NAME] [--slug SLUG] [--alias NAME]... [--no-aliases]\n\n' +
    'A new name moves the slug to its own (unless --slug is given); the old slug stays as an\n' +
    'alias, so its page redirects. --alias, once per alias, gives every alias the topic is to\n' +
    'have: those left out are removed (--no-aliases removes them all). An alias another topic\n' +
    'already answers to is refused, naming that topic: merge the two instead.',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      name: { type: 'string' },
      slug: { type: 'string' },
      alias: { type: 'string', multiple: true },
      'no-aliases': { type: 'boolean' },
    })
    const slug = oneSlug(positionals, 'topic slug (or alias)')
    const aliases = stringListArg(values, 'alias')
    if (aliases && values['no-aliases'])
      throw new AppError('INVALID_INPUT', 'give --alias or --no-aliases, not both')
    const input = {
      name: stringArg(values, 'name'),
      slug: stringArg(values, 'slug'),
      aliases: values['no-aliases'] ? [] : aliases,
    }
    if (Object.values(input).every((value) => value === undefined))
      throw new AppError('INVALID_INPUT', 'nothing to change: give --name, --slug, --alias or --no-aliases')
    return withContext(io, (ctx) => updateTopic(ctx.taxonomy, slug, input))
  },
}

export const topicMergeCommand: Command = {
  name: 'topic merge',
  summary: 'Merge a topic into another: its stories, followers and spellings move, its page redirects',
  usage:
    'dateline topic merge SLUG --into SLUG\n\n' +
    'The first topic (named by its own slug) is merged into the --into topic and deleted: its\n' +
    'stories and followers move, its name and aliases become aliases of the other, and its page\n' +
    'redirects there. All of it or nothing.',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { into: { type: 'string' } })
    const from = oneSlug(positionals, 'topic slug to merge')
    const into = stringArg(values, 'into')
    if (!into) throw new AppError('INVALID_INPUT', '--into SLUG is required')
    return withContext(io, (ctx) => mergeTopics(ctx.taxonomy, { into, from }))
  },
}
