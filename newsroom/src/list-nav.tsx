import { useEffect, useState } from 'preact/hooks'
import type { Api } from './api.js'
import { listHref, type Route } from './router.js'
import { LISTS } from './story-list.js'
import { canPublish, type ListCounts, type SessionUser } from './types.js'

/** The preset lists in the masthead, each with how many stories it holds, refreshed on every move. */
export function ListNavItems({ api, user, route }: { api: Api; user: SessionUser; route: Route }) {
  const [counts, setCounts] = useState<ListCounts | null>(null)
  useEffect(() => {
    let cancelled = false
    api
      .listCounts()
      .then((answer) => !cancelled && setCounts(answer))
      // The counts are a convenience: the lists themselves still work without them.
      .catch(() => !cancelled && setCounts(null))
    return () => {
      cancelled = true
    }
  }, [api, route])
  const current = route.name === 'list' ? route.query.list : undefined
  return (
    <>
      {LISTS.filter((l) => !l.editorsOnly || canPublish(user.role)).map((list) => (
        <li key={list.name}>
          <a href={listHref({ list: list.name })} aria-current={current === list.name ? 'page' : undefined}>
            {list.label}
            {counts && <span class="count"> {counts[list.name]}</span>}
          </a>
        </li>
      ))}
    </>
  )
}
