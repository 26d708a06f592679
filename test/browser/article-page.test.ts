import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { updateArticle } from '../../src/modules/articles/index.js'
import {
  HAS_CHROMIUM,
  startBrowserSuite,
  type BrowserSuite,
  type ReaderSite,
  type TestServer,
  waitForExpression,
} from './support/browser.js'

const RELATIVE_SECONDS = /^\d+ sec ago$/

describe('the article page in Chromium', { skip: !HAS_CHROMIUM && 'Chromium not available' }, () => {
  let server: TestServer
  let browser: Browser
  let site: ReaderSite
  let suite: BrowserSuite | undefined
  let context: BrowserContext
  let page: Page

  before(async () => {
    suite = await startBrowserSuite()
    ;({ server, browser, site } = suite)
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    page = await context.newPage()
    await page.goto(server.url + site.storyPath)
  })

  after(async () => {
    await suite?.close()
  })

  it('shows the headline as the one h1', async () => {
    assert.deepEqual(await page.locator('h1').allTextContents(), [site.story.headline])
  })

  it('shows the hero photo with its alt text, and its caption and credit beneath', async () => {
    const figure = page.locator('article figure.hero')
    const img = figure.locator('img')
    assert.equal(await img.getAttribute('alt'), 'A ferry beside a small tour boat in fog')
    assert.equal(await img.getAttribute('src'), '/media/sample/story-1.jpg')
    assert.ok(await img.isVisible())
    await waitForExpression(
      page,
      "document.querySelector('article figure.hero img').naturalWidth === 1200",
      3000,
    )
    assert.equal(
      await figure.locator('figcaption').textContent(),
      'A ferry reaches the stranded tour boat near the outer islands. (Dateline Photo/Coastguard)',
    )
    assert.equal(await figure.locator('figcaption .credit').textContent(), '(Dateline Photo/Coastguard)')
  })

  it('lists the key points', async () => {
    assert.deepEqual(await page.getByRole('list', { name: 'Key points' }).locator('li').allTextContents(), [
      'All 40 passengers are safe',
      'The boat lost power near the outer islands',
    ])
  })

  it('shows the short URL in a labelled field with a Copy button that copies it', async () => {
    const field = page.getByLabel('Short Url')
    const shortUrl = `${server.url}/s/${site.story.shortCode}`
    assert.equal(await field.inputValue(), shortUrl)
    const button = page.getByRole('button', { name: 'Copy' })
    assert.ok(await button.isVisible(), 'the Copy button stays hidden with JavaScript on')
    await button.click()
    await page.getByRole('button', { name: 'Copied' }).waitFor({ timeout: 2000 })
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), shortUrl)
  })

  it('copies the short URL where the Clipboard API is missing (plain-http sites)', async () => {
    const insecure = await context.newPage()
    await insecure.addInitScript({
      content: 'Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined })',
    })
    await insecure.goto(server.url + site.storyPath)
    assert.equal(await insecure.evaluate('typeof navigator.clipboard'), 'undefined')
    await insecure.getByRole('button', { name: 'Copy' }).click()
    await insecure.getByRole('button', { name: 'Copied' }).waitFor({ timeout: 2000 })
    assert.equal(
      await page.evaluate('navigator.clipboard.readText()'),
      `${server.url}/s/${site.story.shortCode}`,
    )
    await insecure.close()
  })

  it('shows when the story was updated as "N sec ago" and keeps it ticking without a reload', async () => {
    const updated = page.locator('.meta .updated time')
    assert.equal(await updated.getAttribute('datetime'), site.story.publicUpdatedAt!.toISOString())
    const first = (await updated.textContent()) ?? ''
    assert.match(first, RELATIVE_SECONDS)
    await waitForExpression(
      page,
      `document.querySelector('.meta .updated time').textContent !== ${JSON.stringify(first)}`,
      2500,
    )
    assert.match((await updated.textContent()) ?? '', RELATIVE_SECONDS)
  })

  it('sends a reader who follows the short URL to the canonical story URL', async () => {
    const reader = await context.newPage()
    const response = await reader.goto(`${server.url}/s/${site.story.shortCode}`)
    assert.equal(response?.status(), 200)
    assert.equal(reader.url(), server.url + site.storyPath)
    assert.equal(
      await reader.locator('link[rel=canonical]').getAttribute('href'),
      server.url + site.storyPath,
    )
    assert.equal(await reader.locator('h1').textContent(), site.story.headline)
    await reader.close()
  })

  it('reads without JavaScript: headline, body and updated time, and no dead Copy button', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false })
    const reader = await noScript.newPage()
    await reader.goto(server.url + site.storyPath)
    assert.equal(await reader.locator('h1').textContent(), site.story.headline)
    assert.match(
      (await reader.locator('article .body').textContent()) ?? '',
      /Two ferry crews pulled 40 passengers/,
    )
    assert.ok(await reader.locator('article .body').isVisible())
    const updated = reader.locator('.meta .updated')
    assert.ok(await updated.isVisible())
    assert.match((await updated.textContent()) ?? '', /^Updated \d+ sec ago$/)
    assert.equal(
      await reader.locator('.shorturl input').inputValue(),
      `${server.url}/s/${site.story.shortCode}`,
    )
    assert.equal(
      await reader.getByRole('button', { name: 'Copy' }).count(),
      0,
      'a Copy button that cannot work',
    )
    await noScript.close()
  })

  it('fits a 390px phone screen without sideways scrolling, front and story', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const reader = await phone.newPage()
    for (const path of ['/', site.storyPath]) {
      await reader.goto(server.url + path)
      const width = await reader.evaluate('document.documentElement.scrollWidth')
      assert.ok(Number(width) <= 390, `${path} is ${String(width)}px wide on a 390px screen`)
    }
    const copy = reader.getByRole('button', { name: 'Copy' })
    const box = await copy.boundingBox()
    assert.ok(box && box.x + box.width <= 390, 'the Copy button is off screen')
    await phone.close()
  })

  // Last: it takes the story's key points away.
  it('describes the story in its metadata as plain text, not HTML source', async () => {
    const { story } = site
    await page.goto(server.url + site.storyPath)
    assert.equal(await page.locator('meta[name=description]').getAttribute('content'), story.keyPoints[0])
    await updateArticle(server.ctx.articles, server.editor, story.id, {
      version: story.version,
      keyPoints: [],
    })
    await page.goto(server.url + site.storyPath)
    const description = (await page.locator('meta[name=description]').getAttribute('content')) ?? ''
    assert.match(description, /guests of Smith & Sons Tours/)
    assert.doesNotMatch(description, /&amp;|<|>/)
    const jsonLd = JSON.parse(
      (await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}',
    ) as {
      description?: string
    }
    assert.equal(jsonLd.description, description)
  })
})
