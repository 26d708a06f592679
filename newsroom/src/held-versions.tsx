import { useEffect, useState } from 'preact/hooks'
import type { Api } from './api.js'
import type { HeldComparison, HeldVersion } from './types.js'

/** Text of sanitised body HTML, for reading beside the editor; parsing it runs no script. */
function plainText(html: string): string {
  return new DOMParser().parseFromString(html, 'text/html').body.textContent ?? ''
}

/**
 * Agency versions held because the desk changed this story: each can be read, then
 * accepted (applied as a new revision by you) or dismissed (your text stays). Shown to
 * editors only, and only when something is waiting.
 */
export function HeldVersions({ api, storyId, version }: { api: Api; storyId: number; version: number }) {
  const [pending, setPending] = useState<HeldVersion[]>([])
  const [shown, setShown] = useState<HeldComparison | null>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let cancelled = false
    api
      .heldVersions(storyId)
      .then((items) => {
        if (!cancelled) setPending(items.filter((h) => h.review === null))
      })
      .catch(() => undefined) // the panel is an extra; the editor works without it
    return () => {
      cancelled = true
    }
  }, [api, storyId, version])

  if (pending.length === 0) return null
  const show = (id: number) => {
    setError('')
    api
      .heldVersion(id)
      .then(setShown, (e: unknown) => setError(e instanceof Error ? e.message : 'Not loaded'))
  }
  const decide = async (decision: 'accept' | 'dismiss') => {
    if (!shown) return
    setBusy(true)
    try {
      await api.reviewHeld(shown.held.id, decision, version)
      // The story changed on the server: load it afresh (unsaved edits are kept in this browser).
      window.location.reload()
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The decision was not saved')
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="held-heading" class="panel held-versions">
      <h2 id="held-heading">Held agency versions</h2>
      <p class="hint">The agency sent these after the story was changed here; nothing was applied.</p>
      {error && <p role="alert">{error}</p>}
      <ul>
        {pending.map((h) => (
          <li key={h.id}>
            <button type="button" onClick={() => show(h.id)}>
              {h.kind === 'withdrawal' ? 'Kill notice' : `Version ${h.version}`}
            </button>{' '}
            <time dateTime={h.receivedAt}>{new Date(h.receivedAt).toLocaleString()}</time>
            {h.source && <span class="hint"> · {h.source}</span>}
          </li>
        ))}
      </ul>
      {shown && (
        <div class="held-text">
          {shown.held.kind === 'withdrawal' ? (
            <p>
              <strong>The agency withdrew this story.</strong> Accepting takes it down.
            </p>
          ) : (
            <>
              <h3>{shown.held.text.headline}</h3>
              <ul>
                {shown.held.text.keyPoints.map((point) => (
                  <li key={point}>{point}</li>
                ))}
              </ul>
              <p>{plainText(shown.held.text.bodyHtml)}</p>
            </>
          )}
          <button type="button" disabled={busy} onClick={() => void decide('accept')}>
            {shown.held.kind === 'withdrawal' ? 'Take the story down' : 'Use this version'}
          </button>{' '}
          <button type="button" disabled={busy} onClick={() => void decide('dismiss')}>
            Keep our text
          </button>
        </div>
      )}
    </section>
  )
}
