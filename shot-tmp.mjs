import { chromium } from 'playwright-core'
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--no-first-run'] })
const base = 'http://127.0.0.1:3111'
const p = await b.newPage({ viewport: { width: 1280, height: 900 } })
await p.goto(base + '/'); await p.screenshot({ path: '/tmp/shots/front.png', fullPage: false })
const href = await p.locator('main a[href*="/"]').nth(2).getAttribute('href')
await p.goto(base + href); await p.screenshot({ path: '/tmp/shots/article.png', fullPage: true })
await p.goto(base + '/newsroom/'); await p.waitForTimeout(1500); await p.screenshot({ path: '/tmp/shots/nr0.png' })
await p.fill('input[type=email]', 'ed@example.org'); await p.fill('input[type=password]', 'correct horse battery staple 1')
await p.keyboard.press('Enter'); await p.waitForTimeout(1500)
await p.screenshot({ path: '/tmp/shots/newsroom-list.png' })
const m = await b.newPage({ viewport: { width: 390, height: 844 } })
await m.goto(base + href); await m.screenshot({ path: '/tmp/shots/article-phone.png', fullPage: false })
await b.close()
