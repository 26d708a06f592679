import { useEffect, useRef, useState } from 'preact/hooks'
import { PAGE_SIZE, type Api, type ListQuery } from './api.js'
import { StoryBadges, whenText } from './story-badges.js'
import { listHref, navigate, storyHref } from './router.js'
import {
  canPublish,
  type Article,
  type AuthorName,
  type ListName,
  type Section,
  type SessionUser,
} from './types.js'
import './desk.css'

/** The preset lists in the navigation; each is a query the filters can refine. */
export const LISTS: { name: ListName; label: string; editorsOnly?: boolean }[] = [
  { name: 'mine', label: 'My drafts' },
  { name: 'review', label: 'Submitted for review' },
  { name: 'scheduled', label: 'Scheduled' },
  { name: 'published', label: 'Published' },
  { name: 'wire', label: 'Wire queue', editorsOnly: true },
]

const STATUSES = ['draft', 'scheduled', 'published', 'unpublished'] as const

/** The time column each list sorts on, as the API orders it. */
const TIME_HEADING: Record<ListName | 'any', string> = {
  mine: 'Changed',
  review: 'Submitted',
  scheduled: 'Goes live',
  published: 'Published',
  wire: 'Filed',
  any: 'Changed',
}

export function listTitle(query: ListQuery): string {
  const preset = LISTS.find((l) => l.name === query.list)
  return preset?.label ?? (query.mine ? 'My stories' : 'All stories')
}

interface StoryListProps {
  api: Api
  user: SessionUser
  sections: Section[]
  query: ListQuery
}

export function StoryList({ api, user, sections, query }: StoryListProps) {
  const [page, setPage] = useState<{ items: Article[]; total: number } | null>(null)
  const [error, setError] = useState('')
  const title = listTitle(query)
  const href = listHref(query)
  const offset = query.offset ?? 0

  useEffect(() => {
    document.title = `${title} · Newsroom`
    let cancelled = false
    setPage(null)
    setError('')
    api
      .listStories(query)
      .then((answer) => !cancelled && setPage(answer))
      .catch(
        (e: unknown) =>
          !cancelled && setError(e instanceof Error ? e.message : 'Stories could not be loaded'),
      )
    return () => {
      cancelled = true
    }
    // The address holds the whole query: a new address is a new list.
  }, [api, href])

  const refine = (change: Partial<ListQuery>) =>
    navigate(listHref({ ...query, ...change, offset: undefined }), { replace: true })
  const filtered = Boolean(query.q || query.section || query.author || query.status || query.from || query.to)

  return (
    <>
      <h1 class="screen-title" tabIndex={-1}>
        {title}
      </h1>
      <ListFilters api={api} user={user} sections={sections} query={query} onRefine={refine} />
      {filtered && (
        <p class="hint">
          <a href={listHref({ list: query.list, mine: query.mine })}>Clear the search and filters</a>
        </p>
      )}
      {error && (
        <p role="alert" class="notice error">
          {error}
        </p>
      )}
      {!page && !error && <p role="status">Loading stories…</p>}
      {page && (
        <p role="status" class="list-summary">
          {page.total === 0
            ? 'No stories here.'
            : `Showing ${offset + 1}–${offset + page.items.length} of ${page.total} ${page.total === 1 ? 'story' : 'stories'}`}
        </p>
      )}
      {page && page.items.length > 0 && (
        <StoryTable stories={page.items} caption={title} timeHeading={TIME_HEADING[query.list ?? 'any']} />
      )}
      {page && page.total > PAGE_SIZE && <Pages query={query} total={page.total} />}
    </>
  )
}

function ListFilters({
  api,
  user,
  sections,
  query,
  onRefine,
}: StoryListProps & { onRefine: (change: Partial<ListQuery>) => void }) {
  const [words, setWords] = useState(query.q ?? '')
  const [authors, setAuthors] = useState<AuthorName[]>([])
  const typed = useRef(false)

  useEffect(() => setWords(query.q ?? ''), [query.q])
  useEffect(() => {
    if (!canPublish(user.role)) return
    api
      .findAuthors('', 50)
      .then(setAuthors)
      .catch(() => setAuthors([]))
  }, [api, user.role])
  // Typing searches once the typist pauses; Enter searches at once.
  useEffect(() => {
    if (!typed.current) return
    const timer = setTimeout(() => onRefine({ q: words.trim() || undefined }), 400)
    return () => clearTimeout(timer)
  }, [words])

  return (
    <form
      class="filters"
      role="search"
      aria-label="Search and filter stories"
      onSubmit={(e) => {
        e.preventDefault()
        typed.current = false
        onRefine({ q: words.trim() || undefined })
      }}
    >
      <div class="field search">
        <label for="filter-q">Search headline and text</label>
        <input
          id="filter-q"
          type="search"
          value={words}
          maxLength={200}
          aria-keyshortcuts="/"
          onInput={(e) => {
            typed.current = true
            setWords(e.currentTarget.value)
          }}
        />
      </div>
      <div class="field">
        <label for="filter-section">Section</label>
        <select
          id="filter-section"
          value={query.section ?? ''}
          onChange={(e) => onRefine({ section: e.currentTarget.value || undefined })}
        >
          <option value="">All sections</option>
          {sections.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      {authors.length > 0 && (
        <div class="field">
          <label for="filter-author">Author</label>
          <select
            id="filter-author"
            value={query.author === undefined ? '' : String(query.author)}
            onChange={(e) => onRefine({ author: Number(e.currentTarget.value) || undefined })}
          >
            <option value="">Any author</option>
            {authors.map((a) => (
              <option key={a.id} value={String(a.id)}>
                {a.displayName}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="field">
        <label for="filter-status">Status</label>
        <select
          id="filter-status"
          value={query.status ?? ''}
          onChange={(e) => onRefine({ status: e.currentTarget.value || undefined })}
        >
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s[0]!.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <div class="field date">
        <label for="filter-from">From</label>
        <input
          id="filter-from"
          type="date"
          value={query.from ?? ''}
          onChange={(e) => onRefine({ from: e.currentTarget.value || undefined })}
        />
      </div>
      <div class="field date">
        <label for="filter-to">To</label>
        <input
          id="filter-to"
          type="date"
          value={query.to ?? ''}
          onChange={(e) => onRefine({ to: e.currentTarget.value || undefined })}
        />
      </div>
    </form>
  )
}

function StoryTable({
  stories,
  caption,
  timeHeading,
}: {
  stories: Article[]
  caption: string
  timeHeading: string
}) {
  const timeOf = (story: Article): string => {
    if (timeHeading === 'Submitted') return story.submittedAt ?? story.modifiedAt
    if (timeHeading === 'Goes live') return story.scheduledAt ?? story.modifiedAt
    if (timeHeading === 'Published') return story.firstPublishedAt ?? story.modifiedAt
    return story.modifiedAt
  }
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
            {timeHeading}
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
              <StoryBadges story={story} />
            </td>
            <td class="wide-only">
              <time dateTime={timeOf(story)}>{whenText(timeOf(story))}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Pages({ query, total }: { query: ListQuery; total: number }) {
  const offset = query.offset ?? 0
  const pageNumber = Math.floor(offset / PAGE_SIZE) + 1
  const pages = Math.ceil(total / PAGE_SIZE)
  const at = (n: number) => listHref({ ...query, offset: (n - 1) * PAGE_SIZE || undefined })
  return (
    <nav class="pages" aria-label="Pages">
      {pageNumber > 1 ? <a href={at(pageNumber - 1)}>Previous page</a> : <span />}
      <span>
        Page {pageNumber} of {pages}
      </span>
      {pageNumber < pages ? <a href={at(pageNumber + 1)}>Next page</a> : <span />}
    </nav>
  )
}
