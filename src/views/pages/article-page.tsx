import { render } from 'preact-render-to-string'
import type { ArticleSummary, ArticleView, HeroImage } from '../../modules/articles/index.js'
import { storedText, truncate } from '../../platform/text.js'
import { Layout, type SiteChrome } from '../layouts/layout.js'
import { FollowControl, type FollowChoice } from '../components/follow-control.js'
import { RawHtml } from '../components/raw-html.js'
import { RelativeTime, StoryGrid, StoryList } from '../components/story-list.js'
import { formatAbsolute, formatAbsoluteWithTime } from '../components/time-format.js'

/** How many of the section's next stories and of the site's newest the page shows. */
export const NEXT_STORIES = 4
export const LATEST_STORIES = 8

export interface ArticlePageModel {
  chrome: SiteChrome
  article: ArticleView
  canonicalUrl: string
  shortUrl: string
  /** The section's next stories and the site's newest, rendered by renderStoryLists. */
  lists: StoryLists
  now: Date
  /** Keeps search engines away (the newsroom's preview of an unpublished draft). */
  noindex?: boolean | undefined
}

/** Plain text for meta tags and JSON-LD: the first key point, or the body's opening words. */
function description(article: ArticleView): string {
  const point = article.keyPoints[0]
  return truncate(point ?? storedText(article.bodyHtml, 200), 200)
}

/** The publisher's logo, for structured data (served from src/views/assets/logo.png). */
export const PUBLISHER_LOGO = { path: '/assets/logo.png', width: 240, height: 240 }

function absoluteUrl(publicUrl: string, src: string): string {
  return src.startsWith('/') ? `${publicUrl}${src}` : src
}

export function newsArticleJsonLd(model: ArticlePageModel, summary = description(model.article)): object {
  const { article, chrome } = model
  const authors =
    article.authors.length > 0
      ? article.authors.map((a) => ({
          '@type': 'Person',
          name: a.displayName,
          url: `${chrome.publicUrl}/author/${a.slug}`,
        }))
      : [{ '@type': 'Organization', name: article.sourceCredit || chrome.siteName }]
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: { '@type': 'WebPage', '@id': model.canonicalUrl },
    headline: article.headline,
    description: summary,
    inLanguage: article.language,
    ...(article.hero && { image: [absoluteUrl(chrome.publicUrl, article.hero.src)] }),
    datePublished: article.firstPublishedAt?.toISOString(),
    dateModified: (article.publicUpdatedAt ?? article.firstPublishedAt)?.toISOString(),
    author: authors,
    publisher: {
      '@type': 'Organization',
      name: chrome.siteName,
      url: chrome.publicUrl,
      logo: {
        '@type': 'ImageObject',
        url: `${chrome.publicUrl}${PUBLISHER_LOGO.path}`,
        width: PUBLISHER_LOGO.width,
        height: PUBLISHER_LOGO.height,
      },
    },
    articleSection: article.section.name,
    keywords: article.topics.map((t) => t.name).join(', '),
    url: model.canonicalUrl,
  }
}

/** The story's main topic first, then its other topics, its authors and its section. */
export function followChoices(article: ArticleView): FollowChoice[] {
  return [
    ...article.topics.map((t) => ({ kind: 'topic' as const, targetId: t.id, name: t.name })),
    ...article.authors.map((a) => ({ kind: 'author' as const, targetId: a.id, name: a.displayName })),
    { kind: 'section', targetId: article.section.id, name: article.section.name },
  ]
}

export function ArticlePage(model: ArticlePageModel) {
  const { article, chrome, now } = model
  const updated = article.publicUpdatedAt ?? article.firstPublishedAt ?? now
  const published = article.firstPublishedAt ?? now
  const summary = description(article)
  const og: Record<string, string> = {
    'og:type': 'article',
    'og:title': article.headline,
    'og:description': summary,
    'og:url': model.canonicalUrl,
    'og:site_name': chrome.siteName,
    'article:published_time': published.toISOString(),
    'article:modified_time': updated.toISOString(),
    'article:section': article.section.name,
  }
  if (article.hero) {
    og['og:image'] = absoluteUrl(chrome.publicUrl, article.hero.src)
    og['og:image:alt'] = article.hero.alt
  }
  return (
    <Layout
      chrome={{ ...chrome, currentSection: article.section.slug }}
      head={{
        title: `${article.headline} | ${chrome.siteName}`,
        description: summary,
        canonical: model.canonicalUrl,
        shortlink: model.shortUrl,
        openGraph: og,
        jsonLd: newsArticleJsonLd(model, summary),
        language: article.language,
        noindex: model.noindex,
      }}
      live={{ article: article.id }}
    >
      <div class="layout">
        <div>
          <article class="article">
            <header>
              <p class="kicker">
                {article.breaking && <strong class="breaking-label">Breaking</strong>}
                <a href={`/${article.section.slug}`}>{article.section.name}</a>
              </p>
              <h1>{article.headline}</h1>
              {article.keyPoints.length > 0 && (
                <ul class="keypoints" aria-label="Key points">
                  {article.keyPoints.map((point, i) => (
                    <li key={i}>{point}</li>
                  ))}
                </ul>
              )}
              <div class="meta">
                {(article.authors.length > 0 || article.byline) && (
                  <p class="byline">
                    By{' '}
                    {article.authors.length > 0
                      ? article.authors.map((a, i) => (
                          <span key={a.id}>
                            {i > 0 && ', '}
                            <a href={`/author/${a.slug}`} rel="author">
                              {a.displayName}
                            </a>
                          </span>
                        ))
                      : article.byline}
                  </p>
                )}
                <p class="updated">
                  Updated <RelativeTime time={updated} now={now} />
                </p>
                <p class="published">
                  Published{' '}
                  <time datetime={published.toISOString()} title={formatAbsoluteWithTime(published)}>
                    {formatAbsolute(published)}
                  </time>
                </p>
                <p class="shorturl">
                  <label for="short-url">Short Url</label>
                  <input id="short-url" type="text" readonly value={model.shortUrl} />
                  <button type="button" data-copy="short-url" hidden>
                    Copy
                  </button>
                </p>
                <FollowControl
                  choices={followChoices(article)}
                  reader={chrome.reader}
                  returnTo={`/${article.section.slug}/${article.slug}`}
                />
              </div>
            </header>
            {article.hero && (
              <figure class="hero">
                <HeroPicture hero={article.hero} sizes={HERO_SIZES} />
                {(article.hero.caption || article.hero.credit) && (
                  <figcaption>
                    {article.hero.caption}
                    {article.hero.caption && article.hero.credit && ' '}
                    {article.hero.credit && <span class="credit">({article.hero.credit})</span>}
                  </figcaption>
                )}
              </figure>
            )}
            {article.dateline && <p class="dateline">{article.dateline}</p>}
            <div class="body" dangerouslySetInnerHTML={{ __html: article.bodyHtml }} />
            {article.corrections.map((c, i) => (
              <aside class="correction" key={i} aria-label="Correction">
                <p>
                  <strong>Correction</strong>{' '}
                  <time datetime={c.createdAt.toISOString()}>{formatAbsolute(c.createdAt)}</time>
                </p>
                <p>{c.note}</p>
              </aside>
            ))}
            {article.sourceCredit && <p class="source">Source: {article.sourceCredit}</p>}
            {article.topics.length > 0 && (
              <nav class="topics" aria-label="Topics">
                <ul>
                  {article.topics.map((t) => (
                    <li key={t.id}>
                      <a href={`/topic/${t.slug}`}>{t.name}</a>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
          </article>
          <RawHtml html={model.lists.next} />
        </div>
        <aside class="rail" aria-labelledby="latest-heading">
          <RawHtml html={model.lists.latest} />
        </aside>
      </div>
    </Layout>
  )
}

/** The lists under and beside a story, as HTML. */
export interface StoryLists {
  next: string
  latest: string
}

/**
 * Renders the lists under and beside a story. Every story page outside these lists shows
 * the very same ones, so the reader site renders them once per change and shares them:
 * cards with photos and times are about half the work of rendering a story page.
 */
export function renderStoryLists(input: {
  sectionName: string
  nextStories: ArticleSummary[]
  latest: ArticleSummary[]
  now: Date
}): StoryLists {
  const { sectionName, nextStories, latest, now } = input
  return {
    next:
      nextStories.length === 0
        ? ''
        : render(
            <section class="next" aria-labelledby="next-heading">
              <h2 id="next-heading">More from {sectionName}</h2>
              <StoryGrid stories={nextStories} now={now} />
            </section>,
          ),
    latest: render(
      <>
        <h2 id="latest-heading">Latest news</h2>
        <StoryList stories={latest} now={now} />
      </>,
    ),
  }
}

const HERO_SIZES = '(min-width: 60rem) 44rem, 100vw'

/**
 * The hero in every size it has: modern-format sources first, then the JPEG/PNG image
 * with its own srcset; width and height always, so the page does not jump as it loads.
 */
function HeroPicture({ hero, sizes }: { hero: HeroImage; sizes: string }) {
  const img = (
    <img
      src={hero.src}
      alt={hero.alt}
      width={hero.width}
      height={hero.height}
      {...(hero.srcset && { srcset: `${hero.srcset}, ${hero.src} ${hero.width}w`, sizes })}
      fetchpriority="high"
      decoding="async"
    />
  )
  const sources = hero.sources.filter((s) => s.srcset !== '')
  if (sources.length === 0) return img
  return (
    <picture>
      {sources.map((s) => (
        <source key={s.type} type={s.type} srcset={s.srcset} sizes={sizes} />
      ))}
      {img}
    </picture>
  )
}
