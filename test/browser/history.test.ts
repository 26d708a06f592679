import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import {
  createArticle,
  findArticleById,
  listRevisions,
  publishArticle,
  updateArticle,
  type ArticleView,
} from '../../src/modules/articles/index.js'
import { createUser } from '../../src/modules/auth/index.js'
import { HAS_CHROMIUM, startBrowserSuite, type BrowserSuite, type TestServer } from './support/browser.js'
import { axeCheck, caretToEnd, openStory, signInToNewsroom, STAFF_PASSWORD } from './support/newsroom.js'

const EDITOR = 'browser.editor@dateline.invalid'
const SECOND = 'history.second@dateline.invalid'

describe(
  'revision history, merge and preview in Chromium',
  { skip: !HAS_CHROMIUM && 'Chromium not available' },
  () => {
    let suite: BrowserSuite | undefined
    let server: TestServer
    const contexts: BrowserContext[] = []
    const pageProblems: string[] = []

    before(async () => {
      suite = await startBrowserSuite()
      server = suite.server
      await createUser(server.ctx.auth, {
        email: SECOND,
        displayName: 'Second Editor',
        role: 'editor',
        password: STAFF_PASSWORD,
      })
    })
    after(async () => {
      for (const context of contexts) await context.close().catch(() => undefined)
      await suite?.close()
    })

    async function signIn(email: string): Promise<Page> {
      const { context, page } = await signInToNewsroom(suite!.browser, server.url, email, pageProblems)
      contexts.push(context)
      return page
    }

    async function assertAxeClean(page: Page, name: string) {
      const { blocking } = await axeCheck(page)
      assert.deepEqual(
        blocking.map((problem) => `${name}: ${problem}`),
        [],
      )
    }

    const body = (page: Page) => page.getByRole('textbox', { name: 'Story text' })

    function aDraft(
      headline: string,
      bodyHtml = '<p>The first paragraph as the agency sent it.</p>',
    ): Promise<ArticleView> {
      return createArticle(server.ctx.articles, server.editor, { headline, section: 'world', bodyHtml })
    }

    it('shows a word diff between revisions, restores an old one, and the reader site shows its headline', async () => {
      const draft = await aDraft(
        'Dam holds as river peaks',
        '<p>The river peaked at noon and the dam held.</p>',
      )
      const live = await publishArticle(server.ctx.articles, server.editor, draft.id)
      await updateArticle(server.ctx.articles, server.editor, live.id, {
        version: live.version,
        headline: 'Dam fails as river peaks',
        bodyHtml: '<p>The river peaked at noon and the dam gave way.</p>',
      })
      const page = await signIn(EDITOR)
      await openStory(page, server.url, live.id)
      await page.getByText('Show revisions').click()
      await page.locator('.revision-list li', { hasText: 'Version 3: Update' }).waitFor()

      await page.getByRole('button', { name: 'Changes in version 3' }).click()
      const dialog = page.getByRole('dialog', { name: 'Changes from version 2 to version 3' })
      await dialog.waitFor()
      const headline = dialog.locator('[data-field="headline"]')
      assert.equal(await headline.locator('del').textContent(), '[removed: holds]')
      assert.equal(await headline.locator('ins').textContent(), '[added: fails]')
      const text = dialog.locator('[data-field="bodyHtml"]')
      assert.match((await text.locator('del').textContent()) ?? '', /held/)
      assert.match((await text.locator('ins').textContent()) ?? '', /gave way/)
      await assertAxeClean(page, 'revision diff')
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'hidden' })

      await page.getByRole('button', { name: 'Restore this version (2)' }).click()
      const confirm = page.getByRole('dialog', { name: 'Restore version 2?' })
      await confirm.waitFor()
      assert.equal(await confirm.locator('[data-field="headline"] ins').textContent(), '[added: holds]')
      await confirm.getByRole('button', { name: 'Restore version 2' }).click()
      await page.getByRole('status').filter({ hasText: 'Restored version 2 as version 4.' }).waitFor()
      assert.equal(await page.getByLabel('Headline').inputValue(), 'Dam holds as river peaks')
      assert.match((await body(page).textContent()) ?? '', /the dam held\./)
      await page.locator('.revision-list li', { hasText: 'Version 4: Restored of version 2' }).waitFor()

      const stored = await findArticleById(server.ctx.handle.db, live.id)
      assert.equal(stored?.status, 'published')
      const revisions = await listRevisions(server.ctx.handle.db, live.id)
      assert.deepEqual(
        revisions.map((r) => r.version),
        [4, 3, 2, 1],
      )
      await page.goto(`${server.url}/world/${stored?.slug}`)
      assert.deepEqual(await page.locator('h1').allTextContents(), ['Dam holds as river peaks'])
      assert.match((await page.locator('article .body').textContent()) ?? '', /the dam held\./)
      assert.deepEqual(pageProblems, [])
    })

    it('lets the second of two editors merge: their headline, my body, saved exactly so', async () => {
      const story = await aDraft('Two desks edit the flood story')
      const first = await signIn(EDITOR)
      const second = await signIn(SECOND)
      await openStory(first, server.url, story.id)
      await openStory(second, server.url, story.id)

      await first.getByLabel('Headline').fill('Flood story: their better headline')
      await first.keyboard.press('Control+s')
      await first.getByRole('status').filter({ hasText: '(version 2)' }).waitFor()

      await second.getByLabel('Headline').fill('Flood story: my weaker headline')
      await caretToEnd(body(second))
      await second.keyboard.press('Enter')
      await second.keyboard.type('A paragraph only the second editor wrote.')
      await second.keyboard.press('Control+s')
      const merge = second.getByRole('region', { name: 'Not saved: someone else changed this story' })
      await merge.waitFor()
      assert.match(
        (await merge.getByRole('alert').textContent()) ?? '',
        /version 2.*you started from version 1/,
      )
      const headlineField = merge.locator('[data-field="headline"]')
      assert.equal(await headlineField.locator('del').textContent(), '[removed: their better]')
      assert.equal(await headlineField.locator('ins').textContent(), '[added: my weaker]')
      assert.match(
        (await merge.locator('[data-field="bodyHtml"] ins').textContent()) ?? '',
        /only the second editor/,
      )
      assert.equal(
        await merge.locator('[data-field="bodyHtml"] .hint').first().textContent(),
        'Changed only by you',
      )
      await assertAxeClean(second, 'conflict merge')

      await merge.getByRole('group', { name: 'Headline: which to keep' }).getByLabel('Take theirs').check()
      assert.ok(
        await merge
          .getByRole('group', { name: 'Story text: which to keep' })
          .getByLabel('Keep mine')
          .isChecked(),
      )
      await merge.getByRole('button', { name: 'Save merged version' }).click()
      await second
        .getByRole('status')
        .filter({ hasText: /^Merged and saved at .* \(version 3\)\.$/ })
        .waitFor()

      const saved = await findArticleById(server.ctx.handle.db, story.id)
      assert.equal(saved?.version, 3)
      assert.equal(saved?.headline, 'Flood story: their better headline')
      assert.equal(
        saved?.bodyHtml,
        '<p>The first paragraph as the agency sent it.</p><p>A paragraph only the second editor wrote.</p>',
      )
      assert.equal(await second.getByLabel('Headline').inputValue(), 'Flood story: their better headline')
      assert.equal(await second.locator('.save-state').textContent(), 'All changes saved')
      const copies = await second.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.includes('.story.')),
      )
      assert.deepEqual(copies, [], 'the local copy goes once the merge is saved')
      assert.deepEqual(pageProblems, [])
    })

    it('keeps my text in the browser while a merged save fails, and saves a body merged by hand', async () => {
      const story = await aDraft('Both desks rewrite the body')
      const first = await signIn(EDITOR)
      const second = await signIn(SECOND)
      await openStory(first, server.url, story.id)
      await openStory(second, server.url, story.id)
      await caretToEnd(body(first))
      await first.keyboard.press('Enter')
      await first.keyboard.type('Their paragraph about the river.')
      await first.keyboard.press('Control+s')
      await first.getByRole('status').filter({ hasText: '(version 2)' }).waitFor()

      await caretToEnd(body(second))
      await second.keyboard.press('Enter')
      await second.keyboard.type('My paragraph about the bridge.')
      await second.keyboard.press('Control+s')
      const merge = second.getByRole('region', { name: 'Not saved: someone else changed this story' })
      await merge.waitFor()
      assert.equal(
        await merge.locator('[data-field="bodyHtml"] .hint').first().textContent(),
        'Changed by both of you',
      )
      await merge
        .getByRole('group', { name: 'Story text: which to keep' })
        .getByLabel('Edit a merged text')
        .check()
      const merged = second.getByRole('textbox', { name: 'Merged story text' })
      await caretToEnd(merged)
      await second.keyboard.press('Enter')
      await second.keyboard.type('Their paragraph about the river.')

      const context = second.context()
      await context.route('**/api/v1/articles/**', (route) =>
        route.request().method() === 'PATCH' ? route.abort('internetdisconnected') : route.continue(),
      )
      await merge.getByRole('button', { name: 'Save merged version' }).click()
      await second.getByRole('alert').filter({ hasText: 'Your text and your choices are kept' }).waitFor()
      const kept = await second.evaluate(() =>
        Object.keys(localStorage).some((k) =>
          localStorage.getItem(k)?.includes('My paragraph about the bridge.'),
        ),
      )
      assert.ok(kept, 'my text is still in the local copy')
      assert.doesNotMatch((await findArticleById(server.ctx.handle.db, story.id))?.bodyHtml ?? '', /bridge/)

      await context.unroute('**/api/v1/articles/**')
      await merge.getByRole('button', { name: 'Save merged version' }).click()
      await second
        .getByRole('status')
        .filter({ hasText: /^Merged and saved at .* \(version 3\)\.$/ })
        .waitFor()
      assert.equal(
        (await findArticleById(server.ctx.handle.db, story.id))?.bodyHtml,
        '<p>The first paragraph as the agency sent it.</p><p>My paragraph about the bridge.</p><p>Their paragraph about the river.</p>',
      )
      assert.match((await body(second).textContent()) ?? '', /bridge\.Their paragraph about the river\.$/)
      assert.deepEqual(pageProblems, [])
    })

    it('previews the unsaved headline on the reader page at phone and desktop widths', async () => {
      // Live, so no autosave: the preview alone carries the unsaved headline.
      const draft = await aDraft('Preview shows the saved headline')
      const story = await publishArticle(server.ctx.articles, server.editor, draft.id)
      const page = await signIn(EDITOR)
      await openStory(page, server.url, story.id)
      await page.getByLabel('Headline').fill('Preview shows this unsaved headline')
      await page.keyboard.press('Alt+Shift+P')
      const dialog = page.getByRole('dialog', { name: /^Preview/ })
      await dialog.waitFor()
      const frame = page.frameLocator('iframe[name="story-preview"]')
      await frame.locator('h1', { hasText: 'Preview shows this unsaved headline' }).waitFor()
      const iframe = page.locator('iframe[name="story-preview"]')
      const innerWidth = () =>
        iframe.evaluate((element: HTMLIFrameElement) => element.contentWindow?.innerWidth)
      assert.equal(await innerWidth(), 1280)
      assert.equal(await frame.locator('article h1').textContent(), 'Preview shows this unsaved headline')
      assert.equal(await frame.locator('meta[name="robots"]').getAttribute('content'), 'noindex')
      await assertAxeClean(page, 'preview')

      await dialog.getByLabel('Phone (390 px)').check()
      assert.equal(await innerWidth(), 390, 'the page inside lays itself out for a phone')
      assert.equal(await frame.locator('article h1').textContent(), 'Preview shows this unsaved headline')
      await page.keyboard.press('Alt+Shift+V')
      await page.getByRole('heading', { name: 'Preview: desktop' }).waitFor()

      assert.equal(
        (await findArticleById(server.ctx.handle.db, story.id))?.headline,
        'Preview shows the saved headline',
      )
      assert.deepEqual(pageProblems, [])
    })

    it('opens what the last save changed with Alt+Shift+D and closes it with Escape', async () => {
      const story = await aDraft('Shortcut story before')
      await updateArticle(server.ctx.articles, server.editor, story.id, {
        version: 1,
        headline: 'Shortcut story after',
      })
      const page = await signIn(EDITOR)
      await openStory(page, server.url, story.id)
      await page.keyboard.press('Alt+Shift+D')
      const dialog = page.getByRole('dialog', { name: 'Changes from version 1 to version 2' })
      await dialog.waitFor()
      assert.equal(await dialog.locator('[data-field="headline"] ins').textContent(), '[added: after]')
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'hidden' })
      assert.deepEqual(pageProblems, [])
    })
  },
)
