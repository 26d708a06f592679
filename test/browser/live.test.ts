import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createApiToken } from '../../src/modules/auth/index.js'
import {
  HAS_CHROMIUM,
  startBrowserSuite,
  type BrowserSuite,
  type ReaderSite,
  type TestServer,
  waitForExpression,
} from './support/browser.js'

interface ApiArticle {
  id: number
  version: number
  slug: string
  publicUpdatedAt: string
}

/**
 * Open pages move as the news moves: one browser page edits through the API, the others
 * change in place, without a reload.
 */
describe('live pages in Chromium', { skip: !HAS_CHROMIUM && 'Chromium not available' }, () => {
  let server: TestServer
  let browser: Browser
  let site: ReaderSite
  let suite: BrowserSuite | undefined
  let context: BrowserContext
  /** The newsroom side: a page on the site that calls the API with an editor's token. */
  let desk: Page
  let token: string

  /** Sends an API request from the desk page, as the newsroom app would. */
  const api = async (method: string, url: string, body?: object): Promise<ApiArticle> => {
    const result = await desk.evaluate(
      async ([method, url, body, token]) => {
        const response = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body !== undefined && { body }),
        })
        return { status: response.status, json: (await response.json()) as unknown }
      },
      [method, `/api/v1${url}`, body && JSON.stringify(body), token] as const,
    )
    assert.ok(result.status < 300, `${method} ${url}: ${result.status} ${JSON.stringify(result.json)}`)
    return result.json as ApiArticle
  }
  const current = (id: number) => api('GET', `/articles/${id}`)
  /** Opens a page and waits until its live stream is connected. */
  const openLive = async (path: string) => {
    const page = await context.newPage()
    const connected = page.waitForResponse((r) => r.url().includes('/live'))
    await page.goto(server.url + path)
    await connected
    await page.evaluate('window.__sameDocument = true')
    return page
  }
  const stayedOpen = async (page: Page) => assert.equal(await page.evaluate('window.__sameDocument'), true)

  before(async () => {
    suite = await startBrowserSuite()
    ;({ server, browser, site } = suite)
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    token = (await createApiToken(server.ctx.auth, server.editor.userId, 'live browser test')).token
    desk = await context.newPage()
    await desk.goto(`${server.url}/health`)
  })
  after(async () => {
    await suite?.close()
  })

  it('redraws an open story page when the story is updated: headline, key points, body and Updated time', async () => {
    const reader = await openLive(site.storyPath)
    const before = await current(site.story.id)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const saved = await api('PATCH', `/articles/${site.story.id}`, {
      version: before.version,
      headline: 'Ferry crews rescue all 40 from stranded tour boat',
      keyPoints: ['Everyone on board is safe', 'Tugs towed the boat to harbour', 'An inquiry will follow'],
      bodyHtml: '<p>The tour boat was towed back to harbour on Thursday morning.</p><h2>INQUIRY</h2>',
    })
    await waitForExpression(
      reader,
      "document.querySelector('h1').textContent === 'Ferry crews rescue all 40 from stranded tour boat'",
      5000,
    )
    assert.deepEqual(await reader.getByRole('list', { name: 'Key points' }).locator('li').allTextContents(), [
      'Everyone on board is safe',
      'Tugs towed the boat to harbour',
      'An inquiry will follow',
    ])
    assert.equal(
      await reader.locator('article .body p').textContent(),
      'The tour boat was towed back to harbour on Thursday morning.',
    )
    assert.equal(await reader.locator('article .body h2').textContent(), 'INQUIRY')
    const updated = reader.locator('.updated time')
    assert.equal(await updated.getAttribute('datetime'), saved.publicUpdatedAt)
    assert.notEqual(saved.publicUpdatedAt, before.publicUpdatedAt)
    assert.match((await updated.textContent()) ?? '', /^\d+ sec ago$/)
    assert.equal(await reader.title(), `Ferry crews rescue all 40 from stranded tour boat | Dateline`)
    await reader
      .locator('[data-live-status]')
      .filter({ hasText: /^This story has been updated\.$/ })
      .waitFor({ state: 'attached', timeout: 2000 })
    assert.equal(
      new URL(reader.url()).pathname,
      `${site.sectionPath}/${saved.slug}`,
      'the address follows the new slug',
    )
    await stayedOpen(reader)
    // The relative time keeps ticking after the update.
    const first = await updated.textContent()
    await waitForExpression(
      reader,
      `document.querySelector('.updated time').textContent !== ${JSON.stringify(first)}`,
      3000,
    )
    await reader.close()
  })

  it('shows the Breaking label and the dateline when an editor adds them', async () => {
    const reader = await openLive(site.storyPath)
    const before = await current(site.story.id)
    await api('PATCH', `/articles/${site.story.id}`, {
      version: before.version,
      dateline: 'Outer Islands',
      updateKind: 'minor',
    })
    await waitForExpression(
      reader,
      "document.querySelector('article .dateline')?.textContent === 'Outer Islands'",
      5000,
    )
    await stayedOpen(reader)
    await reader.close()
  })

  it('shows the breaking-news banner on another open page when a story is flagged, and keeps a dismissal', async () => {
    const front = await openLive('/')
    assert.equal(await front.locator('[data-breaking-banner]').isVisible(), false)
    const before = await current(site.story.id)
    await api('PATCH', `/articles/${site.story.id}`, {
      version: before.version,
      breaking: true,
      updateKind: 'minor',
    })
    const banner = front.getByRole('complementary', { name: 'Breaking news' })
    await banner.waitFor({ state: 'visible', timeout: 5000 })
    const link = banner.getByRole('link')
    assert.equal(await link.textContent(), 'Ferry crews rescue all 40 from stranded tour boat')
    assert.equal(await link.getAttribute('href'), `${site.sectionPath}/${before.slug}`)
    // Screen readers hear it a moment after the banner shows (the live region is emptied first).
    await front
      .locator('[data-live-status]')
      .filter({ hasText: /^Breaking news: Ferry crews/ })
      .waitFor({ state: 'attached', timeout: 2000 })
    await stayedOpen(front)

    // Readers without JavaScript get the banner in the page itself.
    const noScript = await browser.newContext({ javaScriptEnabled: false })
    const plain = await noScript.newPage()
    await plain.goto(`${server.url}${site.sectionPath}`)
    assert.equal(
      await plain.getByRole('complementary', { name: 'Breaking news' }).getByRole('link').textContent(),
      'Ferry crews rescue all 40 from stranded tour boat',
    )
    await noScript.close()

    await banner.getByRole('button', { name: 'Dismiss' }).click()
    await banner.waitFor({ state: 'hidden', timeout: 2000 })
    await front.reload()
    assert.equal(
      await front.locator('[data-breaking-banner]').isVisible(),
      false,
      'dismissed stays dismissed',
    )
    await front.close()
  })

  it('offers "1 new story" on an open section page when a story is published there, and loads it on click', async () => {
    const section = await openLive(site.sectionPath)
    const bar = section.locator('[data-new-stories]')
    assert.equal(await bar.isVisible(), false)
    const draft = await api('POST', '/articles', {
      headline: 'Lighthouse keeper spots the missing yacht',
      section: site.story.section.slug,
      bodyHtml: '<p>The yacht was found drifting.</p>',
    })
    await api('POST', `/articles/${draft.id}/publish`, {})
    const link = section.getByRole('link', { name: 'Show 1 new story' })
    await link.waitFor({ state: 'visible', timeout: 5000 })
    await stayedOpen(section)
    await link.click()
    await section
      .getByRole('link', { name: 'Lighthouse keeper spots the missing yacht' })
      .waitFor({ state: 'visible', timeout: 5000 })
    assert.equal(await bar.isVisible(), false)
    await stayedOpen(section)
    await section.close()
  })

  it('tells an open story page that the story was unpublished', async () => {
    const reader = await openLive(site.storyPath)
    await api('POST', `/articles/${site.story.id}/unpublish`, {})
    await reader
      .getByRole('status')
      .filter({ hasText: 'This story has been unpublished' })
      .waitFor({ state: 'visible', timeout: 5000 })
    await reader.close()
  })
})
