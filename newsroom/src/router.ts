import { useEffect, useState } from 'preact/hooks'
import type { ListQuery } from './api.js'

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
  if (rest === '') return { name: 'list', query: { mine: true, status: 'draft' } }
  if (rest === 'stories') {
    const params = new URLSearchParams(search)
    const query: ListQuery = {}
    const status = params.get('status')
    const section = params.get('section')
    if (status) query.status = status
    if (section) query.section = section
    if (params.get('mine') === '1') query.mine = true
    return { name: 'list', query }
  }
  if (rest === 'stories/new') return { name: 'new' }
  if (rest === 'media') return { name: 'media' }
  const match = /^stories\/([1-9]\d{0,9})$/.exec(rest)
  if (match) return { name: 'story', id: Number(match[1]) }
  return { name: 'not-found' }
}

export function listHref(query: ListQuery): string {
  const params = new URLSearchParams()
  if (query.mine) params.set('mine', '1')
  if (query.status) params.set('status', query.status)
  if (query.section) params.set('section', query.section)
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
