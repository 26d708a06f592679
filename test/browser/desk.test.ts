import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  createArticle,
  findArticleById,
  publishArticle,
  setEmbargo,
  submitForReview,
} from '../../src/modules/articles/index.js'
import { createUser, type Actor, type Role } from '../../src/modules/auth/index.js'
import { createTopic } from '../../src/modules/taxonomy/index.js'
import { HAS_CHROMIUM, startBrowserSuite, type BrowserSuite, type TestServer } from './support/browser.js'
import { axeCheck, signInToNewsroom, STAFF_PASSWORD } from './support/newsroom.js'

const EDITOR = 'browser.editor@dateline.invalid'
const CONTRIBUTOR = 'desk.contributor@dateline.invalid'

describe(
  'the desk in Chromium: review, embargo, lists, pickers',
  { skip: !HAS_CHROMIUM && 'Chromium not available' },
  () => {
    let server: TestServer
    let browser: Browser
    let suite: BrowserSuite | undefined
    let contributor: Actor
    const contexts: BrowserContext[] = []
    const pageProblems: string[] = []

    before(async () => {
      suite = await startBrowserSuite()
      ;({ server, browser } = suite)
      contributor = await staffUser(CONTRIBUTOR, 'Dana Contributor', 'contributor')
      await createTopic(server.ctx.taxonomy, { name: 'Donald Trump', aliases: ['Trump', 'POTUS'] })
    })
    after(async () => {
      await suite?.close()
    })

    async function staffUser(email: string, displayName: string, role: Role): Promise<Actor> {
      const user = await createUser(server.ctx.auth, { email, displayName, role, password: STAFF_PASSWORD })
      return { userId: user.id, role, via: 'cli' }
    }

    async function signIn(email: string): Promise<Page> {
      const { context, page } = await signInToNewsroom(browser, server.url, email, pageProblems)
      contexts.push(context)
      return page
    }

    const body = (page: Page) => page.getByRole('textbox', { name: 'Story text' })
    const nav = (page: Page) => page.getByRole('navigation', { name: 'Story lists' })
    const rows = (page: Page) => page.locator('table.stories tbody tr')
    const headlines = async (page: Page) =>
      (await page.locator('table.stories tbody td:first-child a').allTextContents()).sort()

    /** The list's "Showing …" line as it is now. */
    const showing = async (page: Page) =>
      (await page
        .getByRole('status')
        .filter({ hasText: /^Showing/ })
        .textContent()) ?? ''

    async function waitForList(page: Page) {
      await page
        .getByRole('status')
        .filter({ hasText: /^(Showing|No stories)/ })
        .waitFor()
    }

    async function checkAxe(page: Page, name: string) {
      const { blocking, minor, passes } = await axeCheck(page)
      assert.ok(passes > 10, `${name}: axe checked almost nothing`)
      if (minor.length > 0) console.log(`# axe, desk ${name}: ${minor.join(', ')}`)
      assert.deepEqual(
        blocking.map((problem) => `${name}: ${problem}`),
        [],
      )
    }

    it('lets a contributor write a story, tag it by an alias and submit it for review, but not publish', async () => {
      const page = await signIn(CONTRIBUTOR)
      await page.getByRole('link', { name: 'New story' }).click()
      await page.getByLabel('Headline').fill('Summit talks move to a second day')
      await body(page).click()
      await page.keyboard.type('Negotiators agreed on Tuesday to keep talking for another day.')

      const topics = page.getByRole('combobox', { name: 'Topics' })
      await topics.fill('potus')
      const option = page.getByRole('option', { name: 'Donald Trump (also: POTUS)' })
      await option.waitFor()
      assert.equal(await topics.getAttribute('aria-expanded'), 'true')
      assert.equal(await option.getAttribute('aria-selected'), 'true')
      await topics.press('Enter')
      await page.getByRole('list', { name: 'Topics picked' }).getByText('Donald Trump').waitFor()
      assert.equal(await topics.inputValue(), '')
      assert.equal(await page.getByRole('button', { name: 'New topic with aliases…' }).count(), 0)

      await page.getByRole('button', { name: 'Submit for review' }).click()
      await page
        .getByRole('status')
        .filter({ hasText: /^Submitted for review at/ })
        .waitFor()
      await page.locator('.desk-panel .badge.review', { hasText: 'Waiting for review' }).waitFor()
      assert.equal(await page.getByRole('button', { name: /Publish|Approve/ }).count(), 0)
      await page.keyboard.press('Control+Enter')

      const id = Number(/stories\/(\d+)$/.exec(page.url())?.[1])
      const stored = await findArticleById(server.ctx.handle.db, id)
      assert.equal(stored?.status, 'draft')
      assert.ok(stored?.submittedAt, 'the story waits for review')
      const session = await page.request.get(`${server.url}/api/v1/session`)
      const { csrfToken } = (await session.json()) as { csrfToken: string }
      const refused = await page.request.post(`${server.url}/api/v1/articles/${id}/publish`, {
        headers: { 'x-csrf-token': csrfToken },
        data: {},
      })
      assert.equal(refused.status(), 403)
      assert.deepEqual(pageProblems, [])
    })

    it('lets an editor find the story under Submitted for review, approve it and read it on the site', async () => {
      const page = await signIn(EDITOR)
      const reviewLink = nav(page).getByRole('link', { name: /^Submitted for review/ })
      await reviewLink.locator('.count', { hasText: '1' }).waitFor()
      await reviewLink.click()
      await waitForList(page)
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Submitted for review')
      assert.deepEqual(await headlines(page), ['Summit talks move to a second day'])
      assert.match((await rows(page).first().textContent()) ?? '', /Waiting for review/)
      await page.getByRole('link', { name: 'Summit talks move to a second day' }).click()
      await body(page).waitFor()

      // The shortcut help lists the review keys; Alt+Shift+A approves and publishes.
      await page.locator('h1').click()
      await page.keyboard.press('?')
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
      await help.waitFor()
      assert.match((await help.textContent()) ?? '', /Alt\+Shift\+A.*Approve and publish/)
      await help.getByRole('button', { name: 'Close' }).click()
      await page.keyboard.press('Alt+Shift+A')
      const done = page.getByRole('status').filter({ hasText: /^Approved and published at/ })
      await done.waitFor()
      await done.getByRole('link', { name: 'View on the site' }).click()
      await page.locator('h1', { hasText: 'Summit talks move to a second day' }).waitFor()
      assert.match(
        (await page.locator('article.article').textContent()) ?? '',
        /keep talking for another day/,
      )
      assert.equal(
        await page.locator('a[href="/topic/donald-trump"]', { hasText: 'Donald Trump' }).count(),
        1,
      )
      assert.deepEqual(pageProblems, [])
    })

    it('sends a story back with a note the contributor then reads in their draft', async () => {
      const draft = await createArticle(server.ctx.articles, contributor, {
        headline: 'Rail strike called off at the last minute',
        section: 'world',
        bodyHtml: '<p>Unions called off the strike late on Sunday.</p>',
      })
      await submitForReview(server.ctx.articles, contributor, draft.id)
      const editorPage = await signIn(EDITOR)
      await editorPage.goto(`${server.url}/newsroom/stories/${draft.id}`)
      await editorPage.getByRole('button', { name: 'Send back' }).click()
      await editorPage.getByText('Write what the story needs before sending it back').waitFor()
      await editorPage
        .getByLabel('Note for the writer')
        .fill('Which unions? Name them in the first paragraph.')
      await editorPage.getByRole('button', { name: 'Send back' }).click()
      await editorPage
        .getByRole('status')
        .filter({ hasText: /^Sent back at/ })
        .waitFor()

      const page = await signIn(CONTRIBUTOR)
      await waitForList(page)
      assert.match((await rows(page).filter({ hasText: 'Rail strike' }).textContent()) ?? '', /Sent back/)
      await page.getByRole('link', { name: 'Rail strike called off at the last minute' }).click()
      const note = page.getByRole('note', { name: 'Sent back by an editor' })
      await note.waitFor()
      assert.match((await note.textContent()) ?? '', /Which unions\? Name them in the first paragraph\./)
      assert.deepEqual(pageProblems, [])
    })

    it('filters the published list by section and searches it by a word', async () => {
      const page = await signIn(EDITOR)
      await nav(page)
        .getByRole('link', { name: /^Published/ })
        .click()
      await waitForList(page)
      const all = await headlines(page)
      assert.ok(all.length > 3, `the sample site has stories: ${all.join(' | ')}`)

      const unfiltered = await showing(page)
      await page.getByLabel('Section').selectOption({ label: 'World' })
      await page.waitForURL(/section=world/)
      // The whole list stays on screen until the filtered one answers: wait for that one.
      await page
        .getByRole('status')
        .filter({ hasText: /^Showing/ })
        .filter({ hasNotText: unfiltered })
        .waitFor()
      const world = await headlines(page)
      assert.ok(world.length > 0 && world.length < all.length, world.join(' | '))
      assert.match(
        await page.locator('table.stories tbody td.wide-only').first().textContent().then(String),
        /World/,
      )

      await page.locator('h1').click()
      await page.keyboard.press('/')
      assert.equal(await page.evaluate('document.activeElement.id'), 'filter-q')
      await page.keyboard.type('fog')
      await page.keyboard.press('Enter')
      await page.waitForURL(/q=fog/)
      // The section's list stays on screen until the search answers: wait for the searched one.
      await page
        .getByRole('status')
        .filter({ hasText: /of 1 story/ })
        .waitFor()
      assert.deepEqual(await headlines(page), ['Ferry crews rescue 40 from stranded tour boat in fog'])
      assert.match(
        (await page
          .getByRole('status')
          .filter({ hasText: /^Showing/ })
          .textContent()) ?? '',
        /of 1 story/,
      )
      assert.deepEqual(pageProblems, [])
    })

    it('refuses to publish an embargoed story, names the time, and shows the embargo in the list', async () => {
      const draft = await createArticle(server.ctx.articles, server.editor, {
        headline: 'Central bank decision under embargo',
        section: 'world',
        bodyHtml: '<p>The decision is due at noon.</p>',
      })
      const page = await signIn(EDITOR)
      await page.goto(`${server.url}/newsroom/stories/${draft.id}`)
      await body(page).waitFor()
      const until = new Date(Date.now() + 3 * 60 * 60 * 1000)
      const pad = (n: number) => String(n).padStart(2, '0')
      const local = `${until.getFullYear()}-${pad(until.getMonth() + 1)}-${pad(until.getDate())}T${pad(until.getHours())}:${pad(until.getMinutes())}`
      await page.getByLabel('Embargo until').fill(local)
      await page.getByRole('button', { name: 'Set embargo' }).click()
      await page
        .getByRole('status')
        .filter({ hasText: /^Embargo set at/ })
        .waitFor()
      await page.locator('.desk-panel .badge.embargoed', { hasText: 'Embargoed until' }).waitFor()

      await page.getByRole('button', { name: 'Publish now' }).click()
      const refusal = page.getByRole('alert').filter({ hasText: /embargoed until/ })
      await refusal.waitFor()
      assert.match((await refusal.textContent()) ?? '', /embargoed until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/)
      assert.equal((await findArticleById(server.ctx.handle.db, draft.id))?.status, 'draft')

      await page.goto(`${server.url}/newsroom/stories?status=draft&q=embargo`)
      await waitForList(page)
      assert.match((await rows(page).first().textContent()) ?? '', /Embargoed until/)
      assert.deepEqual(pageProblems, [])
    })

    it('has no serious or critical axe violations on the review list, wire queue, review panel and pickers', async () => {
      const draft = await createArticle(server.ctx.articles, contributor, {
        headline: 'Harbour fees to rise next year',
        section: 'world',
        bodyHtml: '<p>Fees rise in January.</p>',
      })
      await submitForReview(server.ctx.articles, contributor, draft.id)
      await setEmbargo(server.ctx.articles, server.editor, draft.id, new Date(Date.now() + 60 * 60 * 1000))
      const published = await createArticle(server.ctx.articles, server.editor, {
        headline: 'Tide tables for the weekend',
        section: 'world',
        bodyHtml: '<p>High tide at noon.</p>',
      })
      await publishArticle(server.ctx.articles, server.editor, published.id)
      const page = await signIn(EDITOR)

      await page.goto(`${server.url}/newsroom/stories?list=review`)
      await waitForList(page)
      await checkAxe(page, 'review list')
      await page.goto(`${server.url}/newsroom/stories?list=wire`)
      await waitForList(page)
      await checkAxe(page, 'wire queue')

      await page.goto(`${server.url}/newsroom/stories/${draft.id}`)
      await body(page).waitFor()
      await page.getByRole('button', { name: 'New topic with aliases…' }).click()
      await page.getByRole('combobox', { name: 'Topics' }).fill('Tru')
      await page.getByRole('option', { name: /Donald Trump/ }).waitFor()
      await checkAxe(page, 'editor with review panel and topic suggestions')
      await page.getByRole('combobox', { name: 'Topics' }).press('Escape')

      await page.getByRole('combobox', { name: 'Authors' }).fill('Browser')
      await page.getByRole('option', { name: 'Browser Editor' }).waitFor()
      await checkAxe(page, 'author suggestions')

      await page.getByRole('button', { name: 'Keyboard shortcuts' }).click()
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor()
      await checkAxe(page, 'shortcut help')
      assert.deepEqual(pageProblems, [])
    })
  },
)
