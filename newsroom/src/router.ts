import { useEffect, useState } from 'preact/hooks'
import type { ListQuery } from './api.js'
import type { ListName } from './types.js'

/** Where the app is: one of its screens, read from the address so every screen can be linked. */
export type Route =
  | { name: 'list'; query: ListQuery }
  | { name: 'new' }
  | { name: 'story'; id: number }
  | { name: 'media' }
  | { name: 'not-found' }

export const BASE = '/newsroom/'
const NAVIGATED = 'newsroom:navigated'

export function parseRoute(pathname: string, search: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length).replace(/\/+$/, '') : ''
  // The front door is the reporter's own drafts.
  if (rest === '') return { name: 'list', query: { list: 'mine' } }
  if (rest === 'stories') return { name: 'list', query: parseListQuery(new URLSearchParams(search)) }
  if (rest === 'stories/new') return { name: 'new' }
  if (rest === 'media') return { name: 'media' }
  const match = /^stories\/([1-9]\d{0,9})$/.exec(rest)
  if (match) return { name: 'story', id: Number(match[1]) }
  return { name: 'not-found' }
}

const LIST_NAMES = new Set<string>(['mine', 'review', 'scheduled', 'published', 'wire'])
const TEXT_PARAMS = ['status', 'section', 'q', 'from', 'to'] as const

/** A list address's query; anything malformed is left out rather than sent on. */
function parseListQuery(params: URLSearchParams): ListQuery {
  const query: ListQuery = {}
  const list = params.get('list')
  if (list && LIST_NAMES.has(list)) query.list = list as ListName
  for (const name of TEXT_PARAMS) {
    const value = params.get(name)
    if (value) query[name] = value
  }
  const author = Number(params.get('author'))
  if (Number.isInteger(author) && author > 0) query.author = author
  const offset = Number(params.get('offset'))
  if (Number.isInteger(offset) && offset > 0) query.offset = offset
  if (params.get('mine') === '1') query.mine = true
  return query
}

export function listHref(query: ListQuery): string {
  const params = new URLSearchParams()
  if (query.list) params.set('list', query.list)
  if (query.mine) params.set('mine', '1')
  for (const name of TEXT_PARAMS) {
    const value = query[name]
    if (value) params.set(name, value)
  }
  if (query.author) params.set('author', String(query.author))
  if (query.offset) params.set('offset', String(query.offset))
  const search = params.toString()
  return `${BASE}stories${search ? `?${search}` : ''}`
}

export function storyHref(id: number): string {
  return `${BASE}stories/${id}`
}

export const NEW_STORY_HREF = `${BASE}stories/new`
export const MEDIA_HREF = `${BASE}media`

/** Moves to another screen without a page load. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', href)
  else history.pushState(null, '', href)
  window.dispatchEvent(new Event(NAVIGATED))
}

/** Changes the address only (a new story got its id): the screen stays as it is. */
export function replaceAddress(href: string): void {
  history.replaceState(null, '', href)
}

export function currentRoute(): Route {
  return parseRoute(location.pathname, location.search)
}

/** The current route, following links, back and forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute)
  useEffect(() => {
    const update = () => setRoute(currentRoute())
    const followLink = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
      const anchor = event.target instanceof Element ? event.target.closest('a') : null
      const href = anchor?.getAttribute('href')
      if (!anchor || !href?.startsWith(BASE) || anchor.target) return
      event.preventDefault()
      navigate(href)
    }
    window.addEventListener('popstate', update)
    window.addEventListener(NAVIGATED, update)
    document.addEventListener('click', followLink)
    return () => {
      window.removeEventListener('popstate', update)
      window.removeEventListener(NAVIGATED, update)
      document.removeEventListener('click', followLink)
    }
  }, [])
  return route
}
