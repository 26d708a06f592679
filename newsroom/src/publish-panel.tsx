import { useState } from 'preact/hooks'
import type { SessionUser } from './types.js'
import type { StoryDraft } from './use-story-draft.js'

const STATUS_TEXT = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
} as const

const SAVE_STATE_TEXT = {
  saved: 'All changes saved',
  unsaved: 'Unsaved changes (kept in this browser)',
  saving: 'Saving…',
  failed: 'Not saved (kept in this browser)',
  conflict: 'Not saved: conflict (kept in this browser)',
} as const

/** Save, publish, schedule, unpublish; what each role may do and the kind of update. */
export function PublishPanel({ draft, user }: { draft: StoryDraft; user: SessionUser }) {
  const { article } = draft
  const status = article?.status ?? 'draft'
  const live = status === 'published'
  const [publishAt, setPublishAt] = useState(defaultScheduleTime)
  const [scheduleError, setScheduleError] = useState('')

  const schedule = () => {
    const at = new Date(publishAt)
    if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) {
      setScheduleError('Choose a time in the future')
      return
    }
    setScheduleError('')
    void draft.schedule(at)
  }

  return (
    <section aria-labelledby="publishing-heading" class="panel publishing">
      <h2 id="publishing-heading">Publishing</h2>
      <p class="story-state">
        <span class={`badge ${status}`}>{STATUS_TEXT[status]}</span>
        {article && <span> · version {article.version}</span>}
        {status === 'scheduled' && article?.scheduledAt && (
          <span> · goes live {new Date(article.scheduledAt).toLocaleString()}</span>
        )}
      </p>
      <p role="status" class="save-state" data-state={draft.state}>
        {SAVE_STATE_TEXT[draft.state]}
      </p>
      {live && (
        <fieldset class="update-kind">
          <legend>This update</legend>
          <label>
            <input
              type="radio"
              name="update-kind"
              value="substantive"
              checked={draft.updateKind === 'substantive'}
              onChange={() => draft.setUpdateKind('substantive')}
            />{' '}
            Substantive update (moves the public Updated time)
          </label>
          <label>
            <input
              type="radio"
              name="update-kind"
              value="minor"
              checked={draft.updateKind === 'minor'}
              onChange={() => draft.setUpdateKind('minor')}
            />{' '}
            Minor fix (typo; the Updated time stays)
          </label>
          <label for="correction">Correction note (optional, shown to readers)</label>
          <textarea
            id="correction"
            rows={3}
            maxLength={1000}
            value={draft.correction}
            onInput={(e) => draft.setCorrection(e.currentTarget.value)}
          />
        </fieldset>
      )}
      <div class="actions">
        <button type="submit" class="primary" aria-keyshortcuts="Control+S Meta+S">
          {live ? 'Save update' : 'Save draft'}
        </button>
        {draft.canPublish && !live && (
          <button
            type="button"
            class="publish"
            aria-keyshortcuts="Control+Enter Meta+Enter"
            onClick={() => void draft.publish()}
          >
            Publish now
          </button>
        )}
      </div>
      <p class="hint">
        Ctrl+S saves{draft.canPublish && !live ? ', Ctrl+Enter publishes' : ''}.{' '}
        {live
          ? 'Changes to a live story are saved when you say so.'
          : 'Drafts save themselves after 3 seconds idle.'}
      </p>
      {draft.canPublish && !live && (
        <div class="schedule">
          <label for="publish-at">Publish at</label>
          <input
            id="publish-at"
            type="datetime-local"
            value={publishAt}
            aria-invalid={scheduleError !== ''}
            aria-describedby={scheduleError ? 'publish-at-error' : undefined}
            onInput={(e) => setPublishAt(e.currentTarget.value)}
          />
          <button type="button" onClick={schedule}>
            {status === 'scheduled' ? 'Reschedule' : 'Schedule'}
          </button>
          {scheduleError && (
            <p id="publish-at-error" class="field-error">
              {scheduleError}
            </p>
          )}
        </div>
      )}
      {draft.canPublish && (live || status === 'scheduled') && (
        <button type="button" class="danger" onClick={() => void draft.unpublish()}>
          {live ? 'Unpublish' : 'Cancel schedule (unpublish)'}
        </button>
      )}
      {live && article && (
        <p>
          <a href={article.url}>View on the site</a>
        </p>
      )}
      {!draft.canPublish && user.role === 'contributor' && (
        <p class="hint">An editor publishes your story once it is ready.</p>
      )}
    </section>
  )
}

/** An hour from now, rounded to the quarter, in the datetime-local format. */
function defaultScheduleTime(): string {
  const at = new Date(Date.now() + 60 * 60 * 1000)
  at.setMinutes(Math.ceil(at.getMinutes() / 15) * 15, 0, 0)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`
}
