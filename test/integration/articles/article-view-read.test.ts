import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  findArticleBySlug,
  findArticleViewBySlug,
  toArticleView,
  updateArticle,
  type ArticleView,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import {
  aSection,
  aUser,
  anArticle,
  anEditor,
  createTestContext,
  type TestContext,
} from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

const HOUR = 60 * 60 * 1000

forEachDialect('a story page’s one-statement read', (dialect) => {
  let ctx: TestContext
  let editor: Actor

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
    await aSection(ctx, 'world')
  })
  after(() => ctx.destroy())

  /** What the six separate reads give: the reference the one statement must match. */
  async function readSeparately(slug: string): Promise<ArticleView | undefined> {
    const article = await findArticleBySlug(ctx.handle.db, slug)
    return article && plain(await toArticleView(ctx.handle.db, article))
  }

  /** The view made of plain objects (node:sqlite gives the rows behind it a null prototype). */
  function plain(view: ArticleView): ArticleView {
    return structuredClone(view)
  }

  it('gives what the separate reads give for a story with topics, authors, a hero and corrections, in their order', async () => {
    const second = await aUser(ctx, 'contributor', { displayName: 'Ada Second' })
    const first = await aUser(ctx, 'contributor', { displayName: 'Zed First' })
    // The topics' ids run the other way from the story's order, as do the authors'.
    await anArticle(ctx, editor, { section: 'world', topics: ['Ports', 'Aviation', 'Weather'] })
    const created = await anArticle(ctx, editor, {
      section: 'world',
      topics: ['Weather', 'Aviation', 'Ports'],
      authorIds: [first.userId, second.userId],
      hero: {
        src: 'https://images.example/harbour.jpg',
        width: 1600,
        height: 900,
        srcset: 'https://images.example/harbour-800.jpg 800w',
        alt: 'The harbour wall at low tide',
        caption: 'The wall was breached in January.',
        credit: 'Agency Photo',
      },
    })
    ctx.clock.advance(HOUR)
    const corrected = await updateArticle(ctx.articles, editor, created.id, {
      version: created.version,
      correction: 'An earlier version gave the wrong date for the vote.',
    })
    ctx.clock.advance(HOUR)
    await updateArticle(ctx.articles, editor, created.id, {
      version: corrected.version,
      correction: 'The council leader’s name was misspelt.',
    })

    const view = await findArticleViewBySlug(ctx.handle.db, created.slug)
    assert.deepEqual(view, await readSeparately(created.slug))
    assert.deepEqual(
      view?.topics.map((t) => t.name),
      ['Weather', 'Aviation', 'Ports'],
    )
    assert.deepEqual(
      view?.authors.map((a) => a.displayName),
      ['Zed First', 'Ada Second'],
    )
    assert.deepEqual(
      view?.corrections.map((c) => [c.note, c.createdAt.toISOString()]),
      [
        [
          'An earlier version gave the wrong date for the vote.',
          new Date(created.createdAt.getTime() + HOUR).toISOString(),
        ],
        [
          'The council leader’s name was misspelt.',
          new Date(created.createdAt.getTime() + 2 * HOUR).toISOString(),
        ],
      ],
    )
    assert.equal(view?.hero?.alt, 'The harbour wall at low tide')
    assert.equal(view?.section.slug, 'world')
  })

  it('gives empty lists and no hero for a story without them, as the separate reads do', async () => {
    const bare = await anArticle(ctx, editor, { section: 'world', topics: [], authorIds: [] })
    const view = await findArticleViewBySlug(ctx.handle.db, bare.slug)
    assert.deepEqual(view, await readSeparately(bare.slug))
    assert.deepEqual([view?.topics, view?.authors, view?.corrections, view?.hero], [[], [], [], null])
  })

  it('finds nothing for a slug no story has', async () => {
    assert.equal(await findArticleViewBySlug(ctx.handle.db, 'no-such-story'), undefined)
  })
})
