import { AxeBuilder } from '@axe-core/playwright'
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext } from 'playwright-core'
import {
  HAS_CHROMIUM,
  startBrowserSuite,
  type BrowserSuite,
  type ReaderSite,
  type TestServer,
} from './support/browser.js'

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
const BLOCKING = new Set(['serious', 'critical'])
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const

describe(
  'reader pages under axe-core (WCAG 2.1 A and AA)',
  { skip: !HAS_CHROMIUM && 'Chromium not available' },
  () => {
    let server: TestServer
    let browser: Browser
    let site: ReaderSite
    let suite: BrowserSuite | undefined
    const contexts = new Map<string, BrowserContext>()

    before(async () => {
      suite = await startBrowserSuite()
      ;({ server, browser, site } = suite)
      for (const [name, viewport] of Object.entries(WIDTHS)) {
        // AxeBuilder needs a page from browser.newContext(), not browser.newPage().
        contexts.set(name, await browser.newContext({ viewport }))
      }
    })

    after(async () => {
      await suite?.close()
    })

    const pages = () => ({
      front: '/',
      section: site.sectionPath,
      topic: site.topicPath,
      article: site.storyPath,
    })

    it('reports a photo without alt text as critical (the check can fail)', async () => {
      const page = await contexts.get('desktop')!.newPage()
      await page.setContent(
        '<!doctype html><html lang="en"><title>t</title><main><img src="/x.png"></main></html>',
      )
      const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
      await page.close()
      assert.ok(results.violations.some((v) => v.id === 'image-alt' && v.impact === 'critical'))
    })

    for (const width of Object.keys(WIDTHS)) {
      for (const name of ['front', 'section', 'topic', 'article'] as const) {
        it(`has no serious or critical violations on the ${name} page at ${width} width`, async () => {
          const page = await contexts.get(width)!.newPage()
          await page.goto(server.url + pages()[name])
          const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
          await page.close()
          assert.ok(
            results.passes.length > 10,
            `axe checked almost nothing (${results.passes.length} rules passed)`,
          )
          const blocking = results.violations.filter((v) => BLOCKING.has(v.impact ?? ''))
          assert.deepEqual(
            blocking.map(
              (v) =>
                `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
            ),
            [],
          )
          const minor = results.violations.filter((v) => !BLOCKING.has(v.impact ?? ''))
          if (minor.length > 0)
            console.log(`# axe, ${name} at ${width}: ${minor.map((v) => `${v.impact} ${v.id}`).join(', ')}`)
        })
      }
    }
  },
)
