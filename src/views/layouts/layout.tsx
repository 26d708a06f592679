import type { ComponentChildren } from 'preact'

export interface SiteChrome {
  siteName: string
  publicUrl: string
  sections: { slug: string; name: string }[]
  currentSection?: string | undefined
  /** The stylesheet, inlined: one small file, no render-blocking request. */
  css: string
}

export interface HeadMeta {
  title: string
  description?: string | undefined
  canonical?: string | undefined
  shortlink?: string | undefined
  openGraph?: Record<string, string> | undefined
  jsonLd?: object | undefined
  noindex?: boolean | undefined
}

/** JSON inside <script> must not be able to close the element. */
export function safeJson(value: object): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

export function Layout(props: { chrome: SiteChrome; head: HeadMeta; children: ComponentChildren }) {
  const { chrome, head } = props
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{head.title}</title>
        {head.description && <meta name="description" content={head.description} />}
        {head.noindex && <meta name="robots" content="noindex" />}
        {head.canonical && <link rel="canonical" href={head.canonical} />}
        {head.shortlink && <link rel="shortlink" href={head.shortlink} />}
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
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="masthead">
          <div class="wrap">
            <a class="brand" href="/">
              {chrome.siteName}
            </a>
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
