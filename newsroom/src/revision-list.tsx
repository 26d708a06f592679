import { useEffect, useRef, useState } from 'preact/hooks'
import { isApiError, type Api } from './api.js'
import { RevisionCompare } from './revision-compare.js'
import type { Article, Revision, SessionUser } from './types.js'

const KIND_TEXT: Record<string, string> = {
  created: 'Created',
  substantive: 'Update',
  minor: 'Minor fix',
  published: 'Published',
  unpublished: 'Unpublished',
  scheduled: 'Scheduled',
  restored: 'Restored',
  submitted: 'Submitted for review',
  withdrawn: 'Withdrawn from review',
  'sent-back': 'Sent back',
  approved: 'Approved',
  embargo: 'Embargo changed',
}

export interface Comparison {
  from: number
  to: number
  /** Offer to restore `from` (the comparison then shows what restoring would change). */
  restore: boolean
}

interface RevisionListProps {
  api: Api
  storyId: number
  version: number
  user: SessionUser
  /** Unsaved text in the editor: a restore would hide it, so it waits until that is saved or dropped. */
  dirty: boolean
  onRestored: (article: Article, restoredFrom: number) => void
}

/**
 * Every saved revision of the story, newest first, loaded when opened and refreshed on
 * each save; any two can be compared word by word, and any earlier one restored as a new
 * revision. Alt+Shift+D compares the current version with the one before it.
 */
export function RevisionList({ api, storyId, version, user, dirty, onRestored }: RevisionListProps) {
  const [open, setOpen] = useState(false)
  const [revisions, setRevisions] = useState<Revision[] | null>(null)
  const [error, setError] = useState('')
  const [comparison, setComparison] = useState<Comparison | null>(null)
  const latest = useRef({ version, comparison })
  latest.current = { version, comparison }

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

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey || event.code !== 'KeyD') return
      event.preventDefault()
      const current = latest.current
      if (current.comparison) setComparison(null)
      else if (current.version > 1)
        setComparison({ from: current.version - 1, to: current.version, restore: false })
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const restore = async (from: number) => {
    const answer = await api.restoreRevision(storyId, from, version).catch((e: unknown) => {
      if (isApiError(e, 'CONFLICT'))
        throw new Error('The story changed since you opened it: reload it to see the newest version.', {
          cause: e,
        })
      throw e
    })
    setComparison(null)
    onRestored(answer, from)
  }

  return (
    <section aria-labelledby="revisions-heading" class="panel revisions">
      <h2 id="revisions-heading">Revision history</h2>
      <details onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>Show revisions</summary>
        {error && <p role="alert">{error}</p>}
        {open && !revisions && !error && <p role="status">Loading revisions…</p>}
        {revisions && (
          <>
            <CompareForm
              versions={revisions.map((r) => r.version)}
              onCompare={(from, to) => setComparison({ from, to, restore: false })}
            />
            <ol class="revision-list">
              {revisions.map((r) => (
                <RevisionItem
                  key={r.version}
                  revision={r}
                  user={user}
                  current={version}
                  onCompare={(c) => setComparison(c)}
                />
              ))}
            </ol>
          </>
        )}
      </details>
      <p class="hint">
        <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>D</kbd>: what the last save changed.
      </p>
      {comparison && (
        <RevisionCompare
          api={api}
          storyId={storyId}
          comparison={comparison}
          current={version}
          dirty={dirty}
          onRestore={restore}
          onClose={() => setComparison(null)}
        />
      )}
    </section>
  )
}

function RevisionItem(props: {
  revision: Revision
  user: SessionUser
  current: number
  onCompare: (comparison: Comparison) => void
}) {
  const { revision: r, user, current, onCompare } = props
  const who =
    r.userId === null ? 'the system' : r.userId === user.id ? 'you' : (r.userName ?? `user ${r.userId}`)
  return (
    <li>
      <strong>
        Version {r.version}: {KIND_TEXT[r.kind] ?? r.kind}
        {r.restoredFrom !== null && ` of version ${r.restoredFrom}`}
      </strong>{' '}
      <time dateTime={r.createdAt}>{new Date(r.createdAt).toLocaleString()}</time>
      <br />
      <span class="hint">
        by {who}
        {r.changedFields.length > 0 && ` · changed ${r.changedFields.join(', ')}`}
      </span>
      <span class="row-actions">
        {r.version > 1 && (
          <button
            type="button"
            onClick={() => onCompare({ from: r.version - 1, to: r.version, restore: false })}
          >
            Changes<span class="visually-hidden"> in version {r.version}</span>
          </button>
        )}
        {r.version !== current && (
          <button type="button" onClick={() => onCompare({ from: r.version, to: current, restore: true })}>
            Restore this version<span class="visually-hidden"> ({r.version})</span>
          </button>
        )}
      </span>
    </li>
  )
}

function CompareForm({
  versions,
  onCompare,
}: {
  versions: number[]
  onCompare: (from: number, to: number) => void
}) {
  const newest = versions[0] ?? 1
  const [from, setFrom] = useState(Math.max(1, newest - 1))
  const [to, setTo] = useState(newest)
  if (versions.length < 2) return null
  const options = versions.map((v) => (
    <option key={v} value={v}>
      Version {v}
    </option>
  ))
  return (
    <div class="compare-form">
      <div class="field">
        <label for="compare-from">Compare</label>
        <select id="compare-from" value={from} onChange={(e) => setFrom(Number(e.currentTarget.value))}>
          {options}
        </select>
      </div>
      <div class="field">
        <label for="compare-to">with</label>
        <select id="compare-to" value={to} onChange={(e) => setTo(Number(e.currentTarget.value))}>
          {options}
        </select>
      </div>
      <button type="button" disabled={from === to} onClick={() => onCompare(from, to)}>
        Compare versions
      </button>
    </div>
  )
}
