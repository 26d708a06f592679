import { useEffect, useState } from 'preact/hooks'
import type { Api, ListQuery } from './api.js'
import { listHref, navigate, storyHref } from './router.js'
import type { Article, Section, SessionUser } from './types.js'

/** The preset lists in the navigation; each is a query the filters can refine. */
export const LISTS: { label: string; query: ListQuery; editorsOnly?: boolean }[] = [
  { label: 'My drafts', query: { mine: true, status: 'draft' } },
  { label: 'All drafts', query: { status: 'draft' }, editorsOnly: true },
  { label: 'Scheduled', query: { status: 'scheduled' } },
  { label: 'Published', query: { status: 'published' } },
]

const STATUSES = ['draft', 'scheduled', 'published', 'unpublished'] as const

export function listTitle(query: ListQuery): string {
  const preset = LISTS.find((l) => listHref(l.query) === listHref({ ...query, section: undefined }))
  return preset?.label ?? (query.mine ? 'My stories' : 'All stories')
}

interface StoryListProps {
  api: Api
  user: SessionUser
  sections: Section[]
  query: ListQuery
}

export function StoryList({ api, sections, query }: StoryListProps) {
  const [stories, setStories] = useState<Article[] | null>(null)
  const [error, setError] = useState('')
  const title = listTitle(query)
  const sectionName = sections.find((s) => s.slug === query.section)?.name

  useEffect(() => {
    document.title = `${title} · Newsroom`
    let cancelled = false
    setStories(null)
    setError('')
    api
      .listStories(query)
      .then((items) => !cancelled && setStories(items))
      .catch(
        (e: unknown) =>
          !cancelled && setError(e instanceof Error ? e.message : 'Stories could not be loaded'),
      )
    return () => {
      cancelled = true
    }
  }, [api, title, query.status, query.section, query.mine])

  const refine = (change: Partial<ListQuery>) =>
    navigate(listHref({ ...query, ...change }), { replace: true })

  return (
    <>
      <h1 class="screen-title" tabIndex={-1}>
        {title}
        {sectionName && ` in ${sectionName}`}
      </h1>
      <form class="filters" aria-label="Filter stories" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="filter-section">Section</label>
          <select
            id="filter-section"
            value={query.section ?? ''}
            onChange={(e) => refine({ section: e.currentTarget.value || undefined })}
          >
            <option value="">All sections</option>
            {sections.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-status">Status</label>
          <select
            id="filter-status"
            value={query.status ?? ''}
            onChange={(e) => refine({ status: e.currentTarget.value || undefined })}
          >
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <div class="field checkbox">
          <input
            id="filter-mine"
            type="checkbox"
            checked={query.mine === true}
            onChange={(e) => refine({ mine: e.currentTarget.checked || undefined })}
          />
          <label for="filter-mine">Only mine</label>
        </div>
      </form>
      {error && (
        <p role="alert" class="notice error">
          {error}
        </p>
      )}
      {!stories && !error && <p role="status">Loading stories…</p>}
      {stories && stories.length === 0 && <p role="status">No stories here.</p>}
      {stories && stories.length > 0 && <StoryTable stories={stories} caption={title} />}
    </>
  )
}

function StoryTable({ stories, caption }: { stories: Article[]; caption: string }) {
  return (
    <table class="stories">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Headline</th>
          <th scope="col" class="wide-only">
            Section
          </th>
          <th scope="col">Status</th>
          <th scope="col" class="wide-only">
            Changed
          </th>
        </tr>
      </thead>
      <tbody>
        {stories.map((story) => (
          <tr key={story.id}>
            <td>
              <a href={storyHref(story.id)}>{story.headline || '(no headline)'}</a>
            </td>
            <td class="wide-only">{story.section.name}</td>
            <td>
              <span class={`badge ${story.status}`}>{story.status}</span>
              {story.status === 'scheduled' && story.scheduledAt && (
                <span class="hint"> {new Date(story.scheduledAt).toLocaleString()}</span>
              )}
            </td>
            <td class="wide-only">
              <time dateTime={story.modifiedAt}>{new Date(story.modifiedAt).toLocaleString()}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
