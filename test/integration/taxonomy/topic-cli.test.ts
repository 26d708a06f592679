import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, it } from 'node:test'
import { withContext as withCommandContext } from '../../../src/cli/with-context.js'
import { runCli } from '../../../src/main/cli.js'
import type { AppContext } from '../../../src/main/context.js'
import { createArticle } from '../../../src/modules/articles/index.js'
import { createTopic, findTopicBySlug } from '../../../src/modules/taxonomy/index.js'
import { aSection, anEditor } from '../../support/builders.js'
import { fakeIo } from '../../support/cli.js'
import { createTestDatabase, forEachDialect, type TestDatabase } from '../../support/dialects.js'

forEachDialect('dateline topic commands', (dialect) => {
  let dataDir: string
  let database: TestDatabase | undefined
  let env: Record<string, string>
  const run = async (args: string[]) => {
    const io = fakeIo(env, dataDir)
    const code = await runCli(args, io)
    return { code, ...io }
  }
  /** A context over the commands' database, for setting up and looking. */
  const withContext = <T>(work: (ctx: AppContext) => Promise<T>) =>
    withCommandContext(fakeIo(env, dataDir), work)

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dateline-topic-cli-'))
    env = { DATELINE_DATA_DIR: dataDir, PUBLIC_URL: 'http://news.test' }
    if (dialect === 'postgres') {
      database = await createTestDatabase('postgres')
      if (database.config.dialect === 'postgres') env['DATABASE_URL'] = database.config.url
    }
    await withContext(async (ctx) => {
      await aSection(ctx, 'world')
      const editor = await anEditor(ctx)
      await createTopic(ctx.taxonomy, { name: 'Ukraine' })
      await createArticle(ctx.articles, editor, {
        headline: 'Talks resume',
        section: 'world',
        topics: ['Kyiv'],
      })
    })
  })
  after(async () => {
    await database?.destroy()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('lists the topic commands on --help', async () => {
    const help = (await run(['--help'])).stdout.join('\n')
    assert.match(help, / {2}topic update +Rename a topic or set its aliases/)
    assert.match(help, / {2}topic merge +Merge a topic into another/)
  })

  it('sets a topic’s aliases and prints the topic', async () => {
    const result = await run(['topic', 'update', 'ukraine', '--alias', 'Ukrainian war', '--alias', 'Donbas'])
    assert.equal(result.code, 0, result.stderr.join('\n'))
    assert.deepEqual(result.stdout, ['topic ukraine\tUkraine\taliases: Donbas, Ukrainian war'])
  })

  it('merges a topic into another: its stories move and its slug becomes an alias', async () => {
    const result = await run(['topic', 'merge', 'kyiv', '--into', 'ukraine'])
    assert.equal(result.code, 0, result.stderr.join('\n'))
    assert.deepEqual(result.stdout, ['topic ukraine\tUkraine\taliases: Donbas, Kyiv, Ukrainian war'])
    await withContext(async (ctx) => {
      assert.equal((await findTopicBySlug(ctx.handle.db, 'kyiv'))?.slug, 'ukraine')
      const links = await ctx.handle.db
        .selectFrom('article_topic')
        .innerJoin('topic', 'topic.id', 'article_topic.topic_id')
        .select('topic.slug')
        .execute()
      assert.deepEqual(
        links.map((l) => l.slug),
        ['ukraine'],
      )
    })
  })

  it('exits non-zero with one line naming the fault', async () => {
    const unknown = await run(['topic', 'merge', 'no-such-topic', '--into', 'ukraine'])
    assert.equal(unknown.code, 1)
    assert.deepEqual(unknown.stderr, ['dateline topic merge: No topic "no-such-topic"'])
    const itself = await run(['topic', 'merge', 'ukraine', '--into', 'ukraine'])
    assert.equal(itself.code, 2)
    assert.match(itself.stderr.join('\n'), /^dateline topic merge: from: is the topic merged into/)
    const nothing = await run(['topic', 'update', 'ukraine'])
    assert.equal(nothing.code, 2)
    assert.match(nothing.stderr.join('\n'), /nothing to change/)
    assert.deepEqual([...unknown.stdout, ...itself.stdout, ...nothing.stdout], [])
  })
})
