import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { createArticle, publishArticle, type ArticleView } from '../../src/modules/articles/index.js'
import type { Actor } from '../../src/modules/auth/index.js'
import { findReaderById, processStoryEvents } from '../../src/modules/readers/index.js'
import { aSection, anEditor } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { decode, testApp, type TestApp } from '../support/http.js'
import { linkIn } from '../support/mail.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

/** A browser's cookie jar, as much of one as these tests need. */
class Jar {
  cookies: Record<string, string> = {}
  take(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number }[]) {
      if (c.value === '' || c.maxAge === 0) delete this.cookies[c.name]
      else this.cookies[c.name] = c.value
    }
    return res
  }
  get header(): string {
    return Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ')
  }
}

const csrfIn = (html: string) => decode(/name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '')
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

forEachDialect('reader accounts over HTTP', (dialect) => {
  let t: TestApp
  let editor: Actor
  let story: ArticleView
  let storyPath: string

  before(async () => {
    t = await testApp(dialect)
    editor = await anEditor(t.ctx, { displayName: 'Maria Lindqvist' })
    await aSection(t.ctx, 'world')
    const draft = await createArticle(t.ctx.articles, editor, {
      headline: 'Ferry crews rescue 40 from stranded tour boat',
      section: 'world',
      bodyHtml: '<p>Two ferry crews pulled 40 passengers to safety.</p>',
      topics: ['Shipping', 'Weather'],
    })
    story = await publishArticle(t.ctx.articles, editor, draft.id)
    storyPath = `/world/${story.slug}`
    // As the server's fan-out would have by now: readers who follow later are not told of this story.
    await processStoryEvents(t.ctx.readers)
  })
  after(() => t.close())

  const get = (url: string, jar?: Jar) =>
    t.app.inject({ method: 'GET', url, headers: jar ? { cookie: jar.header } : {} })
  const post = (
    url: string,
    fields: Record<string, string>,
    jar?: Jar,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, ...headers, ...(jar && { cookie: jar.header }) },
      payload: form(fields),
    })

  /** Opens an emailed sign-in link and presses its button, as a reader does. */
  const useLink = async (path: string, jar = new Jar()) => {
    const page = jar.take(await get(path, jar))
    if (page.statusCode !== 200) return page
    const token = decode(/name="token" value="([^"]+)"/.exec(page.body)?.[1] ?? '')
    return jar.take(await post('/account/verify', { token, _csrf: csrfIn(page.body) }, jar))
  }

  /** The whole sign-in by link, as a browser does it; returns the jar and where the link led. */
  async function signIn(email: string, query = ''): Promise<{ jar: Jar; location: string }> {
    const jar = new Jar()
    const page = jar.take(await get(`/account/sign-in${query}`, jar))
    assert.equal(page.statusCode, 200)
    const fields: Record<string, string> = { email, _csrf: csrfIn(page.body) }
    for (const name of ['return', 'follow']) {
      const value = new RegExp(`name="${name}" value="([^"]+)"`).exec(page.body)?.[1]
      if (value) fields[name] = decode(value)
    }
    const sent = jar.take(await post('/account/sign-in', fields, jar))
    assert.equal(sent.statusCode, 200, sent.body)
    assert.match(sent.body, /Check your email/)
    const link = linkIn(t.ctx.mail.sent.at(-1)?.text ?? '', 'http://news.test/account/verify?token=')
    assert.ok(link, 'the email carries the link')
    const verified = await useLink(link.replace('http://news.test', ''), jar)
    assert.equal(verified.statusCode, 303)
    assert.ok(jar.cookies['dateline_reader'], 'the link sets the reader cookie')
    return { jar, location: String(verified.headers.location) }
  }

  it('signs a reader in by emailed link, with a separate HttpOnly SameSite cookie, once', async () => {
    const jar = new Jar()
    const page = jar.take(await get('/account/sign-in', jar))
    jar.take(await post('/account/sign-in', { email: 'ana@example.org', _csrf: csrfIn(page.body) }, jar))
    const email = t.ctx.mail.sent.at(-1)
    assert.equal(email?.to, 'ana@example.org')
    assert.equal(email?.subject, 'Sign in to Dateline Test')
    const link = linkIn(email.text, 'http://news.test/account/verify?token=')!.replace('http://news.test', '')
    const opened = await get(link)
    assert.equal(opened.statusCode, 200)
    assert.equal(opened.headers['referrer-policy'], 'no-referrer')
    assert.match(String(opened.headers['cache-control']), /no-store/)
    assert.match(opened.body, /Continue as <strong>ana@example.org<\/strong>/)
    assert.equal(
      opened.cookies.find((c) => c.name === 'dateline_reader'),
      undefined,
      'opening signs no one in',
    )
    const scannedAgain = await get(link)
    assert.equal(scannedAgain.statusCode, 200, 'a mail scanner opening the link first spends nothing')
    const verified = await useLink(link)
    assert.equal(verified.statusCode, 303)
    assert.equal(verified.headers.location, '/account')
    assert.equal(verified.headers['referrer-policy'], 'no-referrer')
    const cookie = String(verified.headers['set-cookie'])
    assert.match(cookie, /^dateline_reader=/)
    assert.match(cookie, /HttpOnly/)
    assert.match(cookie, /SameSite=Lax/)
    const again = await get(link)
    assert.equal(again.statusCode, 400)
    assert.match(again.body, /This sign-in link has expired/)
    const replayed = await useLink(link)
    assert.equal(replayed.statusCode, 400, 'the link works once')
    const forged = await post('/account/verify', { token: link.split('token=')[1] ?? '' })
    assert.equal(forged.statusCode, 403, 'the sign-in form needs its CSRF token')
  })

  it('follows with JavaScript off: signed out, through sign-in, and back with the follow done', async () => {
    const shared = await get(storyPath)
    assert.match(shared.body, /<form method="post" action="\/account\/follows"/)
    assert.doesNotMatch(shared.body, /name="_csrf"/, 'the shared page carries no one’s token')
    const shipping = story.topics[0]!
    const pressed = await post('/account/follows', {
      target: `topic:${shipping.id}`,
      action: 'follow',
      return: storyPath,
    })
    assert.equal(pressed.statusCode, 303)
    const signInUrl = String(pressed.headers.location)
    assert.match(signInUrl, /^\/account\/sign-in\?follow=topic%3A\d+&return=%2Fworld%2F/)
    const signInPage = await get(signInUrl)
    assert.match(signInPage.body, /<h1>Sign in to follow Shipping<\/h1>/)

    const { jar, location } = await signIn('ben@example.org', signInUrl.slice('/account/sign-in'.length))
    assert.equal(location, storyPath)
    const mine = await get(storyPath, jar)
    assert.equal(mine.statusCode, 200)
    assert.equal(mine.headers['cache-control'], 'private, no-cache')
    assert.equal(mine.headers.etag, undefined)
    assert.match(
      mine.body,
      /aria-pressed="true"><span class="follow-state">Following<\/span> <span class="follow-name">Shipping/,
    )
    assert.match(mine.body, /name="_csrf" value="[^"]+"/)

    const anonymous = await get(storyPath)
    assert.ok(anonymous.headers.etag, 'everyone else still gets the shared, cached page')
    assert.equal(anonymous.body, shared.body)
  })

  it('follows and unfollows from a signed-in page with a plain form post and a redirect back', async () => {
    const { jar } = await signIn('cho@example.org')
    const page = jar.take(await get(storyPath, jar))
    const author = story.authors[0]!
    const followed = jar.take(
      await post(
        '/account/follows',
        { target: `author:${author.id}`, action: 'follow', return: storyPath, _csrf: csrfIn(page.body) },
        jar,
      ),
    )
    assert.equal(followed.statusCode, 303)
    assert.equal(followed.headers.location, storyPath)
    const account = await get('/account', jar)
    assert.match(account.body, /Author<\/span> <a href="\/author\/[^"]+">Maria Lindqvist<\/a>/)
    jar.take(
      await post(
        '/account/follows',
        { target: `author:${author.id}`, action: 'unfollow', return: '/account', _csrf: csrfIn(page.body) },
        jar,
      ),
    )
    assert.match((await get('/account', jar)).body, /You do not follow anything yet/)
  })

  it('answers the script’s background follow with JSON, and tells a signed-out one where to sign in', async () => {
    const { jar } = await signIn('dee@example.org')
    const page = jar.take(await get(storyPath, jar))
    const target = `topic:${story.topics[1]!.id}`
    const json = { accept: 'application/json' }
    const on = await post(
      '/account/follows',
      { target, action: 'follow', _csrf: csrfIn(page.body) },
      jar,
      json,
    )
    assert.equal(on.statusCode, 200)
    assert.deepEqual(on.json(), { following: true })
    const off = await post(
      '/account/follows',
      { target, action: 'unfollow', _csrf: csrfIn(page.body) },
      jar,
      json,
    )
    assert.deepEqual(off.json(), { following: false })
    const signedOut = await post(
      '/account/follows',
      { target, action: 'follow', return: storyPath },
      undefined,
      json,
    )
    assert.equal(signedOut.statusCode, 401)
    assert.equal(
      signedOut.json<{ signInUrl: string }>().signInUrl.startsWith('/account/sign-in?follow=topic'),
      true,
    )
  })

  it('refuses a follow without a valid CSRF token and changes nothing', async () => {
    const { jar } = await signIn('eve@example.org')
    jar.take(await get(storyPath, jar))
    const target = `section:${story.section.id}`
    const wrong = await post('/account/follows', { target, action: 'follow', _csrf: 'forged-token' }, jar)
    assert.equal(wrong.statusCode, 403)
    const forged = await post('/account/follows', { target, action: 'follow', _csrf: 'forged-token' }, jar, {
      accept: 'application/json',
    })
    assert.equal(forged.statusCode, 403)
    assert.equal(forged.json<{ code: string }>().code, 'FORBIDDEN')
    assert.match((await get('/account', jar)).body, /You do not follow anything yet/)
  })

  it('asks a signed-in reader to confirm a follow posted from a page without a token', async () => {
    const { jar } = await signIn('ivy@example.org')
    const target = `topic:${story.topics[1]!.id}`
    const stale = await post('/account/follows', { target, action: 'follow', return: storyPath }, jar)
    assert.equal(stale.statusCode, 303)
    const confirm = jar.take(await get(String(stale.headers.location), jar))
    assert.equal(confirm.statusCode, 200)
    assert.match(confirm.body, /<h1>Follow Weather\?<\/h1>/)
    assert.match((await get('/account', jar)).body, /You do not follow anything yet/, 'nothing changed yet')
    const done = await post(
      '/account/follows',
      { target, action: 'follow', return: storyPath, _csrf: csrfIn(confirm.body) },
      jar,
    )
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, storyPath)
    assert.match((await get('/account', jar)).body, />Weather<\/a>/)
  })

  it('refuses to send a sign-in link without the form’s CSRF token', async () => {
    const before = t.ctx.mail.sent.length
    const res = await post('/account/sign-in', { email: 'fay@example.org' })
    assert.equal(res.statusCode, 403)
    assert.equal(t.ctx.mail.sent.length, before)
  })

  it('shows new stories under the bell, and marks them read once seen', async () => {
    const { jar } = await signIn('gus@example.org', `?follow=topic%3A${story.topics[0]!.id}`)
    const draft = await createArticle(t.ctx.articles, editor, {
      headline: 'Harbour reopens after the storm',
      section: 'world',
      bodyHtml: '<p>Boats are moving again.</p>',
      topics: ['Shipping'],
    })
    await publishArticle(t.ctx.articles, editor, draft.id)
    await processStoryEvents(t.ctx.readers)
    const front = await get('/', jar)
    assert.match(front.body, /aria-label="Notifications: 1 unread notification"/)
    assert.match(front.body, /<span class="bell-count" data-unread="1">1<\/span>/)
    const list = await get('/account/notifications', jar)
    assert.equal(list.headers['cache-control'], 'private, no-store')
    assert.match(
      list.body,
      /<li class="unread"><a href="\/world\/harbour-reopens-after-the-storm">Harbour reopens after the storm<\/a>/,
    )
    assert.doesNotMatch((await get('/', jar)).body, /class="bell-count"/)
    assert.doesNotMatch((await get('/')).body, /class="bell"/, 'the shared front has no bell')
  })

  it('serves the shared page, and drops the cookie, when a reader cookie names no session', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: storyPath,
      headers: { cookie: 'dateline_reader=no-such-session-aaaaaaaaaaaaaaaa' },
    })
    assert.ok(res.headers.etag)
    assert.match(String(res.headers['set-cookie']), /dateline_reader=;/)
  })

  it('saves notification settings', async () => {
    const { jar } = await signIn('hal@example.org')
    const account = jar.take(await get('/account', jar))
    const saved = await post('/account/settings', { emailFrequency: 'off', _csrf: csrfIn(account.body) }, jar)
    assert.equal(saved.statusCode, 303)
    const after = await get('/account?saved=1', jar)
    assert.match(after.body, /Your settings are saved/)
    assert.match(after.body, /value="off" checked/)
  })

  it('exports the reader’s data as a JSON download', async () => {
    const { jar } = await signIn('ida@example.org', `?follow=topic%3A${story.topics[0]!.id}`)
    const res = await get('/account/export', jar)
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^application\/json/)
    assert.equal(res.headers['content-disposition'], 'attachment; filename="dateline-account.json"')
    assert.equal(res.headers['cache-control'], 'private, no-store')
    const data = res.json<{
      reader: { email: string }
      follows: { name: string; url: string }[]
      sessions: unknown[]
    }>()
    assert.equal(data.reader.email, 'ida@example.org')
    assert.deepEqual(
      data.follows.map((f) => [f.name, f.url]),
      [['Shipping', 'http://news.test/topic/shipping']],
    )
    assert.equal(data.sessions.length, 1)
    assert.equal((await get('/account/export')).statusCode, 303, 'signed out, it asks to sign in')
  })

  it('deletes the account and everything kept about it', async () => {
    const { jar } = await signIn('jon@example.org', `?follow=topic%3A${story.topics[0]!.id}`)
    const readerId = Number(
      (
        await t.ctx.handle.db
          .selectFrom('reader')
          .select('id')
          .where('email', '=', 'jon@example.org')
          .executeTakeFirstOrThrow()
      ).id,
    )
    const account = jar.take(await get('/account', jar))
    const refused = await post('/account/delete', { _csrf: csrfIn(account.body) }, jar)
    assert.equal(refused.statusCode, 400, 'the confirmation box must be ticked')
    const deleted = jar.take(
      await post('/account/delete', { confirm: 'yes', _csrf: csrfIn(account.body) }, jar),
    )
    assert.equal(deleted.statusCode, 200)
    assert.match(deleted.body, /Your account has been deleted/)
    assert.equal(jar.cookies['dateline_reader'], undefined)
    assert.equal(await findReaderById(t.ctx.handle.db, readerId), undefined)
    for (const table of ['follow', 'notification', 'reader_session'] as const) {
      const rows = await t.ctx.handle.db
        .selectFrom(table)
        .select('reader_id')
        .where('reader_id', '=', readerId)
        .execute()
      assert.equal(rows.length, 0, table)
    }
    const logins = await t.ctx.handle.db
      .selectFrom('reader_login_token')
      .select('email')
      .where('email', '=', 'jon@example.org')
      .execute()
    assert.equal(logins.length, 0)
  })

  it('unsubscribes in one click from the link in every new-story email', async () => {
    const { jar } = await signIn('kim@example.org')
    const reader = await t.ctx.handle.db
      .selectFrom('reader')
      .select(['id', 'unsubscribe_token'])
      .where('email', '=', 'kim@example.org')
      .executeTakeFirstOrThrow()
    const url = `/account/unsubscribe/${reader.unsubscribe_token}`
    const shown = await get(url)
    assert.equal(shown.statusCode, 200)
    assert.match(shown.body, /Unsubscribe from new-story emails\?/)
    assert.equal(
      (await findReaderById(t.ctx.handle.db, reader.id))?.emailFrequency,
      'immediately',
      'GET changes nothing',
    )
    const oneClick = await post(url, { 'List-Unsubscribe': 'One-Click' })
    assert.equal(oneClick.statusCode, 200)
    assert.equal((await findReaderById(t.ctx.handle.db, reader.id))?.emailFrequency, 'off')
    assert.match((await get('/account', jar)).body, /value="off" checked/)
    assert.equal((await post('/account/unsubscribe/not-a-real-token-aaaaaaaaaaaa', {})).statusCode, 404)
  })

  it('keeps reader and staff sessions apart', async () => {
    const staff = await t.login('editor')
    const account = await get('/account', Object.assign(new Jar(), { cookies: cookiesFrom(staff.cookie) }))
    assert.equal(account.statusCode, 303, 'a staff session is not a reader session')
    const { jar } = await signIn('lea@example.org')
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: jar.header },
    })
    assert.equal(session.json<{ user: unknown }>().user, null, 'a reader session is not a staff session')
  })

  it('signs out', async () => {
    const { jar } = await signIn('max@example.org')
    const account = jar.take(await get('/account', jar))
    const out = jar.take(await post('/account/sign-out', { _csrf: csrfIn(account.body) }, jar))
    assert.equal(out.statusCode, 303)
    assert.equal(jar.cookies['dateline_reader'], undefined)
    assert.equal((await get('/account', jar)).statusCode, 303)
  })
})

function cookiesFrom(header: string): Record<string, string> {
  return Object.fromEntries(header.split('; ').map((pair) => pair.split('=') as [string, string]))
}
