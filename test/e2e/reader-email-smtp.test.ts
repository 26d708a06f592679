import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createArticle, publishArticle } from '../../src/modules/articles/index.js'
import type { Actor } from '../../src/modules/auth/index.js'
import { processStoryEvents } from '../../src/modules/readers/index.js'
import { aSection, anEditor } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { cookiesOf, decode, testApp, type TestApp } from '../support/http.js'
import { linkIn, startSmtpServer, type TestSmtpServer } from '../support/mail.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

/**
 * Reader email end to end through a real SMTP server on loopback: the app is configured
 * with SMTP_URL as in production, nodemailer speaks SMTP to smtp-server, and the tests
 * read the MIME messages it received.
 */
forEachDialect('reader email over SMTP', (dialect) => {
  let smtp: TestSmtpServer
  let t: TestApp
  let editor: Actor

  before(async () => {
    smtp = await startSmtpServer()
    t = await testApp(dialect, {
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Dateline Test <news@news.test>' },
      configuredMailer: true,
    })
    editor = await anEditor(t.ctx)
    await aSection(t.ctx, 'world')
    await publishStory('Ferries cancelled as gales sweep the coast', ['Shipping'])
  })
  after(async () => {
    await t?.close()
    await smtp?.close()
  })

  async function publishStory(headline: string, topics: string[]) {
    const draft = await createArticle(t.ctx.articles, editor, {
      headline,
      section: 'world',
      keyPoints: ['Services resume tomorrow'],
      bodyHtml: '<p>Text.</p>',
      topics,
    })
    const story = await publishArticle(t.ctx.articles, editor, draft.id)
    await processStoryEvents(t.ctx.readers)
    return story
  }

  /** Asks for a sign-in link through the site's form; returns the response. */
  async function askForLink(email: string, query = '') {
    return submitForm(`/account/sign-in${query}`, '/account/sign-in', { email }, ['follow'])
  }

  /** Opens a page with a form and posts it back with its CSRF token and the named hidden fields. */
  async function submitForm(
    pageUrl: string,
    action: string,
    fields: Record<string, string>,
    hidden: string[],
  ) {
    const page = await t.app.inject({ method: 'GET', url: pageUrl })
    fields['_csrf'] = decode(/name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '')
    for (const name of hidden) {
      const value = new RegExp(`name="${name}" value="([^"]+)"`).exec(page.body)?.[1]
      if (value) fields[name] = decode(value)
    }
    return t.app.inject({
      method: 'POST',
      url: action,
      headers: {
        ...FORM,
        cookie: Object.entries(cookiesOf(page))
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
      payload: new URLSearchParams(fields).toString(),
    })
  }

  it('delivers the sign-in link by SMTP, and the link signs the reader in with the follow done', async () => {
    const shipping = await t.ctx.handle.db
      .selectFrom('topic')
      .select('id')
      .where('slug', '=', 'shipping')
      .executeTakeFirstOrThrow()
    const asked = await askForLink('reader@example.org', `?follow=topic%3A${shipping.id}`)
    assert.equal(asked.statusCode, 200)
    const email = await smtp.waitFor((m) => m.to.includes('reader@example.org') && /Sign in/.test(m.subject))
    assert.equal(email.from, 'news@news.test')
    assert.equal(email.headers['from'], 'Dateline Test <news@news.test>')
    assert.match(email.text, /sign in to Dateline Test and follow Shipping/)
    const link = linkIn(email.text, 'http://news.test/account/verify?token=')
    assert.ok(link)
    const verified = await submitForm(link.replace('http://news.test', ''), '/account/verify', {}, ['token'])
    assert.equal(verified.statusCode, 303)
    const follows = await t.ctx.handle.db
      .selectFrom('follow')
      .innerJoin('reader', 'reader.id', 'follow.reader_id')
      .select(['follow.kind', 'follow.target_id'])
      .where('reader.email', '=', 'reader@example.org')
      .execute()
    assert.deepEqual(
      follows.map((f) => [f.kind, f.target_id]),
      [['topic', shipping.id]],
    )
  })

  it('emails a new story on a followed topic, with one-click unsubscribe headers', async () => {
    const story = await publishStory('Harbour reopens after the storm', ['Shipping'])
    assert.deepEqual(await t.ctx.jobs.runDue(), { done: 1, retried: 0, failed: 0 })
    const email = await smtp.waitFor((m) => m.subject === 'Shipping: Harbour reopens after the storm')
    assert.deepEqual(email.to, ['reader@example.org'])
    assert.match(
      email.headers['list-unsubscribe'] ?? '',
      /^<http:\/\/news\.test\/account\/unsubscribe\/[\w-]+>$/,
    )
    assert.equal(email.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click')
    assert.match(email.headers['message-id'] ?? '', /^<new-story\.\d+\.\d+@news\.test>$/)
    assert.match(email.text, new RegExp(`Read the story: http://news\\.test/world/${story.slug}`))
    assert.match(email.text, /Services resume tomorrow/)
  })

  it('tries again later when the server defers, and delivers once', async () => {
    smtp.deferNext(1)
    await publishStory('Ferry timetable restored', ['Shipping'])
    assert.deepEqual(await t.ctx.jobs.runDue(), { done: 0, retried: 1, failed: 0 })
    const job = await t.ctx.handle.db
      .selectFrom('job')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.match(job.last_error ?? '', /451/)
    t.ctx.clock.advance(30_000)
    assert.deepEqual(await t.ctx.jobs.runDue(), { done: 1, retried: 0, failed: 0 })
    await smtp.waitFor((m) => m.subject === 'Shipping: Ferry timetable restored')
    assert.equal(smtp.received.filter((m) => m.subject === 'Shipping: Ferry timetable restored').length, 1)
  })

  it('gives up at once on an address the server refuses', async () => {
    smtp.refuse('reader@example.org')
    await publishStory('Lighthouse keeper retires after forty years', ['Shipping'])
    assert.deepEqual(await t.ctx.jobs.runDue(), { done: 1, retried: 0, failed: 0 })
    t.ctx.clock.advance(60 * 60_000)
    assert.deepEqual(
      await t.ctx.jobs.runDue(),
      { done: 0, retried: 0, failed: 0 },
      'and never tries it again',
    )
    assert.ok(!smtp.received.some((m) => m.subject.includes('Lighthouse keeper')))
  })

  it('says so when the sign-in email cannot be sent right now', async () => {
    smtp.deferNext(1)
    const asked = await askForLink('later@example.org')
    assert.equal(asked.statusCode, 503)
    assert.match(asked.body, /We could not send the email just now/)
  })
})
