import type { ArticleSummary } from '../../modules/articles/index.js'
import { Pager, StoryGrid } from '../components/story-list.js'
import { Layout, type SiteChrome } from '../layouts/layout.js'

export interface SearchPageModel {
  chrome: SiteChrome
  /** What the reader typed, as typed (shown back in the box, escaped by the renderer). */
  query: string
  stories: ArticleSummary[]
  page: number
  hasNext: boolean
  now: Date
}

/** Reader search: the box, then the published stories that match, best first. */
export function SearchPage(model: SearchPageModel) {
  const searched = model.query.trim() !== ''
  const pageSuffix = model.page > 1 ? ` (page ${model.page})` : ''
  return (
    <Layout
      chrome={model.chrome}
      head={{
        title: searched
          ? `Search: ${model.query}${pageSuffix} | ${model.chrome.siteName}`
          : `Search | ${model.chrome.siteName}`,
        // Result pages are endless and change by the minute: not for search engines.
        noindex: searched,
        canonical: `${model.chrome.publicUrl}/search`,
      }}
    >
      <h1>Search</h1>
      <form class="search-form" role="search" method="get" action="/search">
        <label for="search-q">Search the stories</label>
        <input id="search-q" type="search" name="q" value={model.query} maxLength={200} />
        <button type="submit">Search</button>
      </form>
      {searched &&
        (model.stories.length === 0 ? (
          <p role="status">No published story matches {`“${model.query}”`}.</p>
        ) : (
          <>
            <p role="status">
              Stories matching {`“${model.query}”`}
              {pageSuffix}
            </p>
            <StoryGrid stories={model.stories} now={model.now} headingLevel="h2" />
          </>
        ))}
      <Pager
        basePath="/search"
        page={model.page}
        hasNext={model.hasNext}
        query={`q=${encodeURIComponent(model.query)}`}
      />
    </Layout>
  )
}
