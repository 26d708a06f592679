import { AxeBuilder } from '@axe-core/playwright'
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { createArticle, publishArticle } from '../../src/modules/articles/index.js'
import { linkIn, startSmtpServer, type TestSmtpServer } from '../support/mail.js'
import {
  HAS_CHROMIUM,
  startBrowserSuite,
  type BrowserSuite,
  type ReaderSite,
  type TestServer,
  waitForExpression,
} from './support/browser.js'

const READER = 'follower@example.org'

/**
 * The whole follow loop in Chromium against a real server and a real SMTP server on
 * loopback: a signed-out reader presses Follow on a story, signs in through the emailed
 * link, comes back with the follow done; an editor publishes on that topic; the bell and
 * the inbox both show it.
 */
describe('following a topic in Chromium', { skip: !HAS_CHROMIUM && 'Chromium not available' }, () => {
  let smtp: TestSmtpServer
  let server: TestServer
  let browser: Browser
  let site: ReaderSite
  let suite: BrowserSuite | undefined
  let page: Page

  before(async () => {
    smtp = await startSmtpServer()
    suite = await startBrowserSuite({
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Dateline <news@dateline.invalid>' },
    })
    ;({ server, browser, site } = suite)
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
  })

  after(async () => {
    await suite?.close()
    await smtp?.close()
  })

  const followButton = (name: string) => page.locator('form[data-follow] button', { hasText: name }).first()

  it('takes a signed-out reader who presses Follow through sign-in by email and back, following', async () => {
    await page.goto(server.url + site.storyPath)
    const shipping = followButton('Shipping')
    assert.equal(await shipping.textContent(), 'Follow Shipping')
    assert.equal(await shipping.getAttribute('aria-pressed'), 'false')
    await shipping.click()

    await page.waitForURL(/\/account\/sign-in\?follow=topic/)
    assert.equal(await page.locator('h1').textContent(), 'Sign in to follow Shipping')
    await page.getByLabel('Email address').fill(READER)
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
    await page.getByRole('heading', { name: 'Check your email' }).waitFor({ timeout: 5000 })

    const email = await smtp.waitFor((m) => m.to.includes(READER) && m.subject === 'Sign in to Dateline')
    const link = linkIn(email.text, `${server.url}/account/verify?token=`)
    assert.ok(link, 'the email carries the sign-in link')
    await page.goto(link)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(server.url + site.storyPath)
    assert.equal(await followButton('Shipping').textContent(), 'Following Shipping')
    assert.equal(await followButton('Shipping').getAttribute('aria-pressed'), 'true')
    assert.ok(await page.locator('a.bell').isVisible(), 'the bell shows for a signed-in reader')
    assert.equal(await page.locator('.bell-count').count(), 0)
  })

  it('unfollows and follows again without a reload', async () => {
    await page.evaluate('window.__sameDocument = true')
    await followButton('Shipping').click()
    await waitForExpression(
      page,
      `document.querySelector('form[data-follow] button').getAttribute('aria-pressed') === 'false'`,
      3000,
    )
    assert.equal(await followButton('Shipping').textContent(), 'Follow Shipping')
    await followButton('Shipping').click()
    await waitForExpression(
      page,
      `document.querySelector('form[data-follow] button').getAttribute('aria-pressed') === 'true'`,
      3000,
    )
    assert.equal(await page.evaluate('window.__sameDocument'), true, 'the page did not reload')
    await page.reload()
    assert.equal(await followButton('Shipping').textContent(), 'Following Shipping', 'the server kept it')
  })

  it('rings the bell and sends an email when an editor publishes on the followed topic', async () => {
    const draft = await createArticle(server.ctx.articles, server.editor, {
      headline: 'Coastguard warns of more fog in the shipping lanes',
      section: 'world',
      keyPoints: ['Visibility may fall below 100 metres'],
      bodyHtml: '<p>The coastguard issued a new warning on Thursday.</p>',
      topics: ['Shipping'],
    })
    const story = await publishArticle(server.ctx.articles, server.editor, draft.id)

    const email = await smtp.waitFor(
      (m) => m.to.includes(READER) && m.subject === `Shipping: ${story.headline}`,
      10_000,
    )
    assert.match(email.text, new RegExp(`${server.url}/world/${story.slug}`))
    assert.equal(email.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click')

    const deadline = Date.now() + 5000
    while ((await page.locator('.bell-count').count()) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      await page.reload()
    }
    assert.equal(await page.locator('.bell-count').textContent(), '1')
    assert.equal(
      await page.locator('a.bell').getAttribute('aria-label'),
      'Notifications: 1 unread notification',
    )

    await page.locator('a.bell').click()
    await page.waitForURL(`${server.url}/account/notifications`)
    assert.deepEqual(await page.locator('.notifications li a').allTextContents(), [story.headline])
    await page.goto(server.url + site.storyPath)
    assert.equal(await page.locator('.bell-count').count(), 0, 'seen notifications no longer count')
  })

  it('has no serious or critical axe violations on the reader’s own pages', async () => {
    const signedOut = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const signInPage = await signedOut.newPage()
    await signInPage.goto(`${server.url}/account/sign-in`)
    for (const path of [site.storyPath, '/account', '/account/notifications']) {
      await page.goto(server.url + path)
      if (path === site.storyPath) await page.locator('details.follow-more summary').click()
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze()
      const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      assert.deepEqual(
        blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        [],
        path,
      )
    }
    const signInResults = await new AxeBuilder({ page: signInPage })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze()
    assert.deepEqual(
      signInResults.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id),
      [],
    )
    await signedOut.close()
  })
})
