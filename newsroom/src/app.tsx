import { useEffect, useRef, useState } from 'preact/hooks'
import type { Api } from './api.js'
import { ListNavItems } from './list-nav.js'
import { listLocalCopies, removeAllLocalCopies } from './local-copy.js'
import { MediaLibrary } from './media-library.js'
import { BASE, MEDIA_HREF, NEW_STORY_HREF, useRoute, type Route } from './router.js'
import { ShortcutHelp } from './shortcut-help.js'
import { SignIn } from './sign-in.js'
import { StoryEditor } from './story-editor.js'
import { StoryList } from './story-list.js'
import type { Section, SessionUser } from './types.js'

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
    if (!user) return
    // Text not yet on the server would stay in this browser for the next person to sign in
    // here; the editor decides whether to stay and save it or to drop it.
    const unsaved = listLocalCopies(user.id).length
    const message =
      `Text of ${unsaved === 1 ? 'a story' : `${unsaved} stories`} is not saved on the server yet ` +
      'and is kept only in this browser. Sign out and discard it?'
    if (unsaved > 0 && !window.confirm(message)) return
    removeAllLocalCopies(user.id)
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
      <Masthead api={api} user={user} route={route} onSignOut={() => void signOut()} />
      <Screen api={api} user={user} sections={sections} route={route} />
    </>
  )
}

function Masthead({
  api,
  user,
  route,
  onSignOut,
}: {
  api: Api
  user: SessionUser
  route: Route
  onSignOut: () => void
}) {
  return (
    <header class="masthead">
      <a class="brand" href={BASE}>
        Dateline <span>Newsroom</span>
      </a>
      <nav aria-label="Story lists">
        <ul>
          <ListNavItems api={api} user={user} route={route} />
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
        <ShortcutHelp user={user} />
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
  // Refining a list's search or filters keeps the focus where the person is typing.
  const screenKey = route.name === 'list' ? `list ${route.query.list} ${route.query.offset}` : route
  // A new screen takes the focus to its heading, so keyboard and screen-reader users start there.
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    const target = main.current?.querySelector<HTMLElement>('h1') ?? main.current
    target?.focus()
  }, [screenKey])

  let screen
  if (!sections) screen = <p role="status">Loading…</p>
  else if (route.name === 'list')
    screen = <StoryList api={api} user={user} sections={sections} query={route.query} />
  else if (route.name === 'new') screen = <StoryEditor key="new" api={api} user={user} sections={sections} />
  else if (route.name === 'media') screen = <MediaLibrary api={api} user={user} />
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
