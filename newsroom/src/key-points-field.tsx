import { useRef } from 'preact/hooks'
import { MAX_KEY_POINT, MAX_KEY_POINTS } from './story-form.js'

interface KeyPointsFieldProps {
  points: string[]
  onChange: (points: string[]) => void
}

/** The bullets under the headline: add, reorder with buttons (keyboard-friendly), remove. */
export function KeyPointsField({ points, onChange }: KeyPointsFieldProps) {
  const list = useRef<HTMLOListElement>(null)
  const focusPoint = (index: number, selector = 'input') => {
    // After the list re-renders, keep the keyboard where the person was working.
    requestAnimationFrame(() => {
      const items = list.current?.querySelectorAll('li')
      const item = items?.[Math.min(index, items.length - 1)]
      item?.querySelector<HTMLElement>(selector)?.focus()
    })
  }
  const set = (index: number, text: string) => onChange(points.map((p, i) => (i === index ? text : p)))
  const move = (index: number, by: -1 | 1) => {
    const next = [...points]
    const target = index + by
    ;[next[index], next[target]] = [next[target]!, next[index]!]
    onChange(next)
    focusPoint(target, by < 0 ? '.move-up' : '.move-down')
  }
  const remove = (index: number) => {
    onChange(points.filter((_, i) => i !== index))
    if (points.length > 1) focusPoint(Math.max(0, index - 1))
  }
  const add = () => {
    onChange([...points, ''])
    focusPoint(points.length)
  }
  return (
    <fieldset class="key-points">
      <legend>Key points</legend>
      <ol ref={list}>
        {points.map((point, index) => (
          <li key={index}>
            <label class="visually-hidden" for={`key-point-${index}`}>
              Key point {index + 1}
            </label>
            <input
              id={`key-point-${index}`}
              type="text"
              maxLength={MAX_KEY_POINT}
              value={point}
              onInput={(event) => set(index, event.currentTarget.value)}
            />
            <button
              type="button"
              class="move-up"
              disabled={index === 0}
              aria-label={`Move key point ${index + 1} up`}
              onClick={() => move(index, -1)}
            >
              ↑
            </button>
            <button
              type="button"
              class="move-down"
              disabled={index === points.length - 1}
              aria-label={`Move key point ${index + 1} down`}
              onClick={() => move(index, 1)}
            >
              ↓
            </button>
            <button type="button" aria-label={`Remove key point ${index + 1}`} onClick={() => remove(index)}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" disabled={points.length >= MAX_KEY_POINTS} onClick={add}>
        Add key point
      </button>
      <p class="hint">Up to {MAX_KEY_POINTS}, shown as bullets under the headline.</p>
    </fieldset>
  )
}
