import { useEffect, useMemo, useState } from 'preact/hooks'
import type { Api } from './api.js'
import { DiffLegend, FieldDiffList } from './diff-view.js'
import { ModalDialog } from './modal-dialog.js'
import { comparableOfSnapshot, diffStories } from './revision-diff.js'
import type { Comparison } from './revision-list.js'
import type { Revision } from './types.js'

interface RevisionCompareProps {
  api: Api
  storyId: number
  comparison: Comparison
  current: number
  dirty: boolean
  onRestore: (version: number) => Promise<void>
  onClose: () => void
}

/**
 * Two revisions side by side as one word diff, field by field. Opened to restore, it
 * shows what restoring the old version would change in the current one, and restores.
 */
export function RevisionCompare({
  api,
  storyId,
  comparison,
  current,
  dirty,
  onRestore,
  onClose,
}: RevisionCompareProps) {
  const { from, to, restore } = comparison
  const [pair, setPair] = useState<[Revision, Revision] | null>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let cancelled = false
    setPair(null)
    setError('')
    // Restoring shows the change from the current text to the old one: what the restore will do.
    const [older, newer] = restore ? [to, from] : [from, to]
    Promise.all([api.revision(storyId, older), api.revision(storyId, newer)])
      .then((loaded) => {
        if (!cancelled) setPair(loaded)
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e instanceof Error ? e.message : 'The revisions could not be loaded')
      })
    return () => {
      cancelled = true
    }
  }, [api, storyId, from, to, restore])

  const fields = useMemo(
    () => pair && diffStories(comparableOfSnapshot(pair[0].snapshot), comparableOfSnapshot(pair[1].snapshot)),
    [pair],
  )

  const title = restore ? `Restore version ${from}?` : `Changes from version ${from} to version ${to}`
  const doRestore = () => {
    setBusy(true)
    setError('')
    onRestore(from).catch((e: unknown) => {
      setBusy(false)
      setError(e instanceof Error ? e.message : 'The version could not be restored')
    })
  }

  return (
    <ModalDialog labelId="compare-title" onClose={onClose} class="compare-dialog">
      <div class="dialog-head">
        <h2 id="compare-title">{title}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {restore && (
        <p>
          Restoring makes a new version {current + 1} with the content of version {from}; every version stays
          in the history and the story’s status does not change. Below: what it changes in the current version{' '}
          {current}.
        </p>
      )}
      {error && (
        <p role="alert" class="notice error">
          {error}
        </p>
      )}
      {!pair && !error && <p role="status">Loading the versions…</p>}
      {fields && (
        <>
          <DiffLegend
            removed={restore ? `in version ${current}, gone after the restore` : `only in version ${from}`}
            added={restore ? `brought back from version ${from}` : `new in version ${to}`}
          />
          <FieldDiffList fields={fields} />
        </>
      )}
      {restore && (
        <p class="actions">
          <button type="button" class="primary" disabled={busy || dirty || !fields} onClick={doRestore}>
            Restore version {from}
          </button>
          {dirty && <span class="hint"> Save or discard your unsaved changes first.</span>}
        </p>
      )}
    </ModalDialog>
  )
}
