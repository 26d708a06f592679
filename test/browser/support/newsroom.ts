import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, BrowserContext, Page } from 'playwright-core'

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
