import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import {
  createArticle,
  findArticleById,
  listArticles,
  updateArticle,
} from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { AppError } from '../../../src/platform/app-error.js'
import { aSection, anArticle, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import { forEachDialect } from '../../support/dialects.js'

/** The fields an INVALID_INPUT error names, in order. */
function invalidFields(error: unknown): string[] {
  assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`)
  assert.equal(error.code, 'INVALID_INPUT')
  return (error.details?.problems ?? []).map((p) => p.field)
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  assert.fail('expected the call to be refused')
}

forEachDialect('article validation', (dialect) => {
  let ctx: TestContext
  let editor: Actor

  before(async () => {
    ctx = await createTestContext(dialect)
    editor = await anEditor(ctx)
    await aSection(ctx, 'world')
  })
  after(() => ctx.destroy())

  async function articleCount(): Promise<number> {
    return (await listArticles(ctx.handle.db, { limit: 1000, offset: 0 })).length
  }

  it('refuses an unknown section on create with INVALID_INPUT naming section, and stores nothing', async () => {
    const before = await articleCount()
    const error = await rejection(
      createArticle(ctx.articles, editor, {
        headline: 'Summit ends without a deal',
        section: 'no-such-desk',
      }),
    )
    assert.deepEqual(invalidFields(error), ['section'])
    assert.match((error as Error).message, /no-such-desk/)
    assert.equal(await articleCount(), before)
  })

  it('refuses an unknown section on update and leaves the story in its section', async () => {
    const article = await anArticle(ctx, editor, { section: 'world' })
    const error = await rejection(
      updateArticle(ctx.articles, editor, article.id, { version: article.version, section: 'nowhere' }),
    )
    assert.deepEqual(invalidFields(error), ['section'])
    assert.equal((await findArticleById(ctx.handle.db, article.id))?.sectionId, article.section.id)
  })

  it('names every bad field together in one error', async () => {
    const error = await rejection(
      createArticle(ctx.articles, editor, {
        headline: '   ',
        slug: 'Not A Slug',
        section: 'nowhere',
        keyPoints: ['A real point', ''],
        byline: 'b'.repeat(201),
        hero: { src: 'javascript:alert(1)', width: 0, height: 600, alt: ' ' },
      }),
    )
    assert.deepEqual(invalidFields(error).sort(), [
      'byline',
      'headline',
      'hero/alt',
      'hero/src',
      'hero/width',
      'keyPoints/1',
      'section',
      'slug',
    ])
  })

  it('names every bad field of an update together, before looking at the version', async () => {
    const article = await anArticle(ctx, editor)
    const error = await rejection(
      updateArticle(ctx.articles, editor, article.id, {
        version: 99,
        headline: '',
        keyPoints: Array(7).fill('point'),
        correction: 'c'.repeat(1001),
      }),
    )
    assert.deepEqual(invalidFields(error).sort(), ['correction', 'headline', 'keyPoints'])
  })

  it('refuses authors who are not users, naming authorIds, and stores nothing', async () => {
    const before = await articleCount()
    const error = await rejection(
      createArticle(ctx.articles, editor, {
        headline: 'Ghost-written story',
        section: 'world',
        authorIds: [editor.userId, 424242],
      }),
    )
    assert.deepEqual(invalidFields(error), ['authorIds'])
    assert.equal(await articleCount(), before)
  })

  it('stores a hero image and replaces its caption in place when the same photo is edited', async () => {
    const hero = {
      src: 'https://photos.example.org/harbour.jpg',
      width: 1600,
      height: 900,
      alt: 'Waves breaking over the harbour wall',
    }
    const article = await anArticle(ctx, editor, { hero: { ...hero, caption: 'High tide on Tuesday' } })
    assert.equal(article.hero?.caption, 'High tide on Tuesday')
    const edited = await updateArticle(ctx.articles, editor, article.id, {
      version: article.version,
      hero: { ...hero, caption: 'High tide on Tuesday evening' },
    })
    assert.equal(edited.hero?.id, article.hero?.id)
    assert.equal(edited.hero?.caption, 'High tide on Tuesday evening')
    const removed = await updateArticle(ctx.articles, editor, article.id, {
      version: edited.version,
      hero: null,
    })
    assert.equal(removed.hero, null)
  })
})
