import { useEffect, useRef, useState } from 'preact/hooks'

export interface ComboOption<T> {
  key: string
  label: string
  /** A second line: "also: Trump", "new topic". */
  detail?: string
  value: T
}

interface ChipComboboxProps<T> {
  id: string
  label: string
  hint?: string
  /** What is picked so far, shown as removable chips. */
  chips: { key: string; label: string }[]
  onRemove: (key: string) => void
  /** Suggestions for what was typed; called after a short pause. */
  suggest: (typed: string) => Promise<ComboOption<T>[]>
  onPick: (option: ComboOption<T>) => void
  keyShortcut?: string
}

/**
 * Picks several things by typing: an ARIA combobox with a listbox of suggestions
 * (arrow keys move, Enter picks, Escape closes) above the chips already picked.
 */
export function ChipCombobox<T>(props: ChipComboboxProps<T>) {
  const { id } = props
  const [typed, setTyped] = useState('')
  const [options, setOptions] = useState<ComboOption<T>[]>([])
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const [failed, setFailed] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  const asked = useRef(0)

  useEffect(() => {
    const text = typed.trim()
    if (text === '') {
      setOptions([])
      setOpen(false)
      return
    }
    const ticket = ++asked.current
    const timer = setTimeout(() => {
      props
        .suggest(text)
        .then((found) => {
          if (ticket !== asked.current) return
          setFailed(false)
          setOptions(found)
          setActive(found.length > 0 ? 0 : -1)
          setOpen(true)
        })
        .catch(() => ticket === asked.current && setFailed(true))
    }, 150)
    return () => clearTimeout(timer)
  }, [typed])

  const pick = (option: ComboOption<T> | undefined) => {
    if (!option) return
    props.onPick(option)
    setTyped('')
    setOpen(false)
    setActive(-1)
    input.current?.focus()
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (options.length === 0) return
      event.preventDefault()
      setOpen(true)
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActive((current) => (current + step + options.length) % options.length)
    } else if (event.key === 'Enter') {
      // Enter picks a suggestion; it never submits the story form from here.
      event.preventDefault()
      if (open) pick(options[active])
    } else if (event.key === 'Escape' && open) {
      event.preventDefault()
      event.stopPropagation()
      setOpen(false)
    } else if (event.key === 'Backspace' && typed === '' && props.chips.length > 0) {
      props.onRemove(props.chips[props.chips.length - 1]!.key)
    }
  }

  const listId = `${id}-options`
  const hintId = props.hint ? `${id}-hint` : undefined
  const expanded = open && options.length > 0
  return (
    <div class="field chip-combobox">
      <label for={id}>{props.label}</label>
      {props.chips.length > 0 && (
        <ul class="chips" aria-label={`${props.label} picked`}>
          {props.chips.map((chip) => (
            <li key={chip.key} class="chip">
              <span>{chip.label}</span>
              <button
                type="button"
                aria-label={`Remove ${chip.label}`}
                onClick={() => {
                  props.onRemove(chip.key)
                  input.current?.focus()
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="combo">
        <input
          ref={input}
          id={id}
          type="text"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${id}-option-${active}` : undefined}
          aria-describedby={hintId}
          aria-keyshortcuts={props.keyShortcut}
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
        />
        <ul id={listId} role="listbox" aria-label={`${props.label} suggestions`} hidden={!expanded}>
          {options.map((option, i) => (
            <li
              key={option.key}
              id={`${id}-option-${i}`}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(option)}
            >
              {option.label}
              {option.detail && <span class="detail"> {option.detail}</span>}
            </li>
          ))}
        </ul>
      </div>
      {props.hint && (
        <p id={hintId} class="hint">
          {props.hint}
        </p>
      )}
      <p class="visually-hidden" role="status">
        {failed
          ? 'Suggestions could not be loaded'
          : expanded
            ? `${options.length} ${options.length === 1 ? 'suggestion' : 'suggestions'}`
            : ''}
      </p>
    </div>
  )
}
