import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { linkIn, startSmtpServer, type TestSmtpServer } from '../support/mail.js'
import { HAS_CHROMIUM, startBrowserSuite, waitForExpression, type BrowserSuite } from './support/browser.js'

const READER = 'push.reader@example.org'

/**
 * The account page's push switch in Chromium. Headless Chromium has the Push API but no
 * push service it can reach, so this stops where the real protocol would leave the
 * machine: the service worker registered from the site root with scope "/", the switch
 * shown only where push is supported, and the page readable with JavaScript off. The
 * protocol itself is tested against a push service on loopback (test/integration/readers/web-push.test.ts).
 */
describe(
  'web push on the account page in Chromium',
  { skip: !HAS_CHROMIUM && 'Chromium not available' },
  () => {
    let smtp: TestSmtpServer
    let suite: BrowserSuite | undefined
    let context: BrowserContext
    let page: Page

    before(async () => {
      smtp = await startSmtpServer()
      suite = await startBrowserSuite({
        env: { SMTP_URL: smtp.url, MAIL_FROM: 'Dateline <news@dateline.invalid>' },
      })
      context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } })
      page = await context.newPage()
      await page.goto(`${suite.server.url}/account/sign-in`)
      await page.getByLabel('Email address').fill(READER)
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click()
      const email = await smtp.waitFor((m) => m.to.includes(READER))
      await page.goto(linkIn(email.text, `${suite.server.url}/account/verify?token=`)!)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${suite.server.url}/account`)
    })

    after(async () => {
      await suite?.close()
      await smtp?.close()
    })

    it('registers the service worker from the site root and shows the switch', async () => {
      const control = page.locator('.push-control')
      await control.waitFor({ state: 'visible', timeout: 5000 })
      const button = control.getByRole('button', { name: 'Turn on push notifications in this browser' })
      await waitForExpression(page, `!document.querySelector('.push-control button').disabled`, 5000)
      assert.equal(await button.getAttribute('aria-pressed'), 'false')
      assert.equal(await page.locator('[data-push-fallback]').isVisible(), false)
      const registration = await page.evaluate<{ scope: string; script: string }>(
        `navigator.serviceWorker.ready.then((r) => ({ scope: r.scope, script: r.active && r.active.scriptURL }))`,
      )
      assert.deepEqual(registration, { scope: `${suite!.server.url}/`, script: `${suite!.server.url}/sw.js` })
    })

    it('keeps the page usable without JavaScript: no switch, a sentence saying why', async () => {
      const noScript = await suite!.browser.newContext({ javaScriptEnabled: false })
      try {
        await noScript.addCookies(await context.cookies())
        const plain = await noScript.newPage()
        await plain.goto(`${suite!.server.url}/account`)
        assert.equal(await plain.locator('.push-control').isVisible(), false)
        assert.match((await plain.locator('[data-push-fallback]').textContent()) ?? '', /need JavaScript/)
        assert.ok(await plain.getByRole('button', { name: 'Save settings' }).isVisible())
      } finally {
        await noScript.close()
      }
    })

    it('says so when notifications are blocked, and stores no subscription', async () => {
      const blocked = await suite!.browser.newContext()
      try {
        await blocked.addCookies(await context.cookies())
        const tab = await blocked.newPage()
        await tab.goto(`${suite!.server.url}/account`)
        await waitForExpression(tab, `!document.querySelector('.push-control button').disabled`, 5000)
        await tab.getByRole('button', { name: 'Turn on push notifications in this browser' }).click()
        await waitForExpression(
          tab,
          `document.querySelector('.push-control [role=status]').textContent.length > 0 && !document.querySelector('.push-control button').disabled`,
          5000,
        )
        const status = await tab.locator('.push-control [role=status]').textContent()
        assert.match(status ?? '', /blocks notifications|did not work/)
        const stored = await suite!.server.ctx.handle.db.selectFrom('push_subscription').selectAll().execute()
        assert.equal(stored.length, 0)
      } finally {
        await blocked.close()
      }
    })
  },
)
