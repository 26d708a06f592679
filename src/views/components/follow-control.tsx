import type { FollowKind } from '../../modules/readers/index.js'
import type { ReaderChrome } from '../layouts/layout.js'

/** Something a page offers to follow: the story's topic, its author, a section. */
export interface FollowChoice {
  kind: FollowKind
  targetId: number
  name: string
}

export const KIND_LABEL: Record<FollowKind, string> = { topic: 'Topic', author: 'Author', section: 'Section' }

/**
 * One Follow button as a real form: it works with JavaScript off (a POST and a redirect
 * back) and site.js turns it into a request without a reload. The shared, cached page
 * carries no CSRF token and shows "Follow"; pressing it signed out leads through
 * sign-in and back with the follow done. Signed-in readers get their own rendering,
 * with the token and the button's real state.
 */
export function FollowButton(props: {
  choice: FollowChoice
  reader: ReaderChrome | undefined
  returnTo: string
  showKind?: boolean
}) {
  const { choice, reader } = props
  const key = `${choice.kind}:${choice.targetId}`
  const following = reader?.follows.has(key) ?? false
  return (
    <form method="post" action="/account/follows" class="follow-form" data-follow={key}>
      <input type="hidden" name="target" value={key} />
      <input type="hidden" name="action" value={following ? 'unfollow' : 'follow'} />
      <input type="hidden" name="return" value={props.returnTo} />
      {reader && <input type="hidden" name="_csrf" value={reader.csrfToken} />}
      <button type="submit" class="follow-button" aria-pressed={following ? 'true' : 'false'}>
        <span class="follow-state">{following ? 'Following' : 'Follow'}</span>{' '}
        <span class="follow-name">{choice.name}</span>
        {props.showKind && <span class="follow-kind"> ({KIND_LABEL[choice.kind].toLowerCase()})</span>}
      </button>
    </form>
  )
}

/** The main choice as a button, the others behind "More to follow" (a <details>, so no script is needed). */
export function FollowControl(props: {
  choices: FollowChoice[]
  reader: ReaderChrome | undefined
  returnTo: string
}) {
  const [main, ...others] = props.choices
  if (!main) return null
  return (
    <div class="follow" role="group" aria-label="Follow">
      <FollowButton choice={main} reader={props.reader} returnTo={props.returnTo} />
      {others.length > 0 && (
        <details class="follow-more">
          <summary>More to follow</summary>
          <ul>
            {others.map((choice) => (
              <li key={`${choice.kind}:${choice.targetId}`}>
                <FollowButton choice={choice} reader={props.reader} returnTo={props.returnTo} showKind />
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}
