import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { findArticleById } from '../../src/modules/articles/index.js'
import { aSection, aUser } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp, type TestSession } from '../support/http.js'

interface ArticleJson {
  id: number
  version: number
  slug: string
}

function cspDirective(csp: string | string[] | number | undefined, name: string): string | undefined {
  return String(csp ?? '')
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `))
    ?.slice(name.length + 1)
}

forEachDialect('newsroom preview', (dialect) => {
  let t: TestApp
  let editor: TestSession
  let story: ArticleJson

  const draftFields = (fields: object = {}) => ({
    headline: 'Unsaved headline seen only in the preview',
    keyPoints: ['A point still being written'],
    bodyHtml: '<p>Draft text <script>alert(1)</script>with <strong>bold</strong>.</p>',
    section: 'news',
    topics: ['Harbour', 'A brand new topic'],
    byline: 'Desk',
    sourceCredit: 'Dateline',
    breaking: false,
    dateline: 'Falmouth',
    language: 'en',
    hero: null,
    ...fields,
  })

  const postPreview = (id: number, session: TestSession | undefined, draft: object | string, csrf = true) =>
    t.app.inject({
      method: 'POST',
      url: `/newsroom/preview/${id}`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(session && { cookie: session.cookie }),
      },
      payload: new URLSearchParams({
        draft: typeof draft === 'string' ? draft : JSON.stringify(draft),
        ...(csrf && session && { _csrf: session.csrfToken }),
      }).toString(),
    })

  before(async () => {
    t = await testApp(dialect)
    await aSection(t.ctx, 'news')
    editor = await t.login('editor')
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: editor.headers,
      payload: { headline: 'Saved headline of the story', section: 'news', bodyHtml: '<p>Saved text.</p>' },
    })
    story = created.json<ArticleJson>()
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/articles/${story.id}/publish`,
      headers: editor.headers,
      payload: { version: 1 },
    })
  })
  after(() => t.close())

  it('shows the saved story on the real article page, noindex, uncached and framable only by us', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/newsroom/preview/${story.id}`,
      headers: { cookie: editor.cookie },
    })
    assert.equal(res.statusCode, 200, res.body)
    assert.match(res.body, /<h1>Saved headline of the story<\/h1>/)
    assert.match(res.body, /<meta name="robots" content="noindex"\/?>/)
    assert.match(res.body, /<article class="article">/)
    assert.equal(res.headers['cache-control'], 'no-store')
    assert.equal(res.headers['x-robots-tag'], 'noindex, nofollow')
    assert.equal(cspDirective(res.headers['content-security-policy'], 'frame-ancestors'), "'self'")
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN')

    const front = await t.app.inject({ method: 'GET', url: '/' })
    assert.equal(cspDirective(front.headers['content-security-policy'], 'frame-ancestors'), "'none'")
    assert.equal(front.headers['x-frame-options'], 'DENY')
    const app = await t.app.inject({ method: 'GET', url: '/api/v1/sections' })
    assert.equal(cspDirective(app.headers['content-security-policy'], 'frame-ancestors'), "'none'")
  })

  it('renders unsaved fields, sanitized as a save would, and stores nothing', async () => {
    const res = await postPreview(story.id, editor, draftFields())
    assert.equal(res.statusCode, 200, res.body)
    assert.match(res.body, /<h1>Unsaved headline seen only in the preview<\/h1>/)
    assert.match(res.body, /<li>A point still being written<\/li>/)
    assert.match(res.body, /Draft text with <strong>bold<\/strong>\./)
    assert.doesNotMatch(res.body, /alert\(1\)/)
    assert.match(res.body, /A brand new topic/)
    assert.equal(res.headers['cache-control'], 'no-store')

    const stored = await findArticleById(t.ctx.handle.db, story.id)
    assert.equal(stored?.headline, 'Saved headline of the story')
    assert.equal(stored?.version, 2)
    const topics = await t.app.inject({ method: 'GET', url: '/api/v1/topics', headers: editor.headers })
    assert.doesNotMatch(topics.body, /brand-new-topic/, 'a previewed topic is not created')
    const page = await t.app.inject({ method: 'GET', url: `/news/${story.slug}` })
    assert.match(
      page.body,
      /<h1>Saved headline of the story<\/h1>/,
      'the public page and its cache keep the saved text',
    )
  })

  it('shows the authors the editor picked but has not saved', async () => {
    const author = await aUser(t.ctx, 'contributor', { displayName: 'Ines Moreau' })
    const res = await postPreview(story.id, editor, { ...draftFields(), authorIds: [author.userId] })
    assert.equal(res.statusCode, 200, res.body)
    assert.match(res.body, /rel="author">Ines Moreau<\/a>/)
  })

  it('takes the longest body the API allows, in a script that percent-encodes to many bytes', async () => {
    const paragraph = '<p>Паромы снова ходят по расписанию после шторма.</p>'
    const bodyHtml = paragraph.repeat(Math.floor(200_000 / paragraph.length))
    const res = await postPreview(story.id, editor, draftFields({ bodyHtml }))
    assert.equal(res.statusCode, 200, res.body.slice(0, 300))
    assert.match(res.body, /Паромы снова ходят/)
  })

  it('is for signed-in staff only, and a contributor sees only their own drafts', async () => {
    const signedOut = await t.app.inject({ method: 'GET', url: `/newsroom/preview/${story.id}` })
    assert.equal(signedOut.statusCode, 401)
    assert.equal(signedOut.headers['x-frame-options'], 'SAMEORIGIN', 'the error shows inside the frame')

    const draft = await t.app.inject({
      method: 'POST',
      url: '/api/v1/articles',
      headers: editor.headers,
      payload: { headline: 'An editor’s unpublished draft', section: 'news' },
    })
    const contributor = await t.login('contributor')
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/newsroom/preview/${draft.json<ArticleJson>().id}`,
      headers: { cookie: contributor.cookie },
    })
    assert.equal(hidden.statusCode, 404)
    assert.doesNotMatch(hidden.body, /unpublished draft/)
    const missing = await t.app.inject({
      method: 'GET',
      url: '/newsroom/preview/987654',
      headers: { cookie: editor.cookie },
    })
    assert.equal(missing.statusCode, 404)
  })

  it('refuses a posted draft without the CSRF token, and names a bad field', async () => {
    const noToken = await postPreview(story.id, editor, draftFields(), false)
    assert.equal(noToken.statusCode, 403)

    const badJson = await postPreview(story.id, editor, '{"headline": ')
    assert.equal(badJson.statusCode, 400)
    assert.match(badJson.body, /draft: must be the story fields as JSON/)

    const badField = await postPreview(story.id, editor, draftFields({ keyPoints: 'not a list' }))
    assert.equal(badField.statusCode, 400)
    assert.match(badField.body, /keyPoints/)

    const badSection = await postPreview(story.id, editor, draftFields({ section: 'no-such-section' }))
    assert.equal(badSection.statusCode, 400)
    assert.match(badSection.body, /unknown section/)
  })
})
