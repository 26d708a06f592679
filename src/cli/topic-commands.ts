import { mergeTopics, updateTopic, type Topic } from '../modules/taxonomy/index.js'
import { AppError } from '../platform/app-error.js'
import type { CliIo, Command } from './commands.js'
import { parseCommandArgs, stringArg, stringListArg } from './parse-args.js'
import { withContext } from './with-context.js'

/** One line per topic: its slug, its name, its aliases. */
function describe(topic: Topic): string {
  return `topic ${topic.slug}\t${topic.name}\taliases: ${topic.aliases.join(', ') || '(none)'}`
}

function oneSlug(positionals: string[], what: string): string {
  const [slug, ...rest] = positionals
  if (slug === undefined || rest.length > 0) throw new AppError('INVALID_INPUT', `give one ${what}`)
  return slug
}

/** Prints the topic a command leaves. */
function printTopic(io: CliIo, topic: Topic): number {
  io.out(describe(topic))
  return 0
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
    return withContext(io, async (ctx) => printTopic(io, await updateTopic(ctx.taxonomy, slug, input)))
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
    return withContext(io, async (ctx) => printTopic(io, await mergeTopics(ctx.taxonomy, { into, from })))
  },
}
