import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'

/** PayloadsAllTheThings' XSS intruder lists (see testdata/SOURCES.md). */
export const PAYLOAD_DIR = path.join(
  // The shared test data sits beside the repository (../shared), in CI as on a developer machine.
  process.env['DATELINE_TESTDATA'] ??
    fileURLToPath(new URL('../../../../../shared/testdata/', import.meta.url)),
  'payloads',
  'XSS Injection',
  'Intruders',
)

/** Lists longer than this are sampled evenly rather than used whole, to bound the run time. */
const SAMPLE_ABOVE = 150
const SAMPLE_SIZE = 110

export interface PayloadSet {
  payloads: string[]
  /** How many distinct payloads each list contributed, for the test's diagnostic line. */
  perList: Record<string, number>
}

/**
 * Every payload of the smaller lists and an even sample of the large ones, deduplicated
 * across lists, in a stable order so a failure names the same payload on every run.
 */
export function loadXssPayloads(dir: string = PAYLOAD_DIR): PayloadSet {
  const seen = new Set<string>()
  const payloads: string[] = []
  const perList: Record<string, number> = {}
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
  for (const file of files) {
    const lines = [
      ...new Set(
        readFileSync(path.join(dir, file), 'utf8')
          .split(/\r?\n/)
          .filter((line) => line.trim() !== ''),
      ),
    ]
    const step = lines.length > SAMPLE_ABOVE ? lines.length / SAMPLE_SIZE : 1
    let added = 0
    for (let i = 0; i < lines.length; i += step) {
      const line = lines[Math.floor(i)]!
      if (seen.has(line)) continue
      seen.add(line)
      payloads.push(line)
      added++
    }
    perList[file] = added
  }
  return { payloads, perList }
}

export function hasPayloads(dir: string = PAYLOAD_DIR): boolean {
  return existsSync(dir)
}

/**
 * Ends whatever state a payload leaves the HTML parser in (an open quote, tag, comment,
 * CDATA section or raw-text element), so the next payload in the same field is parsed
 * as if it stood alone. packPayloads checks that it was.
 */
export const PARSER_RESET =
  ' --> ]]> "\'> </script></style></textarea></title></xmp></noscript></iframe></noembed>' +
  '</noframes></template></svg></math></object> '

export interface PackOptions {
  /** What the content core does to the field (cleanText, sanitizeBody). */
  clean: (value: string) => string
  /** The field's length rule, on the cleaned value. */
  limit: number
  maxPerGroup: number
  separator: string
}

/**
 * Groups payloads so each group fits one field of one story. A payload joins a group only
 * if, after cleaning the joined field, what it cleans to on its own still appears: no
 * payload hides another, so every payload is tested in every field. A payload the field's
 * rule refuses on its own gets a group of its own, for the content core to refuse.
 */
export function packPayloads(payloads: string[], options: PackOptions): string[] {
  const alone = new Map(payloads.map((payload) => [payload, options.clean(payload)]))
  const groups: string[][] = []
  let current: string[] = []
  for (const payload of payloads) {
    if (alone.get(payload)!.length > options.limit) {
      groups.push([payload])
      continue
    }
    const candidate = [...current, payload]
    const cleaned = options.clean(candidate.join(options.separator))
    const fits =
      candidate.length <= options.maxPerGroup &&
      cleaned.length <= options.limit &&
      candidate.every((member) => cleaned.includes(alone.get(member)!))
    if (fits) {
      current = candidate
    } else {
      if (current.length > 0) groups.push(current)
      current = [payload]
    }
  }
  if (current.length > 0) groups.push(current)
  return groups.map((group) => group.join(options.separator))
}

/** Something a payload made the browser do, or left in the DOM ready to do. */
export interface Finding {
  kind: string
  detail: string
  url: string
}

const BINDING = '__datelineXssHit'

/**
 * Runs before any page script, in every frame: alert/confirm/prompt/print report to
 * the test instead of acting. Payloads reach them however they spell the call
 * (top.alert, window['al'+'ert'], (0,alert)(1)), since all resolve to these functions.
 */
const HOOK_SCRIPT = `(() => {
  const report = (kind, detail) => {
    try { window.${BINDING}(kind, String(detail).slice(0, 200)) } catch (e) {}
  }
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    try {
      Object.defineProperty(window, name, {
        configurable: false,
        writable: false,
        value: function (message) { report(name, message); return name === 'confirm' ? false : null },
      })
    } catch (e) {}
  }
  window.addEventListener('securitypolicyviolation', (e) => report('csp-violation', e.violatedDirective + ' ' + e.sample))
})()`

/**
 * Markup that would run script if a reader clicked, focused or waited: event-handler
 * attributes, javascript:/vbscript:/data:text/html URLs, script elements other than the
 * site's own, and elements that load other documents or change where links and forms go.
 */
const SCAN_SCRIPT = `(async () => {
  // Lazy images below the fold would never load, so their error handlers never run:
  // load every image now and wait for each to finish or fail.
  const pending = []
  for (const img of document.images) {
    if (img.loading === 'lazy') img.loading = 'eager'
    if (!img.complete) pending.push(new Promise((done) => {
      img.addEventListener('load', done)
      img.addEventListener('error', done)
    }))
  }
  await Promise.race([Promise.all(pending), new Promise((done) => setTimeout(done, 1500))])
  await new Promise((done) => setTimeout(done, 0))
  // The URL as the browser resolves it: 'javascript\\x3A…' spelled with a backslash is a
  // harmless relative path, 'java&#x09;script:' a live one.
  const isScriptUrl = (value) => {
    let url
    try { url = new URL(value, document.baseURI) } catch (e) { return false }
    if (['javascript:', 'vbscript:', 'livescript:'].includes(url.protocol)) return true
    return url.protocol === 'data:' && !/^data:image\\/(png|jpeg|gif|webp|avif)[;,]/i.test(url.href)
  }
  const found = []
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster',
    'background', 'lowsrc', 'dynsrc', 'srcset', 'codebase', 'cite', 'ping', 'to', 'from', 'values'])
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase()
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase()
      if (name.startsWith('on')) found.push(['event-handler-attribute', tag + ' ' + name + '=' + attr.value])
      else if (urlAttributes.has(name) && isScriptUrl(attr.value))
        found.push(['script-url', tag + ' ' + name + '=' + attr.value])
      else if (name === 'srcdoc') found.push(['srcdoc', tag])
    }
    if (tag === 'script') {
      const ours = el.getAttribute('src') === '/assets/site.js' || el.getAttribute('type') === 'application/ld+json'
      if (!ours) found.push(['script-element', el.outerHTML.slice(0, 200)])
      if (el.getAttribute('type') === 'application/ld+json') {
        try { JSON.parse(el.textContent) } catch (e) { found.push(['broken-json-ld', String(e)]) }
      }
    }
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'form', 'svg', 'math', 'portal',
      'template', 'xss', 'style', 'link'].includes(tag)) {
      const sitesOwn = (tag === 'link' && el.parentElement === document.head) ||
        (tag === 'style' && el.parentElement === document.head && el === document.head.querySelector('style')) ||
        (tag === 'form' && el.matches('div.follow > form.follow-form[action="/account/follows"], ' +
          'div.follow > details.follow-more > ul > li > form.follow-form[action="/account/follows"]')) ||
        (tag === 'svg' && el.parentElement.matches('header.masthead a.bell'))
      if (!sitesOwn) found.push(['active-element', el.outerHTML.slice(0, 200)])
    }
    if (tag === 'meta' && el.hasAttribute('http-equiv')) found.push(['meta-http-equiv', el.outerHTML.slice(0, 200)])
  }
  return found.map(([kind, detail]) => ({ kind, detail, url: location.href }))
})()`

/** A context whose pages count every script execution a payload causes. */
export class XssProbe {
  readonly findings: Finding[] = []

  private constructor(readonly context: BrowserContext) {}

  static async attach(context: BrowserContext): Promise<XssProbe> {
    const probe = new XssProbe(context)
    await context.exposeBinding(BINDING, (source, kind: unknown, detail: unknown) => {
      probe.findings.push({ kind: String(kind), detail: String(detail), url: source.frame.url() })
    })
    await context.addInitScript({ content: HOOK_SCRIPT })
    context.on('page', (page) => probe.watch(page))
    return probe
  }

  private watch(page: Page): void {
    page.on('dialog', (dialog) => {
      this.findings.push({ kind: `dialog:${dialog.type()}`, detail: dialog.message(), url: page.url() })
      dialog.dismiss().catch(() => undefined)
    })
    page.on('popup', (popup) => this.findings.push({ kind: 'popup', detail: popup.url(), url: page.url() }))
    page.on('framenavigated', (frame) => {
      const url = frame.url()
      if (!/^(https?:|about:blank$|about:srcdoc$)/.test(url))
        this.findings.push({ kind: 'navigation', detail: url, url: page.url() })
    })
  }

  /** Loads a page, lets every image load or fail, and records what ran and what is waiting to run. */
  async visit(page: Page, url: string): Promise<void> {
    const response = await page.goto(url, { waitUntil: 'load' })
    if (!response || response.status() !== 200) {
      this.findings.push({ kind: 'not-200', detail: String(response?.status()), url })
      return
    }
    await this.scan(page)
  }

  async scan(page: Page): Promise<void> {
    const found = await page.evaluate<Finding[]>(SCAN_SCRIPT)
    this.findings.push(...found)
  }
}
