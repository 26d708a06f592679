import { useEffect, useRef, useState } from 'preact/hooks'
import { isApiError, type Api } from './api.js'
import type { SessionUser } from './types.js'

/** Email and password; the CSRF token comes from GET /api/v1/session first. */
export function SignIn({ api, onSignedIn }: { api: Api; onSignedIn: (user: SessionUser) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const heading = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    document.title = 'Sign in · Newsroom'
  }, [])

  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError('')
    try {
      onSignedIn(await api.signIn(email.trim(), password))
    } catch (e) {
      setPassword('')
      if (isApiError(e, 'UNAUTHENTICATED')) setError('That email and password do not match an account.')
      else if (isApiError(e, 'RATE_LIMITED'))
        setError('Too many attempts. Wait a few minutes, then try again.')
      else setError(e instanceof Error ? e.message : 'Signing in failed.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <main id="main" class="sign-in">
      <h1 ref={heading}>Sign in to the newsroom</h1>
      <form onSubmit={(event) => void submit(event)} aria-describedby={error ? 'sign-in-error' : undefined}>
        {error && (
          <p id="sign-in-error" role="alert" class="notice error">
            {error}
          </p>
        )}
        <div class="field">
          <label for="email">Email</label>
          <input
            id="email"
            type="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
