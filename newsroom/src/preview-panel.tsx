import { useEffect, useRef, useState } from 'preact/hooks'
import type { Api } from './api.js'
import { ModalDialog } from './modal-dialog.js'
import { heroInput, storyBody, type StoryFields } from './story-form.js'
import type { Article } from './types.js'

type Width = 'phone' | 'desktop'

const WIDTHS: Record<Width, { label: string; px: number }> = {
  phone: { label: 'Phone', px: 390 },
  desktop: { label: 'Desktop', px: 1280 },
}

const FRAME = 'story-preview'

/**
 * The story exactly as the reader site will show it: the server renders its own article
 * page for the fields on screen (saved or not) into a frame 390 or 1280 pixels wide.
 * Alt+Shift+P opens it (or shows the newest text when open); Alt+Shift+V switches width.
 */
export function PreviewPanel({
  api,
  article,
  fields,
}: {
  api: Api
  article: Article | null
  fields: () => StoryFields
}) {
  const [open, setOpen] = useState(false)
  const [width, setWidth] = useState<Width>('desktop')
  const [shownAt, setShownAt] = useState<Date | null>(null)
  const form = useRef<HTMLFormElement>(null)
  const draftInput = useRef<HTMLInputElement>(null)
  const csrfInput = useRef<HTMLInputElement>(null)
  const state = useRef({ open, article })
  state.current = { open, article }

  /** Posts the fields on screen into the frame. */
  const refresh = () => {
    if (!form.current || !draftInput.current || !csrfInput.current) return
    const current = fields()
    draftInput.current.value = JSON.stringify({ ...storyBody(current), hero: heroInput(current.hero).hero })
    csrfInput.current.value = api.csrf
    form.current.submit()
    setShownAt(new Date())
  }

  useEffect(() => {
    if (open) refresh()
    // Posted once on opening; later text goes with Refresh or the shortcut.
  }, [open])

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return
      if (event.code === 'KeyP') {
        event.preventDefault()
        if (!state.current.article) return
        if (state.current.open) refresh()
        else setOpen(true)
      } else if (event.code === 'KeyV' && state.current.open) {
        event.preventDefault()
        setWidth((w) => (w === 'phone' ? 'desktop' : 'phone'))
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  return (
    <section aria-labelledby="preview-heading" class="panel preview">
      <h2 id="preview-heading">Preview</h2>
      {article ? (
        <button type="button" aria-keyshortcuts="Alt+Shift+P" onClick={() => setOpen(true)}>
          Preview as readers see it
        </button>
      ) : (
        <p class="hint">Save the story once to preview it.</p>
      )}
      <p class="hint">
        <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>P</kbd> previews; <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>V</kbd>{' '}
        switches phone and desktop.
      </p>
      {open && article && (
        <ModalDialog labelId="preview-title" onClose={() => setOpen(false)} class="preview-dialog">
          <div class="dialog-head">
            <h2 id="preview-title">Preview: {WIDTHS[width].label.toLowerCase()}</h2>
            <fieldset class="preview-widths">
              <legend class="visually-hidden">Preview width</legend>
              {(Object.keys(WIDTHS) as Width[]).map((w) => (
                <label key={w}>
                  <input
                    type="radio"
                    name="preview-width"
                    value={w}
                    checked={width === w}
                    onChange={() => setWidth(w)}
                  />{' '}
                  {WIDTHS[w].label} ({WIDTHS[w].px} px)
                </label>
              ))}
            </fieldset>
            <span>
              <button type="button" onClick={refresh}>
                Refresh
              </button>{' '}
              <button type="button" onClick={() => setOpen(false)}>
                Close
              </button>
            </span>
          </div>
          <p class="hint" role="status">
            {shownAt &&
              `Showing the text on screen at ${shownAt.toLocaleTimeString()}; not saved by previewing.`}
          </p>
          <form ref={form} method="post" action={`/newsroom/preview/${article.id}`} target={FRAME} hidden>
            <input ref={draftInput} type="hidden" name="draft" />
            <input ref={csrfInput} type="hidden" name="_csrf" />
          </form>
          <div class="preview-frames" tabIndex={0} role="region" aria-label="Preview, scrollable">
            <iframe
              name={FRAME}
              class={width}
              width={WIDTHS[width].px}
              title={`The story as readers will see it, ${WIDTHS[width].px} pixels wide`}
            />
          </div>
        </ModalDialog>
      )}
    </section>
  )
}
