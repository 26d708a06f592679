import type { ComponentChildren } from 'preact'
import { FEED_FILES } from '../feeds/feed-formats.js'

export interface SiteChrome {
  siteName: string
  publicUrl: string
  sections: { slug: string; name: string }[]
  currentSection?: string | undefined
  /** The stylesheet, inlined: one small file, no render-blocking request. */
  css: string
  /** The signed-in reader's part of the page; absent on the shared, cached rendering. */
  reader?: ReaderChrome | undefined
  /** Published stories flagged as breaking news, most recent first: the site-wide banner. */
  breaking?: BreakingStory[] | undefined
  /** The event-log id the page's data is at least as new as; live updates resume after it. */
  liveSince?: number | undefined
}

export interface BreakingStory {
  id: number
  headline: string
  path: string
}

/** What an open page listens to for live updates: its story, or the list it shows. */
export interface LiveHooks {
  article?: number | undefined
  list?: string | undefined
}

/** What a page shows only to a signed-in reader: the bell, Follow states and the CSRF token forms carry. */
export interface ReaderChrome {
  unread: number
  csrfToken: string
  /** What the reader follows, as "kind:id" keys. */
  follows: ReadonlySet<string>
}

export interface HeadMeta {
  title: string
  description?: string | undefined
  canonical?: string | undefined
  shortlink?: string | undefined
  openGraph?: Record<string, string> | undefined
  jsonLd?: object | undefined
  noindex?: boolean | undefined
  /** BCP 47 tag of the page's main text; English when absent. */
  language?: string | undefined
  /** The feeds that follow this page (a section's, a topic's); the site's when absent. */
  feed?: { title: string; basePath: string } | undefined
}

/** JSON inside <script> must not be able to close the element. */
export function safeJson(value: object): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => JSON_ESCAPES[c] ?? c)
}

const JSON_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

const FEED_LINKS = Object.values(FEED_FILES).map((f) => ({ ...f, type: f.contentType.split(';')[0] }))

export function Layout(props: {
  chrome: SiteChrome
  head: HeadMeta
  live?: LiveHooks | undefined
  children: ComponentChildren
}) {
  const { chrome, head, live } = props
  return (
    <html lang={head.language ?? 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{head.title}</title>
        {head.description && <meta name="description" content={head.description} />}
        {head.noindex && <meta name="robots" content="noindex" />}
        {head.canonical && <link rel="canonical" href={head.canonical} />}
        {head.shortlink && <link rel="shortlink" href={head.shortlink} />}
        {FEED_LINKS.map(({ type, file, label }) => (
          <link
            rel="alternate"
            type={type}
            title={`${head.feed?.title ?? chrome.siteName} (${label})`}
            href={`${head.feed?.basePath ?? ''}/${file}`}
            key={file}
          />
        ))}
        {head.openGraph &&
          Object.entries(head.openGraph).map(([property, content]) => (
            <meta property={property} content={content} key={property} />
          ))}
        {head.openGraph && (
          <meta
            name="twitter:card"
            content={head.openGraph['og:image'] ? 'summary_large_image' : 'summary'}
          />
        )}
        <style dangerouslySetInnerHTML={{ __html: chrome.css }} />
        <script src="/assets/site.js" defer />
        {head.jsonLd && (
          <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: safeJson(head.jsonLd) }} />
        )}
      </head>
      <body data-live-since={chrome.liveSince} data-live-article={live?.article} data-live-list={live?.list}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="masthead">
          <div class="wrap">
            <a class="brand" href="/">
              {chrome.siteName}
            </a>
            <AccountLinks reader={chrome.reader} />
            <nav class="nav" aria-label="Sections">
              <ul>
                <li>
                  <a href="/" aria-current={chrome.currentSection === '' ? 'page' : undefined}>
                    Home
                  </a>
                </li>
                {chrome.sections.map((s) => (
                  <li key={s.slug}>
                    <a
                      href={`/${s.slug}`}
                      aria-current={chrome.currentSection === s.slug ? 'page' : undefined}
                    >
                      {s.name}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </header>
        <BreakingBanner stories={chrome.breaking ?? []} />
        <p class="visually-hidden" aria-live="polite" data-live-status="" />
        <main id="main" class="wrap">
          {props.children}
        </main>
        <footer class="footer">
          <div class="wrap">
            <p>{chrome.siteName} · Published with Dateline</p>
          </div>
        </footer>
      </body>
    </html>
  )
}

/** Top right of the masthead: "Sign in", or the bell with the unread count and the account link. */
function AccountLinks(props: { reader: ReaderChrome | undefined }) {
  const { reader } = props
  if (!reader) {
    return (
      <p class="account-links">
        <a href="/search">Search</a>
        <a href="/account/sign-in">Sign in</a>
      </p>
    )
  }
  const label = reader.unread === 1 ? '1 unread notification' : `${reader.unread} unread notifications`
  return (
    <p class="account-links">
      <a class="bell" href="/account/notifications" aria-label={`Notifications: ${label}`} title={label}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {reader.unread > 0 && (
          <span class="bell-count" data-unread={reader.unread}>
            {reader.unread > 99 ? '99+' : reader.unread}
          </span>
        )}
      </a>
      <a href="/search">Search</a>
      <a href="/account">Account</a>
    </p>
  )
}

/**
 * The site-wide breaking-news banner, in the page itself so readers without JavaScript see
 * it; site.js hides stories a reader dismissed and keeps it current over the live stream.
 * Rendered (hidden) when empty, so a story flagged later has somewhere to appear.
 */
function BreakingBanner(props: { stories: BreakingStory[] }) {
  return (
    <aside
      class="breaking-banner"
      aria-label="Breaking news"
      data-breaking-banner=""
      hidden={props.stories.length === 0}
    >
      <ul class="wrap">
        {props.stories.map((story) => (
          <li key={story.id} data-story-id={story.id}>
            <strong class="breaking-label">Breaking</strong>
            <a href={story.path}>{story.headline}</a>
            <button type="button" class="dismiss" data-dismiss={story.id} aria-label="Dismiss" hidden>
              ×
            </button>
          </li>
        ))}
      </ul>
    </aside>
  )
}
