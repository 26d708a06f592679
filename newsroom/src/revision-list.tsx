import { useEffect, useState } from 'preact/hooks'
import type { Api } from './api.js'
import type { Revision, SessionUser } from './types.js'

const KIND_TEXT: Record<string, string> = {
  created: 'Created',
  substantive: 'Update',
  minor: 'Minor fix',
  published: 'Published',
  unpublished: 'Unpublished',
  scheduled: 'Scheduled',
}

/** Every saved revision of the story, newest first; loaded when opened, refreshed on each save. */
export function RevisionList({
  api,
  storyId,
  version,
  user,
}: {
  api: Api
  storyId: number
  version: number
  user: SessionUser
}) {
  const [open, setOpen] = useState(false)
  const [revisions, setRevisions] = useState<Revision[] | null>(null)
  const [error, setError] = useState('')

  useEffect(() => {
    if (!open) return
    let cancelled = false
    api
      .revisions(storyId)
      .then((items) => {
        if (!cancelled) setRevisions(items)
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e instanceof Error ? e.message : 'Revisions could not be loaded')
      })
    return () => {
      cancelled = true
    }
  }, [api, storyId, version, open])

  return (
    <section aria-labelledby="revisions-heading" class="panel revisions">
      <h2 id="revisions-heading">Revision history</h2>
      <details onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>Show revisions</summary>
        {error && <p role="alert">{error}</p>}
        {open && !revisions && !error && <p role="status">Loading revisions…</p>}
        {revisions && (
          <ol class="revision-list">
            {revisions.map((r) => (
              <li key={r.version}>
                <strong>
                  Version {r.version}: {KIND_TEXT[r.kind] ?? r.kind}
                </strong>{' '}
                <time dateTime={r.createdAt}>{new Date(r.createdAt).toLocaleString()}</time>
                <br />
                <span class="hint">
                  by {r.userId === null ? 'the system' : r.userId === user.id ? 'you' : `user ${r.userId}`}
                  {r.changedFields.length > 0 && ` · changed ${r.changedFields.join(', ')}`}
                </span>
              </li>
            ))}
          </ol>
        )}
      </details>
    </section>
  )
}
