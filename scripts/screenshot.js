#!/usr/bin/env node
// Screenshots a page with Debian's Chromium: node scripts/screenshot.js URL out.png [width]
import { chromium } from 'playwright-core'

const [url, out, width = '1280'] = process.argv.slice(2)
if (!url || !out) {
  process.stderr.write('usage: node scripts/screenshot.js URL out.png [width]\n')
  process.exit(2)
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
})
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } })
await page.goto(url)
await page.screenshot({ path: out, fullPage: true })
await browser.close()
