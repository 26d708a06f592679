import { AxeBuilder } from '@axe-core/playwright'
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  createArticle,
  findArticleById,
  publishArticle,
  updateArticle,
  type ArticleView,
} from '../../src/modules/articles/index.js'
import { createUser, type Role } from '../../src/modules/auth/index.js'
import { ingestDocument } from '../../src/modules/wire/index.js'
import { ninjsStory } from '../support/wire.js'
import {
  HAS_CHROMIUM,
  startBrowserSuite,
  waitForExpression,
  type BrowserSuite,
  type TestServer,
} from './support/browser.js'
import { caretToEnd, openStory, STAFF_PASSWORD } from './support/newsroom.js'

const PASSWORD = STAFF_PASSWORD
const EDITOR = 'browser.editor@dateline.invalid'
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
const BLOCKING = new Set(['serious', 'critical'])

describe('the newsroom app in Chromium', { skip: !HAS_CHROMIUM && 'Chromium not available' }, () => {
  let server: TestServer
  let browser: Browser
  let suite: BrowserSuite | undefined
  const contexts: BrowserContext[] = []
  /** Content-Security-Policy refusals and uncaught errors, per page: there must be none. */
  const pageProblems: string[] = []

  before(async () => {
    suite = await startBrowserSuite()
    ;({ server, browser } = suite)
    await staffUser('second.editor@dateline.invalid', 'Second Editor', 'editor')
    await staffUser('contributor@dateline.invalid', 'Casey Contributor', 'contributor')
  })

  after(async () => {
    await suite?.close()
  })

  const staffUser = (email: string, displayName: string, role: Role) =>
    createUser(server.ctx.auth, { email, displayName, role, password: PASSWORD })

  async function newPage(
    options: { storageState?: Awaited<ReturnType<BrowserContext['storageState']>> } = {},
  ) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options })
    contexts.push(context)
    const page = await context.newPage()
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageProblems.push(message.text())
    })
    page.on('pageerror', (error) => pageProblems.push(error.message))
    return { context, page }
  }

  async function signIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await newPage()
    await opened.page.goto(`${server.url}/newsroom/`)
    await opened.page.getByLabel('Email').fill(email)
    await opened.page.getByLabel('Password').fill(PASSWORD)
    await opened.page.getByRole('button', { name: 'Sign in' }).click()
    await opened.page.getByRole('navigation', { name: 'Story lists' }).waitFor()
    return opened
  }

  const body = (page: Page) => page.getByRole('textbox', { name: 'Story text' })
  const saveState = (page: Page) => page.locator('.save-state')
  /** The notice after a save: "Saved at …" or, if an autosave got there first, "Already saved". */
  const savedNotice = (page: Page) => page.getByRole('status').filter({ hasText: /\(version \d+\)\.$/ })

  async function typeAtEndOfBody(page: Page, text: string) {
    await caretToEnd(body(page))
    await page.keyboard.press('Enter')
    await page.keyboard.type(text)
  }

  function aDraft(headline: string): Promise<ArticleView> {
    return createArticle(server.ctx.articles, server.editor, {
      headline,
      section: 'world',
      bodyHtml: '<p>The first paragraph as the agency sent it.</p>',
    })
  }

  const serverBody = async (id: number) => (await findArticleById(server.ctx.handle.db, id))?.bodyHtml ?? ''

  it('signs in, writes a story, publishes it and shows it on the reader site', async () => {
    const { page } = await signIn(EDITOR)
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'My drafts')
    await page.getByRole('link', { name: 'New story' }).click()

    const headline = 'Harbour reopens after three days of storms'
    await page.getByLabel('Headline').fill(headline)
    assert.equal(await page.locator('#headline-count').textContent(), `${headline.length} of 200 characters`)
    assert.equal(
      await page.locator('#slug-preview').textContent(),
      'Address: /world/harbour-reopens-after-three-days-of-storms',
    )
    await page.getByLabel('Section').selectOption('world')

    await page.getByRole('button', { name: 'Add key point' }).click()
    await page.getByLabel('Key point 1', { exact: true }).fill('Ferries run again from Friday')
    await page.getByRole('button', { name: 'Add key point' }).click()
    await page.getByLabel('Key point 2', { exact: true }).fill('The port lost three days of trade')
    await page.getByRole('button', { name: 'Move key point 2 up' }).click()

    await body(page).click()
    await page.keyboard.type('The harbour reopened on Thursday after three days of storms.')
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'Subhead', exact: true }).click()
    await body(page).locator('h2').waitFor()
    await page.keyboard.type('WHAT COMES NEXT')
    await body(page).locator('h2', { hasText: 'WHAT COMES NEXT' }).waitFor()
    await page.keyboard.press('Enter')
    await page.keyboard.type('Crews will ')
    await page.getByRole('button', { name: 'Bold' }).click()
    await page.keyboard.type('inspect every pier')
    await page.getByRole('button', { name: 'Bold' }).click()
    await page.keyboard.type(' before the weekend.')

    const topics = page.getByRole('combobox', { name: 'Topics' })
    // Weather is a topic of the sample site already; Harbour is new.
    for (const [typed, option] of [
      ['Harbour', 'Add new topic “Harbour”'],
      ['Weath', 'Weather'],
    ] as const) {
      await topics.fill(typed)
      await page.getByRole('option', { name: option, exact: true }).waitFor()
      await topics.press('Enter')
    }
    await page.getByLabel('Byline').fill('By Browser Editor')
    await page.getByLabel('Source credit').fill('Dateline')
    await page.getByLabel('Photo address (/media/… or https://…)').fill('/media/sample/story-2.jpg')
    await page.getByLabel(/^Width/).fill('1200')
    await page.getByLabel(/^Height/).fill('675')
    await page.getByLabel(/^Alt text/).fill('Ferries moored in a calm harbour')
    await page.getByLabel('Caption').fill('Ferries wait to leave the harbour on Thursday.')
    await page.getByLabel('Photo credit').fill('Dateline Photo')

    await page.keyboard.press('Control+s')
    await savedNotice(page).waitFor()
    assert.equal(await saveState(page).textContent(), 'All changes saved')
    assert.match(page.url(), /\/newsroom\/stories\/\d+$/)

    await body(page).click()
    await page.keyboard.press('Control+Enter')
    const published = page.getByRole('status').filter({ hasText: /^Published at/ })
    await published.waitFor()
    assert.equal(await page.locator('.badge.published').textContent(), 'Published')
    assert.equal(await saveState(page).textContent(), 'All changes saved', 'Ctrl+Enter reached the body')

    await published.getByRole('link', { name: 'View on the site' }).click()
    await page.waitForURL(`${server.url}/world/harbour-reopens-after-three-days-of-storms`)
    assert.deepEqual(await page.locator('h1').allTextContents(), [headline])
    assert.deepEqual(await page.getByRole('list', { name: 'Key points' }).locator('li').allTextContents(), [
      'The port lost three days of trade',
      'Ferries run again from Friday',
    ])
    const article = page.locator('article')
    assert.equal(await article.locator('h2', { hasText: 'WHAT COMES NEXT' }).count(), 1)
    assert.equal(
      await article.locator('strong', { hasText: 'inspect every pier' }).count(),
      1,
      await article.locator('.body').innerHTML(),
    )
    assert.equal(await article.locator('figure img').getAttribute('alt'), 'Ferries moored in a calm harbour')
    const topicLinks = page.getByRole('navigation', { name: 'Topics' }).getByRole('link')
    assert.deepEqual(await topicLinks.allTextContents(), ['Harbour', 'Weather'])
    assert.deepEqual(pageProblems, [])
  })

  it('updates a published story as a minor fix with a correction readers see', async () => {
    const draft = await aDraft('Bridge repairs finish a week early')
    const story = await publishArticle(server.ctx.articles, server.editor, draft.id)
    const { page } = await signIn(EDITOR)
    await page.getByRole('link', { name: 'Published' }).click()
    await page.getByRole('link', { name: 'Bridge repairs finish a week early' }).click()
    await body(page).waitFor()
    assert.equal(await page.getByRole('button', { name: 'Publish now' }).count(), 0)
    await typeAtEndOfBody(page, 'An earlier version misnamed the bridge.')
    await page.getByLabel(/Minor fix/).check()
    await page.getByLabel(/^Correction note/).fill('An earlier version of this story misnamed the bridge.')
    await page.getByRole('button', { name: 'Save update' }).click()
    await savedNotice(page).waitFor()

    const saved = await findArticleById(server.ctx.handle.db, story.id)
    assert.equal(
      saved?.publicUpdatedAt?.getTime(),
      story.publicUpdatedAt?.getTime(),
      'a minor fix moved Updated',
    )
    await page.getByText('Show revisions').click()
    await page.locator('.revision-list li', { hasText: `Version ${saved?.version}: Minor fix` }).waitFor()
    assert.match((await page.locator('.revision-list').textContent()) ?? '', /Version 1: Created/)

    await page.getByRole('link', { name: 'View on the site' }).click()
    const correction = page.getByRole('complementary', { name: 'Correction' })
    await correction.waitFor()
    assert.match((await correction.textContent()) ?? '', /misnamed the bridge/)
    assert.deepEqual(pageProblems, [])
  })

  it('shows an agency version held after a desk edit beside the story, and applies it when the editor accepts', async () => {
    const uri = 'urn:newsml:browser.test:held-1'
    const [first] = await ingestDocument(server.ctx.wire, {
      bytes: ninjsStory({ uri }),
      origin: 'test',
      publish: true,
    })
    const id = first!.article!.id
    const current = await findArticleById(server.ctx.handle.db, id)
    await updateArticle(server.ctx.articles, server.editor, id, {
      version: current!.version,
      headline: 'Harbour wall gives way: the desk version',
    })
    const newer = ninjsStory({ uri, version: '2', headlines: [{ value: 'Harbour wall repaired overnight' }] })
    const [held] = await ingestDocument(server.ctx.wire, { bytes: newer, origin: 'test' })
    assert.equal(held?.status, 'held')

    const { page } = await signIn(EDITOR)
    await openStory(page, server.url, id)
    const panel = page.getByRole('region', { name: 'Held agency versions' })
    await panel.getByRole('button', { name: 'Version 2' }).click()
    await panel.getByRole('heading', { name: 'Harbour wall repaired overnight' }).waitFor()
    await panel.getByRole('button', { name: 'Use this version' }).click()
    await page.waitForFunction(
      (text) => (document.querySelector<HTMLInputElement>('#headline')?.value ?? '') === text,
      'Harbour wall repaired overnight',
    )
    assert.equal(
      (await findArticleById(server.ctx.handle.db, id))?.headline,
      'Harbour wall repaired overnight',
    )
    assert.equal(await panel.count(), 0, 'nothing left to review')
    assert.deepEqual(pageProblems, [])
  })

  it('lets a contributor save a draft but not publish it: no button, and the API refuses', async () => {
    const { page } = await signIn('contributor@dateline.invalid')
    assert.equal(await page.getByRole('link', { name: 'All drafts' }).count(), 0)
    await page.getByRole('link', { name: 'New story' }).click()
    await page.getByLabel('Headline').fill('Council votes to keep the library open late')
    await body(page).click()
    await page.keyboard.type('The council voted on Tuesday night.')
    await page.getByRole('button', { name: 'Save draft' }).click()
    await savedNotice(page).waitFor()

    assert.equal(await page.getByRole('button', { name: /Publish/ }).count(), 0)
    assert.equal(await page.getByRole('button', { name: /Schedule/ }).count(), 0)
    await page.keyboard.press('Control+Enter')
    assert.equal(await page.locator('.badge').first().textContent(), 'Draft')

    const id = Number(/stories\/(\d+)$/.exec(page.url())?.[1])
    const session = await page.request.get(`${server.url}/api/v1/session`)
    const { csrfToken } = (await session.json()) as { csrfToken: string }
    const refused = await page.request.post(`${server.url}/api/v1/articles/${id}/publish`, {
      headers: { 'x-csrf-token': csrfToken },
      data: {},
    })
    assert.equal(refused.status(), 403)
    assert.equal(((await refused.json()) as { code: string }).code, 'FORBIDDEN')
    assert.equal((await findArticleById(server.ctx.handle.db, id))?.status, 'draft')
    assert.deepEqual(pageProblems, [])
  })

  it('refuses the second of two editors a stale save, says so, and keeps their text', async () => {
    const story = await aDraft('Two editors open the same story')
    const first = await signIn(EDITOR)
    const second = await signIn('second.editor@dateline.invalid')
    await openStory(first.page, server.url, story.id)
    await openStory(second.page, server.url, story.id)

    await first.page.getByLabel('Headline').fill('Two editors open the same story, one saves')
    await first.page.keyboard.press('Control+s')
    await first.page.getByRole('status').filter({ hasText: '(version 2)' }).waitFor()

    await typeAtEndOfBody(second.page, 'A paragraph only the second editor wrote.')
    await second.page.keyboard.press('Control+s')
    const alert = second.page.getByRole('alert').filter({ hasText: 'someone else changed this story' })
    await alert.waitFor()
    assert.match(
      (await alert.textContent()) ?? '',
      /The server now has version 2.*you started from version 1/,
    )
    assert.match((await body(second.page).textContent()) ?? '', /A paragraph only the second editor wrote\./)
    assert.equal(await second.page.getByLabel('Headline').inputValue(), 'Two editors open the same story')
    assert.equal(await saveState(second.page).textContent(), 'Not saved: conflict (kept in this browser)')
    assert.doesNotMatch(await serverBody(story.id), /second editor/)

    await second.page.getByRole('button', { name: 'Save mine over version 2' }).click()
    await second.page.getByRole('status').filter({ hasText: '(version 3)' }).waitFor()
    assert.match(await serverBody(story.id), /A paragraph only the second editor wrote\./)
    assert.deepEqual(pageProblems, [])
  })

  it('cleans text pasted from Word or a web page down to what the site shows', async () => {
    const story = await aDraft('Pasted copy from elsewhere')
    const { page } = await signIn(EDITOR)
    await openStory(page, server.url, story.id)
    await caretToEnd(body(page))
    await page.keyboard.press('Enter')
    // Any script or handler in the paste that ran would call alert(); count the calls.
    await page.evaluate(() => {
      const counted = window as unknown as { alerted?: number }
      window.alert = () => {
        counted.alerted = (counted.alerted ?? 0) + 1
      }
    })
    // What Word and Google Docs put on the clipboard: styles, classes, Office tags,
    // conditional comments, a wrapper <b> that is not bold, and a script for good measure.
    const pasted =
      '<!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]-->' +
      '<b style="font-weight:normal" id="docs-internal-guid-1234">' +
      '<p class=MsoNormal style="margin:0;font-family:Calibri"><span style="font-size:12pt">Council ' +
      '<b><span style="color:red">approves</span></b> the budget<o:p></o:p></span></p>' +
      '<h1 style="mso-outline-level:1">Reaction</h1>' +
      '<p><a href="javascript:alert(1)" onclick="alert(2)">Unsafe link</a> and ' +
      '<a href="https://example.org/vote">the vote</a>.<script>alert(3)</script></p>' +
      '<table><tr><td>Cell text</td></tr></table></b>'
    await body(page).evaluate((element, html) => {
      const data = new DataTransfer()
      data.setData('text/html', html)
      data.setData('text/plain', 'Council approves the budget')
      element.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      )
    }, pasted)
    await body(page).getByText('Cell text').waitFor()
    // Reading the pasted markup trips the CSP on its inline styles and handler: refused, as
    // they should be, and reported on the console; those reports are no fault of the page.
    const refusedByCsp = (m: string) => /violates the following Content Security Policy directive/.test(m)
    pageProblems.splice(0, pageProblems.length, ...pageProblems.filter((m) => !refusedByCsp(m)))
    await page.keyboard.press('Control+s')
    await savedNotice(page).waitFor()
    const saved = await serverBody(story.id)
    assert.match(saved, /<p>Council <strong>approves<\/strong> the budget<\/p><h2>Reaction<\/h2>/)
    assert.match(saved, /<a [^>]*href="https:\/\/example\.org\/vote"[^>]*>the vote<\/a>/)
    assert.match(saved, /Cell text/)
    assert.doesNotMatch(
      saved,
      /style=|class=|MsoNormal|<span|<o:p|mso|<script|javascript:|onclick|<table|<h1|<b\b/,
    )
    await body(page).getByText('Unsafe link').click()
    const alerts = () => page.evaluate(() => (window as unknown as { alerted?: number }).alerted)
    assert.equal(await alerts(), undefined, 'nothing pasted ran')
    await page.evaluate(() => window.alert('the counter counts'))
    assert.equal(await alerts(), 1)
    assert.deepEqual(pageProblems, [])
  })

  it('recovers the text from the local copy after the browser closes mid-edit', async () => {
    const story = await aDraft('A story whose editor loses the tab')
    const { context, page } = await signIn(EDITOR)
    await openStory(page, server.url, story.id)
    // The network drops before autosave can reach the server: only the browser's copy has the words.
    await context.route('**/api/v1/articles/**', (route) =>
      route.request().method() === 'PATCH' ? route.abort('internetdisconnected') : route.continue(),
    )
    await typeAtEndOfBody(page, 'Words typed just before the crash.')
    await waitForExpression(
      page,
      `Object.keys(localStorage).some((k) => localStorage.getItem(k).includes('just before the crash.'))`,
      10000,
    )
    const storage = await context.storageState()
    await context.close()
    assert.doesNotMatch(await serverBody(story.id), /just before the crash/, 'the server had it already')

    const reopened = await newPage({ storageState: storage })
    await openStory(reopened.page, server.url, story.id)
    await reopened.page.getByRole('status').filter({ hasText: 'Recovered unsaved changes' }).waitFor()
    assert.match((await body(reopened.page).textContent()) ?? '', /Words typed just before the crash\./)
    assert.equal(await saveState(reopened.page).textContent(), 'Unsaved changes (kept in this browser)')
    await reopened.page.keyboard.press('Control+s')
    await savedNotice(reopened.page).waitFor()
    assert.match(await serverBody(story.id), /Words typed just before the crash\./)
    assert.deepEqual(pageProblems, [])
  })

  it('asks before signing out with text not yet saved, and leaves no copy in the browser after', async () => {
    const story = await aDraft('A story left on a shared computer')
    const { context, page } = await signIn(EDITOR)
    await openStory(page, server.url, story.id)
    await context.route('**/api/v1/articles/**', (route) =>
      route.request().method() === 'PATCH' ? route.abort('internetdisconnected') : route.continue(),
    )
    await typeAtEndOfBody(page, 'Words not on the server yet.')
    const copies = `Object.keys(localStorage).filter((k) => k.startsWith('dateline.newsroom.')).length`
    await waitForExpression(page, `${copies} > 0`, 10000)

    const questions: string[] = []
    page.once('dialog', (dialog) => {
      questions.push(dialog.message())
      void dialog.dismiss()
    })
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForTimeout(200)
    assert.match(questions[0] ?? '', /not saved on the server yet.*Sign out and discard it\?/)
    assert.ok(await body(page).isVisible(), 'staying keeps the editor and its text')
    assert.ok((await page.evaluate<number>(copies)) > 0)

    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Email').waitFor()
    assert.equal(await page.evaluate(copies), 0)
    assert.deepEqual(
      pageProblems.filter((m) => !/Failed to load resource|internetdisconnected/.test(m)),
      [],
    )
    pageProblems.length = 0
  })

  it('has no serious or critical axe violations on the sign-in, list and editor screens', async () => {
    const story = await aDraft('A story for the accessibility check')
    const signedOut = await newPage()
    await signedOut.page.goto(`${server.url}/newsroom/`)
    await signedOut.page.getByLabel('Email').waitFor()
    const { page } = await signIn(EDITOR)
    const screens: [string, Page, () => Promise<void>][] = [
      ['sign-in', signedOut.page, async () => {}],
      [
        'published list',
        page,
        () => page.goto(`${server.url}/newsroom/stories?status=published`).then(() => undefined),
      ],
      ['editor', page, () => openStory(page, server.url, story.id)],
      ['new story', page, () => page.goto(`${server.url}/newsroom/stories/new`).then(() => undefined)],
    ]
    for (const [name, screenPage, open] of screens) {
      await open()
      await screenPage.locator('h1').waitFor()
      if (name === 'published list') await screenPage.locator('table.stories').waitFor()
      const results = await new AxeBuilder({ page: screenPage }).withTags(WCAG_TAGS).analyze()
      assert.ok(results.passes.length > 10, `${name}: axe checked almost nothing`)
      const blocking = results.violations.filter((v) => BLOCKING.has(v.impact ?? ''))
      const minor = results.violations.filter((v) => !BLOCKING.has(v.impact ?? ''))
      if (minor.length > 0)
        console.log(`# axe, newsroom ${name}: ${minor.map((v) => `${v.impact} ${v.id}`).join(', ')}`)
      assert.deepEqual(
        blocking.map(
          (v) =>
            `${name}: ${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
        ),
        [],
      )
    }
    assert.deepEqual(pageProblems, [])
  })
})
