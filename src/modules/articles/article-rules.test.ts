import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AppError } from '../../platform/app-error.js'
import type { Actor } from '../auth/index.js'
import type { Article } from './article.js'
import {
  assertCanEdit,
  assertCanPublish,
  assertPublishable,
  assertVersion,
  changedFields,
  checkArticleFields,
  isLanguageTag,
  publishProblems,
} from './article-rules.js'

function anArticle(overrides: Partial<Article> = {}): Article {
  const at = new Date('2026-03-02T09:00:00Z')
  return {
    id: 7,
    slug: 'harbour-town-votes-to-rebuild-sea-wall',
    shortCode: 'h4rb8ur',
    headline: 'Harbour town votes to rebuild sea wall',
    keyPoints: ['Vote passed nine to four'],
    bodyHtml: '<p>Councillors voted on Tuesday night.</p>',
    sectionId: 1,
    byline: '',
    sourceCredit: '',
    heroMediaId: null,
    status: 'draft',
    firstPublishedAt: null,
    publicUpdatedAt: null,
    scheduledAt: null,
    version: 3,
    createdAt: at,
    modifiedAt: at,
    createdBy: 10,
    breaking: false,
    dateline: '',
    language: 'en',
    embargoUntil: null,
    submittedAt: null,
    submittedBy: null,
    reviewNote: '',
    reviewNoteAt: null,
    reviewNoteBy: null,
    ...overrides,
  }
}

const contributor: Actor = { userId: 10, role: 'contributor', via: 'session' }
const otherContributor: Actor = { userId: 11, role: 'contributor', via: 'session' }
const editor: Actor = { userId: 20, role: 'editor', via: 'session' }
const admin: Actor = { userId: 30, role: 'admin', via: 'token' }

function codeOf(fn: () => void): string | undefined {
  try {
    fn()
  } catch (error) {
    assert.ok(error instanceof AppError)
    return error.code
  }
  return undefined
}

describe('checkArticleFields', () => {
  it('finds nothing wrong with a normal story', () => {
    assert.deepEqual(
      checkArticleFields({
        headline: 'Ferry strike ends',
        keyPoints: ['Talks succeeded'],
        bodyHtml: '<p>x</p>',
        byline: 'Staff',
      }),
      [],
    )
  })

  it('checks only the fields it is given, so a partial update passes', () => {
    assert.deepEqual(checkArticleFields({}), [])
  })

  it('requires a headline and caps its length', () => {
    assert.deepEqual(checkArticleFields({ headline: '' }), [{ field: 'headline', message: 'is required' }])
    assert.deepEqual(
      checkArticleFields({ headline: 'x'.repeat(201) }).map((p) => p.field),
      ['headline'],
    )
    assert.deepEqual(checkArticleFields({ headline: 'x'.repeat(200) }), [])
  })

  it('names each bad key point by its position', () => {
    const problems = checkArticleFields({ keyPoints: ['fine', '', 'y'.repeat(301)] })
    assert.deepEqual(
      problems.map((p) => p.field),
      ['keyPoints/1', 'keyPoints/2'],
    )
  })

  it('allows at most six key points', () => {
    assert.deepEqual(checkArticleFields({ keyPoints: Array(6).fill('point') }), [])
    assert.deepEqual(
      checkArticleFields({ keyPoints: Array(7).fill('point') }).map((p) => p.field),
      ['keyPoints'],
    )
  })

  it('reports every problem together rather than stopping at the first', () => {
    const problems = checkArticleFields({
      headline: '',
      keyPoints: [''],
      bodyHtml: 'x'.repeat(200_001),
      byline: 'b'.repeat(201),
      sourceCredit: 'c'.repeat(121),
    })
    assert.deepEqual(
      problems.map((p) => p.field),
      ['headline', 'keyPoints/0', 'bodyHtml', 'byline', 'sourceCredit'],
    )
  })
})

describe('dateline and language', () => {
  it('caps the dateline and names a language that is not a tag', () => {
    assert.deepEqual(checkArticleFields({ dateline: 'Kyiv, Ukraine', language: 'pt-BR' }), [])
    assert.deepEqual(
      checkArticleFields({ dateline: 'x'.repeat(101), language: 'English' }).map((p) => p.field),
      ['dateline', 'language'],
    )
  })

  it('takes the language tags pages and feeds use', () => {
    for (const tag of ['en', 'de', 'fil', 'en-GB', 'zh-Hant-TW', 'es-419']) assert.ok(isLanguageTag(tag), tag)
    for (const tag of ['', 'EN', 'e', 'english', 'en_GB', 'en-', '<script>'])
      assert.ok(!isLanguageTag(tag), tag)
  })
})

describe('assertCanEdit', () => {
  it('lets a contributor edit their own draft', () => {
    assert.equal(
      codeOf(() => assertCanEdit(contributor, anArticle())),
      undefined,
    )
  })

  it('forbids a contributor to edit someone else’s draft', () => {
    assert.equal(
      codeOf(() => assertCanEdit(otherContributor, anArticle())),
      'FORBIDDEN',
    )
  })

  it('forbids a contributor to edit their own story once it is no longer a draft', () => {
    for (const status of ['scheduled', 'published', 'unpublished'] as const) {
      assert.equal(
        codeOf(() => assertCanEdit(contributor, anArticle({ status }))),
        'FORBIDDEN',
        status,
      )
    }
  })

  it('lets editors and admins edit any story in any state', () => {
    for (const status of ['draft', 'scheduled', 'published', 'unpublished'] as const) {
      assert.equal(
        codeOf(() => assertCanEdit(editor, anArticle({ status }))),
        undefined,
      )
      assert.equal(
        codeOf(() => assertCanEdit(admin, anArticle({ status, createdBy: null }))),
        undefined,
      )
    }
  })
})

describe('assertCanPublish', () => {
  it('lets editors and admins publish and forbids contributors', () => {
    assert.equal(
      codeOf(() => assertCanPublish(editor)),
      undefined,
    )
    assert.equal(
      codeOf(() => assertCanPublish(admin)),
      undefined,
    )
    assert.equal(
      codeOf(() => assertCanPublish(contributor)),
      'FORBIDDEN',
    )
  })
})

describe('assertVersion', () => {
  it('accepts the current version', () => {
    assert.equal(
      codeOf(() => assertVersion(anArticle({ version: 3 }), 3)),
      undefined,
    )
  })

  it('refuses an older or newer version as a conflict naming the current one', () => {
    assert.throws(
      () => assertVersion(anArticle({ version: 3 }), 2),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'CONFLICT' &&
        error.details?.problems?.[0]?.field === 'version' &&
        /it is at 3/.test(error.message),
    )
    assert.equal(
      codeOf(() => assertVersion(anArticle({ version: 3 }), 4)),
      'CONFLICT',
    )
  })
})

describe('assertPublishable', () => {
  it('accepts a story with a headline and a body', () => {
    assert.equal(
      codeOf(() => assertPublishable(anArticle())),
      undefined,
    )
  })

  it('refuses a story without a body or headline, naming both', () => {
    assert.throws(
      () => assertPublishable(anArticle({ headline: ' ', bodyHtml: '' })),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'ARTICLE_NOT_PUBLISHABLE' &&
        JSON.stringify(error.details?.problems?.map((p) => p.field)) === '["headline","bodyHtml"]',
    )
  })
})

describe('publishProblems', () => {
  it('finds nothing in a story with a headline and a body', () => {
    assert.deepEqual(publishProblems(anArticle()), [])
  })

  it('names a body that is only whitespace', () => {
    assert.deepEqual(
      publishProblems(anArticle({ bodyHtml: '  \n ' })).map((p) => p.field),
      ['bodyHtml'],
    )
  })
})

describe('changedFields', () => {
  it('lists the fields whose values differ, comparing arrays and objects by value', () => {
    const before = { headline: 'A', keyPoints: ['x'], hero: { src: '/media/a.jpg' }, topics: ['t'] }
    const after = { headline: 'B', keyPoints: ['x'], hero: { src: '/media/b.jpg' }, topics: ['t'] }
    assert.deepEqual(changedFields(before, after), ['headline', 'hero'])
  })

  it('lists nothing when nothing changed', () => {
    assert.deepEqual(changedFields({ a: [1], b: null }, { a: [1], b: null }), [])
  })
})
