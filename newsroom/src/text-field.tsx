/** A labelled one-line text input with an optional hint, the newsroom's common form row. */
export function TextField(props: {
  id: string
  label: string
  value: string
  hint?: string
  onInput: (value: string) => void
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        value={props.value}
        aria-describedby={hintId}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.hint && (
        <p id={hintId} class="hint">
          {props.hint}
        </p>
      )}
    </div>
  )
}
