import type { Api } from './api.js'
import { ChipCombobox } from './chip-combobox.js'
import type { AuthorName } from './types.js'

/** The story's staff authors, found by name among newsroom users. */
export function AuthorPicker({
  api,
  value,
  onChange,
}: {
  api: Api
  value: AuthorName[]
  onChange: (authors: AuthorName[]) => void
}) {
  return (
    <ChipCombobox
      id="authors"
      label="Authors"
      hint="Staff named on the story; type a name to add one."
      keyShortcut="Alt+Shift+U"
      chips={value.map((a) => ({ key: String(a.id), label: a.displayName }))}
      onRemove={(key) => onChange(value.filter((a) => String(a.id) !== key))}
      suggest={async (typed) =>
        (await api.findAuthors(typed))
          .filter((found) => !value.some((a) => a.id === found.id))
          .map((found) => ({ key: String(found.id), label: found.displayName, value: found }))
      }
      onPick={(option) =>
        onChange([...value, { id: option.value.id, displayName: option.value.displayName }])
      }
    />
  )
}
