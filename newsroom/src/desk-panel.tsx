import { useEffect, useRef, useState } from 'preact/hooks'
import type { Api } from './api.js'
import { altShift } from './shortcut-help.js'
import { EmbargoBadge, whenText } from './story-badges.js'
import { canPublish, type Article, type SessionUser } from './types.js'
import type { StoryDraft } from './use-story-draft.js'
import './desk.css'

/**
 * Review and embargo for the open story: the contributor's "Submit for review" and
 * "Withdraw", the editor's "Approve and publish" and "Send back" with a note, and the
 * embargo time. Each step saves unsaved text first (withdrawing excepted).
 */
export function DeskPanel({ api, draft, user }: { api: Api; draft: StoryDraft; user: SessionUser }) {
  const { article } = draft
  const editor = canPublish(user.role)
  const note = useRef<HTMLTextAreaElement>(null)
  const embargoInput = useRef<HTMLInputElement>(null)
  const [noteText, setNoteText] = useState('')
  const [noteError, setNoteError] = useState('')
  const waiting = article?.submittedAt != null
  const isDraft = (article?.status ?? 'draft') === 'draft'

  const submit = () =>
    draft.step('Submitted for review', (id, version) => api.storyStep(id, 'submit', { version }))
  const withdraw = () =>
    draft.step('Withdrawn from review', (id, version) => api.storyStep(id, 'withdraw', { version }), {
      saveFirst: false,
    })
  const approve = () =>
    draft.step('Approved and published', (id, version) => api.storyStep(id, 'approve', { version }))
  const sendBack = () => {
    if (noteText.trim() === '') {
      setNoteError('Write what the story needs before sending it back')
      note.current?.focus()
      return
    }
    setNoteError('')
    void draft
      .step('Sent back', (id, version) => api.storyStep(id, 'send-back', { version, note: noteText.trim() }))
      .then(() => setNoteText(''))
  }

  const actions = useRef({ submit, withdraw, approve })
  actions.current = { submit, withdraw, approve }
  const state = useRef({ waiting, isDraft, editor, hasStory: article !== null })
  state.current = { waiting, isDraft, editor, hasStory: article !== null }
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const now = state.current
      const run = (action: () => unknown) => {
        event.preventDefault()
        void action()
      }
      if (altShift(event, 'KeyR') && now.isDraft && !now.waiting) run(actions.current.submit)
      else if (altShift(event, 'KeyW') && now.waiting) run(actions.current.withdraw)
      else if (altShift(event, 'KeyA') && now.waiting && now.editor) run(actions.current.approve)
      else if (altShift(event, 'KeyB') && now.waiting && now.editor) run(() => note.current?.focus())
      else if (altShift(event, 'KeyE') && now.editor) run(() => embargoInput.current?.focus())
      else if (altShift(event, 'KeyT')) run(() => document.getElementById('topics')?.focus())
      else if (altShift(event, 'KeyU')) run(() => document.getElementById('authors')?.focus())
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  // A live story has nothing to review and no embargo to set: no empty panel.
  if (article && article.status === 'published' && !waiting) return null

  return (
    <section aria-labelledby="review-heading" class="panel desk-panel">
      <h2 id="review-heading">Review</h2>
      {article && <EmbargoBadge story={article} />}
      {article && <ReviewState article={article} />}
      <div class="actions">
        {isDraft && !waiting && (
          <button type="button" aria-keyshortcuts="Alt+Shift+R" onClick={() => void submit()}>
            Submit for review
          </button>
        )}
        {waiting && editor && (
          <button
            type="button"
            class="publish"
            aria-keyshortcuts="Alt+Shift+A"
            onClick={() => void approve()}
          >
            Approve and publish
          </button>
        )}
        {waiting && (
          <button type="button" aria-keyshortcuts="Alt+Shift+W" onClick={() => void withdraw()}>
            Withdraw from review
          </button>
        )}
      </div>
      {waiting && !editor && (
        <p class="hint">While it waits, an editor may change it; withdraw it to make changes yourself.</p>
      )}
      {waiting && editor && (
        <div class="send-back">
          <label for="review-note">Note for the writer</label>
          <textarea
            id="review-note"
            ref={note}
            rows={3}
            maxLength={1000}
            value={noteText}
            aria-invalid={noteError !== ''}
            aria-describedby={noteError ? 'review-note-error' : undefined}
            aria-keyshortcuts="Alt+Shift+B"
            onInput={(e) => setNoteText(e.currentTarget.value)}
          />
          {noteError && (
            <p id="review-note-error" class="field-error">
              {noteError}
            </p>
          )}
          <button type="button" onClick={sendBack}>
            Send back
          </button>
        </div>
      )}
      {editor && article && article.status !== 'published' && (
        <EmbargoField api={api} draft={draft} article={article} input={embargoInput} />
      )}
    </section>
  )
}

function ReviewState({ article }: { article: Article }) {
  if (article.submittedAt)
    return (
      <p class="review-state">
        <span class="badge review">Waiting for review</span> since {whenText(article.submittedAt)}
      </p>
    )
  if (article.status === 'draft' && article.reviewNote)
    return (
      <div class="notice info review-note" role="note" aria-label="Sent back by an editor">
        <p>
          <strong>Sent back</strong>
          {article.reviewNoteAt && ` on ${whenText(article.reviewNoteAt)}`}:
        </p>
        <blockquote>{article.reviewNote}</blockquote>
      </div>
    )
  return null
}

function EmbargoField({
  api,
  draft,
  article,
  input,
}: {
  api: Api
  draft: StoryDraft
  article: Article
  input: { current: HTMLInputElement | null }
}) {
  const [until, setUntil] = useState(
    article.embargoUntil ? localInputValue(new Date(article.embargoUntil)) : '',
  )
  const [error, setError] = useState('')
  const set = () => {
    const at = new Date(until)
    if (until === '' || Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) {
      setError('Choose a time in the future')
      input.current?.focus()
      return
    }
    setError('')
    void draft.step('Embargo set', (id, version) =>
      api.storyStep(id, 'embargo', { version, until: at.toISOString() }),
    )
  }
  const lift = () => {
    setUntil('')
    void draft.step('Embargo lifted', (id, version) => api.storyStep(id, 'embargo', { version, until: null }))
  }
  return (
    <div class="embargo">
      <label for="embargo-until">Embargo until</label>
      <input
        id="embargo-until"
        ref={input}
        type="datetime-local"
        value={until}
        aria-invalid={error !== ''}
        aria-describedby={error ? 'embargo-hint embargo-error' : 'embargo-hint'}
        aria-keyshortcuts="Alt+Shift+E"
        onInput={(e) => setUntil(e.currentTarget.value)}
      />
      <button type="button" onClick={set}>
        {article.embargoUntil ? 'Change embargo' : 'Set embargo'}
      </button>
      {article.embargoUntil && (
        <button type="button" onClick={lift}>
          Lift embargo
        </button>
      )}
      <p id="embargo-hint" class="hint">
        Not published before this time; it may be scheduled for it.
      </p>
      {error && (
        <p id="embargo-error" class="field-error">
          {error}
        </p>
      )}
    </div>
  )
}

/** A time in the datetime-local format, in the browser's zone. */
function localInputValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`
}
