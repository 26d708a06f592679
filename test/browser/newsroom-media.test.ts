import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { HAS_CHROMIUM, startBrowserSuite, type BrowserSuite, type TestServer } from './support/browser.js'
import { axeCheck, signInToNewsroom } from './support/newsroom.js'
import { countJobs } from '../../src/modules/queue/index.js'
import { SECRET_ARTIST, testImage } from '../support/images.js'

const EDITOR = 'browser.editor@dateline.invalid'

describe(
  'photos in the newsroom app, in Chromium',
  { skip: !HAS_CHROMIUM && 'Chromium not available' },
  () => {
    let server: TestServer
    let browser: Browser
    let suite: BrowserSuite | undefined
    const pageProblems: string[] = []

    before(async () => {
      suite = await startBrowserSuite()
      ;({ server, browser } = suite)
    })
    after(async () => {
      await suite?.close()
    })

    async function signIn(): Promise<Page> {
      return (await signInToNewsroom(browser, server.url, EDITOR, pageProblems)).page
    }

    /** A camera photo on disk, with EXIF and GPS in it, as a reporter would pick it. */
    async function photoOnDisk(name: string, width: number, height: number): Promise<string> {
      const file = path.join(server.dataDir, name)
      writeFileSync(file, await testImage('jpeg', { width, height }))
      return file
    }

    async function axeProblems(page: Page): Promise<string[]> {
      return (await axeCheck(page)).blocking
    }

    it('writes a story with an uploaded hero photo and an inline photo, publishes it and shows both', async () => {
      const page = await signIn()
      await page.getByRole('link', { name: 'New story' }).click()
      await page.getByLabel('Headline').fill('Lighthouse keeper retires after 40 years')
      await page.getByLabel('Section').selectOption('world')
      await page.getByRole('textbox', { name: 'Story text' }).click()
      await page.keyboard.type('The last keeper of the northern light handed over the keys on Friday.')
      await page.keyboard.press('Enter')

      // Hero: upload from disk, then describe it.
      await page.getByLabel('Upload hero photo').setInputFiles(await photoOnDisk('keeper.jpg', 1700, 1133))
      await page.locator('.hero-preview').waitFor()
      assert.equal(await page.getByLabel('Width (px)').inputValue(), '1700')
      assert.equal(await page.getByLabel('Height (px)').inputValue(), '1133')
      await page.getByLabel(/^Alt text/).fill('An old man in a cap at the door of a white lighthouse')
      await page
        .getByLabel('Caption', { exact: true })
        .fill('Ole Strand at the lighthouse door on his last day.')
      await page.getByLabel('Photo credit').fill('Mia Berg/Dateline')

      // Inline: a second photo into the body from the Photo button, described, inserted.
      await page.getByRole('button', { name: 'Photo', exact: true }).click()
      await page
        .getByLabel('Upload photo for the story')
        .setInputFiles(await photoOnDisk('lamp.jpg', 900, 600))
      // The upload is done when the form shows the photo instead of the upload area.
      await page.locator('.photo-form .media-thumb').waitFor()
      await page.getByLabel('Photo alt text (required)').fill('The lamp room seen from below')
      await page.getByLabel('Photo caption').fill('The lamp was automated in 1998.')
      await page.getByLabel('Credit', { exact: true }).fill('Mia Berg')
      assert.deepEqual(await axeProblems(page), [], 'the editor with the photo form open is axe-clean')
      await page.getByRole('button', { name: 'Insert photo' }).click()
      await page.getByRole('textbox', { name: 'Story text' }).locator('figure img').waitFor()

      await page.keyboard.press('Control+s')
      await page
        .getByRole('status')
        .filter({ hasText: /\(version \d+\)\.$/ })
        .waitFor()
      await page.getByRole('button', { name: 'Publish now' }).click()
      const published = page.getByRole('status').filter({ hasText: /^Published at/ })
      await published.waitFor()

      // The renditions job runs in the server's own runner; the page shows them once made.
      const reader = await page.context().newPage()
      const storyUrl = `${server.url}/world/lighthouse-keeper-retires-after-40-years`
      const deadline = Date.now() + 90_000
      while ((await countJobs(server.ctx.handle.db, 'media.renditions')).open > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 250))
      await reader.goto(storyUrl)
      const heroSrcset = (await reader.locator('figure.hero img').getAttribute('srcset')) ?? ''
      const hero = reader.locator('figure.hero')
      const img = hero.locator('img')
      assert.equal(await img.getAttribute('width'), '1700')
      assert.equal(await img.getAttribute('height'), '1133')
      assert.equal(await img.getAttribute('alt'), 'An old man in a cap at the door of a white lighthouse')
      assert.match(
        heroSrcset,
        /^\/media\/\S+ 480w, \/media\/\S+ 800w, \/media\/\S+ 1200w, \/media\/\S+ 1600w, \/media\/\S+ 1700w$/,
      )
      assert.ok(await img.getAttribute('sizes'))
      assert.match((await hero.locator('source[type="image/webp"]').getAttribute('srcset')) ?? '', / 1600w$/)
      assert.equal(
        await hero.locator('figcaption').innerText(),
        'Ole Strand at the lighthouse door on his last day. (Mia Berg/Dateline)',
      )
      // The browser picked one of the sizes and loaded it.
      const loaded = await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)
      assert.ok(Number(loaded) >= 480)
      const heroFile = await reader.request.get(`${server.url}${(await img.getAttribute('src'))!}`)
      assert.equal(heroFile.headers()['cache-control'], 'public, max-age=31536000, immutable')
      const bytes = await heroFile.body()
      assert.equal((await sharp(bytes).metadata()).exif, undefined)
      assert.ok(!bytes.includes(SECRET_ARTIST), 'no EXIF from the camera reaches readers')

      const inline = reader.locator('article .body figure')
      assert.equal(await inline.locator('img').getAttribute('alt'), 'The lamp room seen from below')
      assert.equal(await inline.locator('img').getAttribute('width'), '900')
      assert.equal(await inline.locator('figcaption').innerText(), 'The lamp was automated in 1998. Mia Berg')
      assert.equal(
        await inline.locator('figcaption small').innerText(),
        'Mia Berg',
        'the credit is marked as such',
      )
      assert.deepEqual(await axeProblems(reader), [], 'the reader page with both photos is axe-clean')
      assert.deepEqual(pageProblems, [])
    })

    it('reuses a photo from the library and shows in the library where it is used', async () => {
      const page = await signIn()
      await page.getByRole('link', { name: 'New story' }).click()
      await page.getByLabel('Headline').fill('New keeper named for the southern light')
      await page.getByLabel('Section').selectOption('world')
      await page.getByRole('button', { name: 'Choose from library' }).click()
      const picker = page.getByRole('region', { name: 'Choose a hero photo' })
      await picker.getByLabel('Search captions and credits').fill('lighthouse door')
      await picker.getByRole('button', { name: /Ole Strand at the lighthouse door/ }).click()
      assert.equal(
        await page.getByLabel(/^Alt text/).inputValue(),
        'An old man in a cap at the door of a white lighthouse',
      )
      assert.equal(await page.getByLabel('Photo credit').inputValue(), 'Mia Berg/Dateline')
      await page.keyboard.press('Control+s')
      await page
        .getByRole('status')
        .filter({ hasText: /\(version \d+\)\.$/ })
        .waitFor()

      await page.getByRole('link', { name: 'Media library' }).click()
      await page.getByRole('heading', { name: 'Media library', level: 1 }).waitFor()
      await page.getByLabel('Search captions, credits and alt text').fill('Ole Strand')
      const entry = page.locator('.library-list > li').filter({ hasText: 'Used in:' }).first()
      await entry.getByRole('link', { name: 'New keeper named for the southern light' }).waitFor()
      assert.equal(
        await entry.getByRole('link', { name: 'Lighthouse keeper retires after 40 years' }).count(),
        1,
      )
      assert.deepEqual(await axeProblems(page), [], 'the media library is axe-clean')

      await entry.getByLabel('Credit').fill('Mia Berg/Dateline/File')
      await entry.getByRole('button', { name: 'Save photo details' }).click()
      await entry.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
      const reader = await page.context().newPage()
      await reader.goto(`${server.url}/world/lighthouse-keeper-retires-after-40-years`)
      assert.match(
        await reader.locator('figure.hero figcaption').innerText(),
        /\(Mia Berg\/Dateline\/File\)$/,
      )
      assert.deepEqual(pageProblems, [])
    })

    it('deletes a photo no story uses from the library, after asking', async () => {
      const page = await signIn()
      await page.getByRole('link', { name: 'Media library' }).click()
      await page.getByLabel('Upload a photo').setInputFiles(await photoOnDisk('spare.jpg', 640, 480))
      const entry = page
        .locator('.library-list > li')
        .filter({ hasText: 'Not used in any story yet.' })
        .first()
      await entry.getByRole('button', { name: 'Delete photo' }).click()
      const keep = entry.getByRole('button', { name: 'Keep it' })
      assert.ok(await keep.evaluate((b) => b === document.activeElement), 'the safe answer has the focus')
      assert.deepEqual(await axeProblems(page), [], 'the library asking to delete is axe-clean')
      const src = await entry.locator('img').first().getAttribute('src')
      await entry.getByRole('button', { name: 'Delete', exact: true }).click()
      await page.locator(`.library-list img[src="${src}"]`).waitFor({ state: 'detached' })
      assert.equal((await page.request.get(`${server.url}${src}`)).status(), 404)
      // A photo a story shows offers no delete button.
      await page.getByLabel('Search captions, credits and alt text').fill('Ole Strand')
      await page.locator('.library-list > li').filter({ hasText: 'Used in:' }).first().waitFor()
      assert.equal(await page.getByRole('button', { name: 'Delete photo' }).count(), 0)
      assert.deepEqual(pageProblems, [])
    })

    it('shows the server’s reason when a file is refused', async () => {
      const page = await signIn()
      await page.getByRole('link', { name: 'New story' }).click()
      const file = path.join(server.dataDir, 'drawing.svg')
      writeFileSync(file, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
      await page.getByLabel('Upload hero photo').setInputFiles(file)
      const alert = page.getByRole('alert').filter({ hasText: /SVG is not accepted/ })
      await alert.waitFor()
      assert.equal(await page.locator('.hero-preview').count(), 0)
    })
  },
)
