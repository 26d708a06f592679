import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createArticle } from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import {
  createSection,
  createTopic,
  findTopicBySlug,
  listSections,
  renameSection,
  resolveTopics,
  updateTopic,
} from '../../../src/modules/taxonomy/index.js'
import { AppError } from '../../../src/platform/app-error.js'
import { aSection, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

function isCode(code: string) {
  return (error: unknown) => error instanceof AppError && error.code === code
}

forEachDialect('taxonomy', (dialect) => {
  let ctx: TestContext
  let editor: Actor

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
  })
  after(() => ctx.destroy())

  it('creates a section with a slug from its name and lists sections by position', async () => {
    await createSection(ctx.taxonomy, { name: 'Science & Health', position: 2 })
    await createSection(ctx.taxonomy, { name: 'Politics', position: 1 })
    const sections = await listSections(ctx.handle.db)
    assert.deepEqual(
      sections.filter((s) => ['politics', 'science-and-health'].includes(s.slug)).map((s) => s.slug),
      ['politics', 'science-and-health'],
    )
  })

  it('refuses a section slug the site itself uses, and a duplicate', async () => {
    await assert.rejects(createSection(ctx.taxonomy, { name: 'Search' }), isCode('INVALID_INPUT'))
    await aSection(ctx, 'culture')
    await assert.rejects(
      createSection(ctx.taxonomy, { name: 'Culture again', slug: 'culture' }),
      isCode('CONFLICT'),
    )
  })

  it('renames a section without changing its slug', async () => {
    await aSection(ctx, 'sport')
    const renamed = await renameSection(ctx.taxonomy, 'sport', 'Sport & Leisure')
    assert.equal(renamed.slug, 'sport')
    assert.equal(renamed.name, 'Sport & Leisure')
    await assert.rejects(renameSection(ctx.taxonomy, 'no-such-section', 'X'), isCode('NOT_FOUND'))
  })

  it('finds a topic by any of its aliases', async () => {
    const topic = await createTopic(ctx.taxonomy, {
      name: 'Emmanuel Macron',
      aliases: ['President Macron', 'Macron'],
    })
    assert.equal(topic.slug, 'emmanuel-macron')
    assert.equal((await findTopicBySlug(ctx.handle.db, 'president-macron'))?.id, topic.id)
    assert.equal((await findTopicBySlug(ctx.handle.db, 'macron'))?.id, topic.id)
    assert.deepEqual((await findTopicBySlug(ctx.handle.db, 'emmanuel-macron'))?.aliases, [
      'Macron',
      'President Macron',
    ])
  })

  it('resolves an alias spelling to the existing topic instead of creating a new one', async () => {
    const topic = await createTopic(ctx.taxonomy, { name: 'European Central Bank', aliases: ['ECB'] })
    const resolved = await resolveTopics(ctx.taxonomy, ['ECB', 'European Central Bank', 'Interest rates'])
    assert.deepEqual(
      resolved.map((t) => t.slug),
      ['european-central-bank', 'interest-rates'],
    )
    assert.equal(resolved[0]?.id, topic.id)
  })

  it('tags a story with the topic its alias names, so agency and editor spellings meet', async () => {
    const topic = await createTopic(ctx.taxonomy, { name: 'Donald J. Trump', aliases: ['Donald Trump'] })
    await aSection(ctx, 'us')
    const article = await createArticle(ctx.articles, editor, {
      headline: 'White House announces new tariff talks',
      section: 'us',
      topics: ['Donald Trump', 'Trade'],
    })
    assert.equal(article.topics[0]?.id, topic.id)
    assert.deepEqual(
      article.topics.map((t) => t.slug),
      ['donald-j-trump', 'trade'],
    )
    assert.equal(await findTopicBySlug(ctx.handle.db, 'donald-trump').then((t) => t?.id), topic.id)
  })

  it('refuses an alias that already names another topic', async () => {
    await createTopic(ctx.taxonomy, { name: 'United Kingdom', aliases: ['UK'] })
    await assert.rejects(createTopic(ctx.taxonomy, { name: 'Ukraine', aliases: ['UK'] }), isCode('CONFLICT'))
    assert.equal(await findTopicBySlug(ctx.handle.db, 'ukraine'), undefined)
  })

  it('renames a topic to one of its aliases: the name and the old name swap places', async () => {
    const topic = await createTopic(ctx.taxonomy, {
      name: 'Lula',
      aliases: ['Lula da Silva', 'President Lula'],
    })
    const renamed = await updateTopic(ctx.taxonomy, 'lula', { name: 'Lula da Silva' })
    assert.deepEqual(renamed, {
      id: topic.id,
      slug: 'lula-da-silva',
      name: 'Lula da Silva',
      aliases: ['Lula', 'President Lula'],
    })
    const resolved = await resolveTopics(ctx.taxonomy, ['Lula', 'Lula da Silva', 'President Lula'])
    assert.deepEqual(
      resolved.map((t) => t.id),
      [topic.id],
    )
  })

  it('refuses a rename whose alias another topic answers to, naming that topic, and leaves the topic as it was', async () => {
    await createTopic(ctx.taxonomy, { name: 'Labour Party', aliases: ['Labour'] })
    await createTopic(ctx.taxonomy, { name: 'Workers' })
    await assert.rejects(
      updateTopic(ctx.taxonomy, 'workers', { name: 'Labour movement', aliases: ['Unions', 'Labour'] }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'CONFLICT' &&
        error.details?.problems?.[0]?.field === 'aliases/1' &&
        /Labour Party/.test(error.message),
    )
    assert.deepEqual(await findTopicBySlug(ctx.handle.db, 'workers').then((t) => t && [t.name, t.aliases]), [
      'Workers',
      [],
    ])
    assert.equal(await findTopicBySlug(ctx.handle.db, 'labour-movement'), undefined)
  })

  it('keeps a rename out of the database when it fails after writing', async () => {
    await createTopic(ctx.taxonomy, { name: 'Rail strikes', aliases: ['Train strikes'] })
    const failing = {
      ...ctx.taxonomy,
      links: {
        ...ctx.taxonomy.links,
        retagStories: async <T>(_trx: unknown, _topicId: number, change: () => Promise<T>): Promise<T> => {
          await change()
          throw new Error('the retag failed after the topic was written')
        },
      },
    }
    await assert.rejects(
      updateTopic(failing, 'rail-strikes', { name: 'Rail walkouts', aliases: ['Rail stoppages'] }),
      /the retag failed/,
    )
    assert.deepEqual(
      await findTopicBySlug(ctx.handle.db, 'rail-strikes').then((t) => t && [t.name, t.aliases]),
      ['Rail strikes', ['Train strikes']],
    )
    assert.equal(await findTopicBySlug(ctx.handle.db, 'rail-walkouts'), undefined)
  })

  it('checks a new topic as an edit is checked: an alias with no letter or digit is refused by its place', async () => {
    await assert.rejects(
      createTopic(ctx.taxonomy, { name: 'Weather', aliases: ['Storms', '!!!'] }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'INVALID_INPUT' &&
        error.details?.problems?.[0]?.field === 'aliases/1',
    )
    assert.equal(await findTopicBySlug(ctx.handle.db, 'weather'), undefined)
  })

  it('refuses an edit that changes nothing, writing no event', async () => {
    await createTopic(ctx.taxonomy, { name: 'Harbour works' })
    const events = await ctx.handle.db.selectFrom('event').select('id').execute()
    await assert.rejects(updateTopic(ctx.taxonomy, 'harbour-works', {}), isCode('INVALID_INPUT'))
    assert.equal((await ctx.handle.db.selectFrom('event').select('id').execute()).length, events.length)
  })
})
