import type { ArticleSummary } from '../../modules/articles/index.js'
import {
  articleHref,
  Pager,
  responsive,
  RelativeTime,
  StoryGrid,
  StoryList,
} from '../components/story-list.js'
import { FollowControl, type FollowChoice } from '../components/follow-control.js'
import { Layout, type SiteChrome } from '../layouts/layout.js'

export interface FrontPageModel {
  chrome: SiteChrome
  lead: ArticleSummary | undefined
  latest: ArticleSummary[]
  sectionBlocks: { slug: string; name: string; stories: ArticleSummary[] }[]
  now: Date
}

/** The home front: the lead story, the latest news, then a block per section. */
export function FrontPage(model: FrontPageModel) {
  const { chrome, lead, now } = model
  return (
    <Layout
      chrome={{ ...chrome, currentSection: '' }}
      head={{
        title: `${chrome.siteName}: latest news`,
        description: `Breaking news and the latest stories from ${chrome.siteName}.`,
        canonical: `${chrome.publicUrl}/`,
        openGraph: {
          'og:type': 'website',
          'og:title': chrome.siteName,
          'og:url': `${chrome.publicUrl}/`,
          'og:site_name': chrome.siteName,
        },
      }}
      live={{ list: 'front' }}
    >
      <h1 class="skip">{chrome.siteName}: latest news</h1>
      <NewStoriesLink href="/" />
      {lead ? (
        <section class="lead" aria-label="Lead story">
          {lead.hero && (
            <img
              src={lead.hero.src}
              alt={lead.hero.alt}
              width={lead.hero.width}
              height={lead.hero.height}
              {...responsive(lead.hero, '(min-width: 72rem) 43rem, (min-width: 48rem) 60vw, 100vw')}
              fetchpriority="high"
              decoding="async"
            />
          )}
          <div>
            <p class="kicker">
              <a href={`/${lead.sectionSlug}`}>{lead.sectionName}</a>
            </p>
            <h2>
              <a href={articleHref(lead)}>{lead.headline}</a>
            </h2>
            {lead.keyPoints.length > 0 && (
              <ul class="keypoints">
                {lead.keyPoints.slice(0, 3).map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            )}
            <p>
              Updated <RelativeTime time={lead.publicUpdatedAt} now={now} />
            </p>
          </div>
        </section>
      ) : (
        <p>No stories have been published yet.</p>
      )}
      <div class="layout">
        <div>
          {model.sectionBlocks.map((block) => (
            <section class="block" aria-labelledby={`block-${block.slug}`} key={block.slug}>
              <h2 id={`block-${block.slug}`}>
                <a href={`/${block.slug}`}>{block.name}</a>
              </h2>
              <StoryGrid stories={block.stories} now={now} />
            </section>
          ))}
        </div>
        <aside class="rail" aria-labelledby="latest-heading">
          <h2 id="latest-heading">Latest news</h2>
          <StoryList stories={model.latest} now={now} />
          <p>
            <a href="/latest?page=2">More stories</a>
          </p>
        </aside>
      </div>
    </Layout>
  )
}

export interface ListPageModel {
  chrome: SiteChrome
  /** "World", "Topic: Climate", "Maria Lindqvist" */
  title: string
  intro?: string | undefined
  basePath: string
  canonicalUrl: string
  currentSection?: string | undefined
  stories: ArticleSummary[]
  page: number
  hasNext: boolean
  now: Date
  /** The topic, author or section this list is of, for its Follow button. */
  follow?: FollowChoice | undefined
  /** Live channel announcing stories published into this list ("section:world"). */
  liveList?: string | undefined
  /** Whether this list has feeds of its own at basePath/feed.xml (sections and topics do). */
  hasFeed?: boolean | undefined
}

/** Section fronts, topic pages, author pages and the latest-news archive, paginated. */
export function ListPage(model: ListPageModel) {
  const pageSuffix = model.page > 1 ? ` (page ${model.page})` : ''
  return (
    <Layout
      chrome={{ ...model.chrome, currentSection: model.currentSection }}
      head={{
        title: `${model.title}${pageSuffix} | ${model.chrome.siteName}`,
        description: model.intro ?? `${model.title}: the latest stories from ${model.chrome.siteName}.`,
        canonical: model.canonicalUrl,
        openGraph: {
          'og:type': 'website',
          'og:title': model.title,
          'og:url': model.canonicalUrl,
          'og:site_name': model.chrome.siteName,
        },
        feed: model.hasFeed
          ? { title: `${model.title} | ${model.chrome.siteName}`, basePath: model.basePath }
          : undefined,
      }}
      live={model.liveList ? { list: model.liveList } : undefined}
    >
      <h1>
        {model.title}
        {pageSuffix}
      </h1>
      {model.intro && <p>{model.intro}</p>}
      {model.follow && (
        <FollowControl choices={[model.follow]} reader={model.chrome.reader} returnTo={model.basePath} />
      )}
      {model.liveList && <NewStoriesLink href={model.basePath} />}
      {model.stories.length === 0 ? (
        <p>No stories here yet.</p>
      ) : (
        <StoryGrid stories={model.stories} now={model.now} headingLevel="h2" />
      )}
      <Pager basePath={model.basePath} page={model.page} hasNext={model.hasNext} />
    </Layout>
  )
}

export function ErrorPage(props: { chrome: SiteChrome; status: 404 | 410 | 500; message: string }) {
  const titles = { 404: 'Page not found', 410: 'This story has been removed', 500: 'Something went wrong' }
  return (
    <Layout
      chrome={props.chrome}
      head={{ title: `${titles[props.status]} | ${props.chrome.siteName}`, noindex: true }}
    >
      <div class="error-page">
        <h1>{titles[props.status]}</h1>
        <p>{props.message}</p>
        <p>
          <a href="/">Go to the front page</a>
        </p>
      </div>
    </Layout>
  )
}

/**
 * "N new stories": shown by site.js when stories are published into this list after the
 * page loaded. A plain link to the list, so it works whatever the script manages.
 */
function NewStoriesLink(props: { href: string }) {
  return (
    <p class="new-stories" data-new-stories="" hidden>
      <a href={props.href}>New stories</a>
    </p>
  )
}
