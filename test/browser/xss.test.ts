import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import sharp from 'sharp'
import {
  createArticle,
  publishArticle,
  updateArticle,
  type ArticleView,
  type CreateArticleInput,
} from '../../src/modules/articles/index.js'
import { MAX_DATELINE_LENGTH, MAX_KEY_POINTS, sanitizeBody } from '../../src/modules/story-text/index.js'
import { createSection, type Section } from '../../src/modules/taxonomy/index.js'
import { isAppError } from '../../src/platform/app-error.js'
import { cleanText } from '../../src/platform/text.js'
import { HAS_CHROMIUM, IN_CI, launchBrowser, startTestServer, type TestServer } from './support/browser.js'
import {
  hasPayloads,
  loadXssPayloads,
  packPayloads,
  PARSER_RESET,
  PAYLOAD_DIR,
  XssProbe,
  type Finding,
} from './support/xss-probe.js'

const HAS_PAYLOADS = hasPayloads()
if (!HAS_PAYLOADS) {
  if (IN_CI) throw new Error(`The XSS payload lists are required in CI but ${PAYLOAD_DIR} is missing`)
  console.log(`# XSS payload lists not found at ${PAYLOAD_DIR}: the XSS test skips on this machine`)
}

const PROBE_SECTION = 'probes'
const HTML_SIGNIFICANT = /[<&"]/
const PROBE_TOPIC = 'XSS probes'
/** Pages open at once; the machine has two cores shared with the server. */
const WORKERS = 3

/** Replaces a field the content core refused (a refusal is a safe outcome) with plain text. */
function withFallback(input: CreateArticleInput, field: string, i: number): CreateArticleInput {
  const [root, index] = field.split('/')
  switch (root) {
    case 'headline':
      return { ...input, headline: `Probe story ${i}` }
    case 'keyPoints':
      return {
        ...input,
        keyPoints: (input.keyPoints ?? []).map((point, k) =>
          String(k) === index ? `Probe point ${i}` : point,
        ),
      }
    case 'byline':
      return { ...input, byline: `Probe byline ${i}` }
    case 'sourceCredit':
      return { ...input, sourceCredit: `Probe source ${i}` }
    case 'dateline':
      return { ...input, dateline: `PROBE ${i}` }
    case 'hero':
      return { ...input, hero: { ...input.hero!, alt: `Probe photo ${i}` } }
    default:
      throw new Error(`no fallback for refused field ${field}`)
  }
}

function describeFindings(findings: Finding[]): string {
  const kinds = new Map<string, number>()
  for (const f of findings) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1)
  const counts = [...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ')
  return `${counts}\n${findings
    .slice(0, 15)
    .map((f) => `  ${f.kind}: ${f.detail} (at ${f.url})`)
    .join('\n')}`
}

describe(
  'reader pages under XSS payloads in Chromium',
  { skip: !HAS_CHROMIUM || !HAS_PAYLOADS ? 'Chromium or payload lists missing' : false },
  () => {
    let server: TestServer
    let browser: Browser
    let context: BrowserContext
    let probe: XssProbe
    const { payloads, perList } = HAS_PAYLOADS ? loadXssPayloads() : { payloads: [], perList: {} }
    const refused = new Map<string, number>()
    const refuse = (field: string) => refused.set(field, (refused.get(field) ?? 0) + 1)
    const articles: ArticleView[] = []
    const sections: Section[] = []

    before(async () => {
      ;[server, browser] = await Promise.all([startTestServer(), launchBrowser()])
      // bypassCSP: the site's Content-Security-Policy would stop inline script anyway;
      // this test checks that the markup itself is inert, a layer beneath the CSP.
      context = await browser.newContext({ bypassCSP: true })
      probe = await XssProbe.attach(context)
    })

    after(async () => {
      await browser?.close()
      await server?.stop()
    })

    it('counts a payload that runs when markup is rendered unescaped', async () => {
      const page = await context.newPage()
      await page.setContent('<p>unescaped</p><img src=x onerror=alert(1)>')
      await waitFor(() => probe.findings.some((f) => f.kind === 'alert'), 3000)
      await page.setContent('<a href="javascript:alert(2)">x</a><p onmouseover="confirm(3)">y</p>')
      await probe.scan(page)
      const kinds = probe.findings.map((f) => f.kind)
      assert.ok(kinds.includes('alert'), `the hook saw no alert: ${kinds.join(', ')}`)
      assert.ok(kinds.includes('script-url'), `the scan missed a javascript: link: ${kinds.join(', ')}`)
      assert.ok(
        kinds.includes('event-handler-attribute'),
        `the scan missed an onmouseover: ${kinds.join(', ')}`,
      )
      await page.close()
      probe.findings.length = 0
    })

    it('runs none of the XSS list payloads put in any text, HTML or URL field of a story, section or topic', async () => {
      // Fields: headline, slug, key points, body, byline, source credit, dateline, correction
      // note, the hero's alt, caption, credit, src and srcset, topic names and section names.
      assert.ok(payloads.length >= 600, `only ${payloads.length} distinct payloads loaded`)
      probe.findings.length = 0
      const { ctx, editor } = server
      await sharp({ create: { width: 40, height: 30, channels: 3, background: '#8899aa' } })
        .jpeg()
        .toFile(path.join(server.dataDir, 'media', 'probe.jpg'))
      await createSection(ctx.taxonomy, { name: 'Probes', slug: PROBE_SECTION, position: 0 })

      const started = Date.now()
      // Many payloads share a field (see packPayloads), so about a hundred stories carry them all.
      const text = (limit: number) =>
        packPayloads(payloads, { clean: cleanText, limit, maxPerGroup: 1000, separator: ' ' })
      const long = (clean: (value: string) => string) =>
        packPayloads(payloads, { clean, limit: Infinity, maxPerGroup: 40, separator: PARSER_RESET })
      const channels = {
        headline: text(200),
        byline: text(200),
        sourceCredit: text(120),
        keyPoints: text(300),
        dateline: text(MAX_DATELINE_LENGTH),
        correction: text(1000),
        heroAlt: long(cleanText),
        heroCaption: long(cleanText),
        heroCredit: long(cleanText),
        body: long(sanitizeBody),
      }
      const sectionNames = text(60)
      const storyCount = Math.max(
        ...Object.entries(channels).map(([name, groups]) =>
          name === 'keyPoints' ? Math.ceil(groups.length / MAX_KEY_POINTS) : groups.length,
        ),
      )

      const packed = Date.now()
      for (const [k, name] of sectionNames.entries()) {
        try {
          sections.push(await createSection(ctx.taxonomy, { name, slug: `probe-${k}`, position: k + 1 }))
        } catch (error) {
          if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error
          refuse('section name')
        }
      }

      for (let j = 0; j < storyCount; j++) {
        const pick = (groups: string[], fallback: string) => groups[j] ?? fallback
        let input: CreateArticleInput = {
          headline: pick(channels.headline, `Probe story ${j}`),
          section: sections.length > 0 ? sections[j % sections.length]!.slug : PROBE_SECTION,
          keyPoints: channels.keyPoints.slice(j * MAX_KEY_POINTS, (j + 1) * MAX_KEY_POINTS),
          bodyHtml: `<p>Probe ${j} follows.</p>\n${pick(channels.body, '')}\n<p>After probe ${j}.</p>`,
          byline: pick(channels.byline, `Probe byline ${j}`),
          dateline: pick(channels.dateline, `PROBE ${j}`),
          sourceCredit: pick(channels.sourceCredit, `Probe source ${j}`),
          authorIds: [],
          topics: [PROBE_TOPIC, ...payloads.filter((_, i) => i % storyCount === j)],
          hero: {
            src: '/media/probe.jpg',
            width: 40,
            height: 30,
            alt: pick(channels.heroAlt, `Probe photo ${j}`),
            caption: pick(channels.heroCaption, ''),
            credit: pick(channels.heroCredit, ''),
          },
        }
        let view: ArticleView | undefined
        for (let attempt = 0; !view; attempt++) {
          try {
            view = await createArticle(ctx.articles, editor, input)
          } catch (error) {
            const problems = isAppError(error) ? (error.details?.problems ?? []) : []
            if (problems.length === 0 || attempt > 5) throw error
            for (const problem of problems) {
              refuse(problem.field)
              input = withFallback(input, problem.field, j)
            }
          }
        }
        const published = await publishArticle(ctx.articles, editor, view.id)
        const correction = channels.correction[j]
        if (correction === undefined) articles.push(published)
        else {
          // A correction note shows on the page with its date.
          const update = { version: published.version, correction, updateKind: 'minor' as const }
          try {
            articles.push(await updateArticle(ctx.articles, editor, published.id, update))
          } catch (error) {
            if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error
            refuse('correction')
            articles.push(published)
          }
        }
      }

      // A story's own slug, when given, must be a slug: each payload alone, published if accepted.
      for (const [i, payload] of payloads.entries()) {
        try {
          const draft = await createArticle(ctx.articles, editor, {
            headline: `Slug probe ${i}`,
            slug: payload,
            section: PROBE_SECTION,
            bodyHtml: '<p>Slug probe.</p>',
          })
          articles.push(await publishArticle(ctx.articles, editor, draft.id))
        } catch (error) {
          if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error
          refuse('slug')
        }
      }

      // The photo's URL fields take only URLs: each payload alone, published if accepted.
      for (const [i, payload] of payloads.entries()) {
        for (const field of ['src', 'srcset'] as const) {
          try {
            const draft = await createArticle(ctx.articles, editor, {
              headline: `Photo URL probe ${i} ${field}`,
              section: PROBE_SECTION,
              bodyHtml: '<p>Photo URL probe.</p>',
              hero: { src: '/media/probe.jpg', width: 40, height: 30, alt: 'Probe photo', [field]: payload },
            })
            articles.push(await publishArticle(ctx.articles, editor, draft.id))
          } catch (error) {
            if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error
            refuse(`hero/${field}`)
          }
        }
      }

      const topics = new Map(articles.flatMap((a) => a.topics.map((t) => [t.slug, t.name] as const)))
      const probeTopic = articles[0]!.topics.find((t) => t.name === PROBE_TOPIC)!.slug
      const urls = [
        '/',
        ...articles.map((a) => `/${a.section.slug}/${a.slug}`),
        ...Array.from(
          {
            length: Math.ceil(
              articles.filter((a) => a.topics.some((t) => t.slug === probeTopic)).length / 20,
            ),
          },
          (_, p) => `/topic/${probeTopic}?page=${p + 1}`,
        ),
        // Every name shows on the story pages and (sections) in every page's navigation.
        // A name's own page is loaded too when the name holds <, & or ", the only
        // characters that can change the meaning of text or of a quoted attribute.
        ...[...topics].filter(([, name]) => HTML_SIGNIFICANT.test(name)).map(([slug]) => `/topic/${slug}`),
        ...sections.filter((s) => HTML_SIGNIFICANT.test(s.name)).map((s) => `/${s.slug}`),
      ]
      const created = Date.now()
      await visitAll(
        context,
        probe,
        urls.map((u) => server.url + u),
      )
      const lists = Object.entries(perList)
        .map(([file, n]) => `${file} ${n}`)
        .join(', ')
      const refusals = [...refused].map(([field, n]) => `${field} ${n}`).join(', ')
      console.log(
        `# ${payloads.length} payloads (${lists}) in ${articles.length} stories, ${sections.length} sections ` +
          `and ${topics.size} topics; ${urls.length} pages loaded; packing ${packed - started} ms, ` +
          `creating ${created - packed} ms, loading ${Date.now() - created} ms; ` +
          `refused by the content rules: ${refusals}`,
      )
      // The payloads reached readers, as text: a headline full of markup reads as written.
      const marked = articles.find((a) => a.headline.includes('<'))
      assert.ok(marked, 'no stored headline kept a "<" to show')
      const page = await context.newPage()
      await page.goto(`${server.url}/${marked.section.slug}/${marked.slug}`)
      assert.equal(await page.locator('h1').textContent(), marked.headline)
      await page.close()
      assert.deepEqual(
        probe.findings.map((f) => f.kind),
        [],
        `payloads ran or left live script on ${probe.findings.length} occasions:\n${describeFindings(probe.findings)}`,
      )
    })
  },
)

async function visitAll(context: BrowserContext, probe: XssProbe, urls: string[]): Promise<void> {
  const queue = [...urls]
  const worker = async () => {
    const page: Page = await context.newPage()
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) await probe.visit(page, url)
    await page.close()
  }
  await Promise.all(Array.from({ length: WORKERS }, worker))
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
}
