import type { ComponentChildren } from 'preact'
import type { EmailFrequency, Follow, ReaderNotification } from '../../modules/readers/index.js'
import { KIND_LABEL } from '../components/follow-control.js'
import { RelativeTime } from '../components/story-list.js'
import { Layout, type SiteChrome } from '../layouts/layout.js'

/** Account pages are the reader's own: never indexed, never cached. */
function AccountLayout(props: { chrome: SiteChrome; title: string; children: ComponentChildren }) {
  return (
    <Layout
      chrome={props.chrome}
      head={{ title: `${props.title} | ${props.chrome.siteName}`, noindex: true }}
    >
      <div class="account">{props.children}</div>
    </Layout>
  )
}

function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />
}

export interface SignInPageModel {
  chrome: SiteChrome
  csrfToken: string
  email?: string | undefined
  returnTo?: string | undefined
  /** A follow to complete after sign-in: its key ("topic:12") and name. */
  follow?: { key: string; name: string } | undefined
  error?: string | undefined
}

export function SignInPage(model: SignInPageModel) {
  return (
    <AccountLayout chrome={model.chrome} title="Sign in">
      <h1>{model.follow ? `Sign in to follow ${model.follow.name}` : 'Sign in'}</h1>
      <p>
        Enter your email address and we will send you a link to sign in. There is no password; new readers get
        an account the first time they use the link.
      </p>
      {model.error && (
        <p class="form-error" role="alert">
          {model.error}
        </p>
      )}
      <form method="post" action="/account/sign-in" class="stack">
        <Csrf token={model.csrfToken} />
        {model.returnTo && <input type="hidden" name="return" value={model.returnTo} />}
        {model.follow && <input type="hidden" name="follow" value={model.follow.key} />}
        <label for="email">Email address</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="email"
          required
          maxLength={254}
          value={model.email ?? ''}
          {...(model.error && { 'aria-invalid': 'true' })}
        />
        <button type="submit">Email me a sign-in link</button>
      </form>
    </AccountLayout>
  )
}

/** For a signed-in reader who pressed Follow on a page rendered before they signed in. */
export function FollowConfirmPage(props: {
  chrome: SiteChrome & { reader: { csrfToken: string } }
  target: string
  name: string
  returnTo: string | undefined
}) {
  return (
    <AccountLayout chrome={props.chrome} title={`Follow ${props.name}`}>
      <h1>Follow {props.name}?</h1>
      <p>You will see new stories on {props.name} under the bell, and get them by email if you chose to.</p>
      <form method="post" action="/account/follows">
        <Csrf token={props.chrome.reader.csrfToken} />
        <input type="hidden" name="target" value={props.target} />
        <input type="hidden" name="action" value="follow" />
        {props.returnTo && <input type="hidden" name="return" value={props.returnTo} />}
        <button type="submit">Follow {props.name}</button>
      </form>
    </AccountLayout>
  )
}

export function SignInSentPage(props: { chrome: SiteChrome; email: string; minutes: number }) {
  return (
    <AccountLayout chrome={props.chrome} title="Check your email">
      <h1>Check your email</h1>
      <p>
        We sent a sign-in link to <strong>{props.email}</strong>. It works once, within {props.minutes}{' '}
        minutes. You can close this page.
      </p>
      <p>
        Nothing arrived? Check your spam folder, or <a href="/account/sign-in">ask for another link</a>.
      </p>
    </AccountLayout>
  )
}

/** Opened from the emailed link: one press signs in, so a mail scanner's visit spends nothing. */
export function SignInConfirmPage(props: {
  chrome: SiteChrome
  csrfToken: string
  token: string
  email: string
}) {
  return (
    <AccountLayout chrome={props.chrome} title="Sign in">
      <h1>Sign in</h1>
      <p>
        Continue as <strong>{props.email}</strong>.
      </p>
      <form method="post" action="/account/verify" class="stack">
        <Csrf token={props.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">Sign in</button>
      </form>
    </AccountLayout>
  )
}

export interface AccountPageModel {
  chrome: SiteChrome & { reader: { csrfToken: string } }
  email: string
  follows: Follow[]
  emailFrequency: EmailFrequency
  notice?: string | undefined
  /** Web Push: the VAPID public key browsers subscribe with, and how many browsers this reader subscribed. */
  push?: { publicKey: string; browsers: number } | undefined
}

export function AccountPage(model: AccountPageModel) {
  const csrf = model.chrome.reader.csrfToken
  return (
    <AccountLayout chrome={model.chrome} title="Your account">
      <h1>Your account</h1>
      <p>
        Signed in as <strong>{model.email}</strong>.
      </p>
      {model.notice && (
        <p class="notice" role="status">
          {model.notice}
        </p>
      )}
      <section aria-labelledby="follows-heading">
        <h2 id="follows-heading">What you follow</h2>
        {model.follows.length === 0 ? (
          <p>
            You do not follow anything yet. Press <strong>Follow</strong> on a story, a topic, an author or a
            section to hear about new stories.
          </p>
        ) : (
          <ul class="follow-list">
            {model.follows.map((f) => (
              <li key={`${f.kind}:${f.targetId}`}>
                <span class="follow-kind">{KIND_LABEL[f.kind]}</span> <a href={f.path}>{f.name}</a>
                <form method="post" action="/account/follows" class="follow-form">
                  <Csrf token={csrf} />
                  <input type="hidden" name="target" value={`${f.kind}:${f.targetId}`} />
                  <input type="hidden" name="action" value="unfollow" />
                  <input type="hidden" name="return" value="/account" />
                  <button type="submit" class="link-button">
                    Unfollow<span class="visually-hidden"> {f.name}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Notifications</h2>
        <p>New stories on what you follow always appear under the bell at the top of the page.</p>
        <form method="post" action="/account/settings" class="stack">
          <Csrf token={csrf} />
          <fieldset>
            <legend>Email me about new stories</legend>
            <label>
              <input
                type="radio"
                name="emailFrequency"
                value="immediately"
                checked={model.emailFrequency === 'immediately'}
              />{' '}
              As soon as they are published
            </label>
            <label>
              <input
                type="radio"
                name="emailFrequency"
                value="daily"
                checked={model.emailFrequency === 'daily'}
              />{' '}
              In one daily digest
            </label>
            <label>
              <input
                type="radio"
                name="emailFrequency"
                value="off"
                checked={model.emailFrequency === 'off'}
              />{' '}
              Never
            </label>
          </fieldset>
          <button type="submit">Save settings</button>
        </form>
        {model.push && <PushSettings push={model.push} csrf={csrf} />}
      </section>
      <section aria-labelledby="data-heading">
        <h2 id="data-heading">Your data</h2>
        <p>
          <a href="/account/export" download="dateline-account.json">
            Download your data (JSON)
          </a>
        </p>
        <form method="post" action="/account/sign-out">
          <Csrf token={csrf} />
          <button type="submit">Sign out</button>
        </form>
        <form method="post" action="/account/delete" class="stack danger">
          <Csrf token={csrf} />
          <label>
            <input type="checkbox" name="confirm" value="yes" required /> I understand that deleting my
            account removes my follows and notifications for good.
          </label>
          <button type="submit">Delete my account</button>
        </form>
      </section>
    </AccountLayout>
  )
}

/**
 * Web Push needs script (a service worker and the Push API), so the switch starts hidden
 * and push.js shows it only in a browser that supports push; the sentence before it is
 * what everyone else reads.
 */
function PushSettings(props: { push: { publicKey: string; browsers: number }; csrf: string }) {
  const { browsers } = props.push
  return (
    <div class="push-settings">
      <h3>Push notifications</h3>
      <p>
        {browsers === 0
          ? 'No browser gets push notifications from us yet.'
          : browsers === 1
            ? 'One browser gets push notifications about new stories.'
            : `${browsers} browsers get push notifications about new stories.`}
      </p>
      <p data-push-fallback>
        Push notifications need JavaScript and a browser that supports them; this one does not, or has
        JavaScript off.
      </p>
      <div class="push-control" data-push-key={props.push.publicKey} data-csrf={props.csrf} hidden>
        <button type="button" aria-pressed="false" disabled>
          Turn on push notifications in this browser
        </button>
        <p role="status" aria-live="polite"></p>
      </div>
      <script src="/assets/push.js" defer />
    </div>
  )
}

export function NotificationsPage(props: {
  chrome: SiteChrome
  notifications: ReaderNotification[]
  now: Date
}) {
  return (
    <AccountLayout chrome={props.chrome} title="Notifications">
      <h1>Notifications</h1>
      {props.notifications.length === 0 ? (
        <p>
          Nothing yet. New stories on what you follow appear here.{' '}
          <a href="/account">Manage what you follow</a>.
        </p>
      ) : (
        <ul class="list notifications">
          {props.notifications.map((n) => (
            <li key={n.id} class={n.readAt ? undefined : 'unread'}>
              <a href={n.path}>{n.headline}</a>
              {!n.readAt && <span class="visually-hidden"> (new)</span>}
              <RelativeTime time={n.createdAt} now={props.now} />
            </li>
          ))}
        </ul>
      )}
    </AccountLayout>
  )
}

export function UnsubscribePage(props: { chrome: SiteChrome; action: string; done: boolean }) {
  return (
    <AccountLayout chrome={props.chrome} title="Email settings">
      <h1>{props.done ? 'You are unsubscribed' : 'Unsubscribe from new-story emails?'}</h1>
      {props.done ? (
        <p>
          We will not email you about new stories any more. Your follows and notifications stay as they are;
          you can turn email back on from <a href="/account">your account</a>.
        </p>
      ) : (
        <form method="post" action={props.action}>
          <button type="submit">Unsubscribe</button>
        </form>
      )}
    </AccountLayout>
  )
}

/** A plain page with a heading and a sentence: "Your account has been deleted", "This link has expired". */
export function MessagePage(props: {
  chrome: SiteChrome
  title: string
  message: string
  link?: { href: string; text: string } | undefined
}) {
  return (
    <AccountLayout chrome={props.chrome} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      {props.link && (
        <p>
          <a href={props.link.href}>{props.link.text}</a>
        </p>
      )}
    </AccountLayout>
  )
}
