import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'

/** The password every staff account in the browser suites has (the test server's editor too). */
export const STAFF_PASSWORD = 'correct-horse-battery-staple'

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
const BLOCKING = new Set(['serious', 'critical'])

/**
 * A fresh browser context signed in to the newsroom as `email`, on the story lists.
 * CSP reports and script errors on the page are added to `problems`, for the suite to
 * assert empty.
 */
export async function signInToNewsroom(
  browser: Browser,
  siteUrl: string,
  email: string,
  problems: string[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  await page.goto(`${siteUrl}/newsroom/`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(STAFF_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation', { name: 'Story lists' }).waitFor()
  return { context, page }
}

/** axe-core over the page against WCAG 2.1 A and AA: the serious and critical violations, and how much passed. */
export async function axeCheck(page: Page): Promise<{ blocking: string[]; minor: string[]; passes: number }> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  const describe = (v: (typeof results.violations)[number]) =>
    `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`
  return {
    blocking: results.violations.filter((v) => BLOCKING.has(v.impact ?? '')).map(describe),
    minor: results.violations.filter((v) => !BLOCKING.has(v.impact ?? '')).map((v) => `${v.impact} ${v.id}`),
    passes: results.passes.length,
  }
}

/**
 * Opens a story in the editor and waits until its text is there: typing into the editor
 * before the story has loaded into it would land at the start of the text.
 */
export async function openStory(page: Page, baseUrl: string, id: number): Promise<void> {
  await page.goto(`${baseUrl}/newsroom/stories/${id}`)
  await page.getByRole('textbox', { name: 'Story text' }).filter({ hasText: /\S/ }).waitFor()
}

/**
 * Puts the caret at the very end of a rich-text editor, as a click after the last word
 * would: focus, then a DOM selection the editor takes over. Ctrl+End is left to the
 * browser's own key handling, which a busy machine showed to be unreliable here.
 */
export async function caretToEnd(editor: Locator): Promise<void> {
  await editor.evaluate((element) => {
    ;(element as HTMLElement).focus()
    const selection = window.getSelection()
    selection?.selectAllChildren(element)
    selection?.collapseToEnd()
  })
  // The editor reads the new selection on the browser's selectionchange event.
  await editor.page().waitForTimeout(50)
}
