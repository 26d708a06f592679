import { chromium } from 'playwright-core'
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--no-first-run'] })
const base = 'http://127.0.0.1:3111'
const p = await b.newPage({ viewport: { width: 1280, height: 1000 } })
await p.goto(base + '/newsroom/'); await p.waitForTimeout(1000)
await p.fill('input[type=email]', 'ed@example.org'); await p.fill('input[type=password]', 'correct horse battery staple 1')
await p.keyboard.press('Enter'); await p.waitForTimeout(1500)
await p.click('text=Published'); await p.waitForTimeout(800)
await p.screenshot({ path: '/tmp/shots/nr-published.png' })
await p.locator('table.stories td a').first().click(); await p.waitForTimeout(1500)
await p.screenshot({ path: '/tmp/shots/nr-editor.png', fullPage: true })
await p.click('text=Media library'); await p.waitForTimeout(1200)
await p.screenshot({ path: '/tmp/shots/nr-media.png', fullPage: true })
await b.close()
