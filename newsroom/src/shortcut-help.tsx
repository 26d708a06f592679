import { useEffect, useRef } from 'preact/hooks'
import { listHref, navigate, NEW_STORY_HREF } from './router.js'
import { LISTS } from './story-list.js'
import { canPublish, type SessionUser } from './types.js'

/** Every key the app answers to, as the help lists it; `who` limits a line to those who may use it. */
const SHORTCUTS: { keys: string; does: string; where: string; who?: 'editors' }[] = [
  { keys: '?', does: 'Show these shortcuts', where: 'Anywhere' },
  { keys: '/', does: 'Search the story list', where: 'Story lists' },
  ...LISTS.map((list, i) => ({
    keys: `Alt+Shift+${i + 1}`,
    does: `Go to ${list.label}`,
    where: 'Anywhere',
    ...(list.editorsOnly && { who: 'editors' as const }),
  })),
  { keys: 'Alt+Shift+N', does: 'Start a new story', where: 'Anywhere' },
  { keys: 'Ctrl+S', does: 'Save', where: 'Story editor' },
  { keys: 'Ctrl+Enter', does: 'Publish now', where: 'Story editor', who: 'editors' },
  { keys: 'Alt+Shift+R', does: 'Submit for review', where: 'Story editor' },
  { keys: 'Alt+Shift+W', does: 'Withdraw from review', where: 'Story editor' },
  { keys: 'Alt+Shift+A', does: 'Approve and publish', where: 'Story editor', who: 'editors' },
  { keys: 'Alt+Shift+B', does: 'Send back (write the note)', where: 'Story editor', who: 'editors' },
  { keys: 'Alt+Shift+E', does: 'Set the embargo time', where: 'Story editor', who: 'editors' },
  { keys: 'Alt+Shift+T', does: 'Pick topics', where: 'Story editor' },
  { keys: 'Alt+Shift+U', does: 'Pick authors', where: 'Story editor' },
  { keys: 'Alt+Shift+P', does: 'Preview as readers see it (again: refresh)', where: 'Story editor' },
  { keys: 'Alt+Shift+V', does: 'Switch the preview between phone and desktop', where: 'Preview' },
  { keys: 'Alt+Shift+D', does: 'Show what the last save changed', where: 'Story editor' },
  {
    keys: 'Arrow keys, Enter, Escape',
    does: 'Move through, pick, close suggestions',
    where: 'Topic and author pickers',
  },
]

/** Whether a key press is someone typing text, which plain-key shortcuts must leave alone. */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/** Alt+Shift plus a key, read from the physical key so macOS's Option characters do not matter. */
export function altShift(event: KeyboardEvent, code: string): boolean {
  return event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === code
}

/** The "Keyboard shortcuts" button and dialog, and the app-wide keys it lists. */
export function ShortcutHelp({ user }: { user: SessionUser }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const editor = canPublish(user.role)

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '?' && !isTyping(event) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault()
        if (!dialog.current?.open) dialog.current?.showModal()
        return
      }
      if (event.key === '/' && !isTyping(event) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        const search = document.getElementById('filter-q')
        if (search) {
          event.preventDefault()
          search.focus()
        }
        return
      }
      const lists = LISTS.filter((l) => !l.editorsOnly || editor)
      const index = lists.findIndex((_, i) => altShift(event, `Digit${i + 1}`))
      if (index >= 0) {
        event.preventDefault()
        navigate(listHref({ list: lists[index]!.name }))
      } else if (altShift(event, 'KeyN')) {
        event.preventDefault()
        navigate(NEW_STORY_HREF)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [editor])

  const rows = SHORTCUTS.filter((s) => s.who !== 'editors' || editor)
  return (
    <>
      <button type="button" aria-keyshortcuts="?" onClick={() => dialog.current?.showModal()}>
        Keyboard shortcuts
      </button>
      <dialog ref={dialog} class="shortcut-help" aria-labelledby="shortcut-help-title">
        <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
        <table>
          <caption class="visually-hidden">Keys and what they do</caption>
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">Does</th>
              <th scope="col">Where</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.keys + row.does}>
                <td>
                  <kbd>{row.keys}</kbd>
                </td>
                <td>{row.does}</td>
                <td>{row.where}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="hint">On a Mac, Cmd works wherever Ctrl is listed.</p>
        <form method="dialog">
          <button type="submit" class="primary">
            Close
          </button>
        </form>
      </dialog>
    </>
  )
}
