import { useEffect, useRef, useState } from 'preact/hooks'
import type { Api } from './api.js'
import { MediaLibrary } from './media-library.js'
import { BASE, listHref, MEDIA_HREF, NEW_STORY_HREF, useRoute, type Route } from './router.js'
import { SignIn } from './sign-in.js'
import { StoryEditor } from './story-editor.js'
import { LISTS, StoryList } from './story-list.js'
import { canPublish, type Section, type SessionUser } from './types.js'

/** The newsroom: who is signed in, the masthead with the story lists, and the current screen. */
export function App({ api }: { api: Api }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined)
  const [sections, setSections] = useState<Section[] | null>(null)
  const [error, setError] = useState('')
  const route = useRoute()

  useEffect(() => {
    api
      .session()
      .then(setUser)
      .catch(() => setError('The newsroom server could not be reached. Reload to try again.'))
  }, [api])

  useEffect(() => {
    if (!user) return
    api
      .sections()
      .then(setSections)
      .catch(() => setError('Sections could not be loaded. Reload to try again.'))
  }, [api, user])

  if (error)
    return (
      <main id="main">
        <h1>Newsroom</h1>
        <p role="alert" class="notice error">
          {error}
        </p>
      </main>
    )
  if (user === undefined) return <p role="status">Loading the newsroom…</p>
  if (user === null) return <SignIn api={api} onSignedIn={setUser} />
  const signOut = async () => {
    await api.signOut().catch(() => undefined)
    setUser(null)
    setSections(null)
    await api.session().catch(() => undefined)
  }
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Masthead user={user} route={route} onSignOut={() => void signOut()} />
      <Screen api={api} user={user} sections={sections} route={route} />
    </>
  )
}

function Masthead({ user, route, onSignOut }: { user: SessionUser; route: Route; onSignOut: () => void }) {
  const current = route.name === 'list' ? listHref(route.query) : ''
  return (
    <header class="masthead">
      <a class="brand" href={BASE}>
        Dateline <span>Newsroom</span>
      </a>
      <nav aria-label="Story lists">
        <ul>
          {LISTS.filter((l) => !l.editorsOnly || canPublish(user.role)).map((list) => {
            const href = listHref(list.query)
            return (
              <li key={href}>
                <a href={href} aria-current={current === href ? 'page' : undefined}>
                  {list.label}
                </a>
              </li>
            )
          })}
          <li>
            <a
              href={NEW_STORY_HREF}
              class="new-story"
              aria-current={route.name === 'new' ? 'page' : undefined}
            >
              New story
            </a>
          </li>
          <li>
            <a href={MEDIA_HREF} aria-current={route.name === 'media' ? 'page' : undefined}>
              Media library
            </a>
          </li>
        </ul>
      </nav>
      <div class="account">
        <span>
          {user.displayName} <span class="role">({user.role})</span>
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  )
}

function Screen({
  api,
  user,
  sections,
  route,
}: {
  api: Api
  user: SessionUser
  sections: Section[] | null
  route: Route
}) {
  const main = useRef<HTMLElement>(null)
  const first = useRef(true)
  // A new screen takes the focus to its heading, so keyboard and screen-reader users start there.
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    const target = main.current?.querySelector<HTMLElement>('h1') ?? main.current
    target?.focus()
  }, [route])

  let screen
  if (!sections) screen = <p role="status">Loading…</p>
  else if (route.name === 'list')
    screen = <StoryList api={api} user={user} sections={sections} query={route.query} />
  else if (route.name === 'new') screen = <StoryEditor key="new" api={api} user={user} sections={sections} />
  else if (route.name === 'media') screen = <MediaLibrary api={api} />
  else if (route.name === 'story')
    screen = <StoryEditor key={route.id} api={api} user={user} sections={sections} storyId={route.id} />
  else
    screen = (
      <>
        <h1 tabIndex={-1}>Not found</h1>
        <p>
          There is no newsroom screen at this address. <a href={BASE}>Go to your drafts</a>.
        </p>
      </>
    )
  return (
    <main id="main" ref={main} tabIndex={-1}>
      {screen}
    </main>
  )
}
