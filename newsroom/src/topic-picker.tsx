import { useState } from 'preact/hooks'
import { isApiError, type Api } from './api.js'
import { ChipCombobox, type ComboOption } from './chip-combobox.js'
import { topicNames } from './story-form.js'
import { canPublish, type SessionUser } from './types.js'

interface TopicPickerProps {
  api: Api
  user: SessionUser
  /** The story's topics as the form keeps them: names separated by commas. */
  value: string
  onChange: (value: string) => void
}

/**
 * Topics by search: existing topics are found by name or alias ("Trump" finds "Donald
 * Trump"). Anyone may add a plain new topic (it is created when the story is saved);
 * editors may also create one with aliases at once.
 */
export function TopicPicker({ api, user, value, onChange }: TopicPickerProps) {
  const names = topicNames(value)
  const add = (name: string) => {
    if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) onChange([...names, name].join(', '))
  }
  const suggest = async (typed: string): Promise<ComboOption<string>[]> => {
    const found = await api.findTopics(typed)
    const lower = typed.toLowerCase()
    const options: ComboOption<string>[] = found
      .filter((t) => !names.includes(t.name))
      .map((t) => {
        const alias = t.name.toLowerCase().includes(lower)
          ? undefined
          : t.aliases.find((a) => a.toLowerCase().includes(lower))
        return { key: t.slug, label: t.name, value: t.name, ...(alias && { detail: `(also: ${alias})` }) }
      })
    const exists = found.some((t) => [t.name, ...t.aliases].some((n) => n.toLowerCase() === lower))
    if (!exists) options.push({ key: `new:${lower}`, label: `Add new topic “${typed}”`, value: typed })
    return options
  }
  return (
    <div class="topic-picker">
      <ChipCombobox
        id="topics"
        label="Topics"
        hint="Type to find a topic by name or alias; Enter adds it."
        keyShortcut="Alt+Shift+T"
        chips={names.map((name) => ({ key: name, label: name }))}
        onRemove={(key) => onChange(names.filter((n) => n !== key).join(', '))}
        suggest={suggest}
        onPick={(option) => add(option.value)}
      />
      {canPublish(user.role) && <NewTopicForm api={api} onCreated={add} />}
    </div>
  )
}

/** Editors: a new topic with its aliases, created at once so other stories find it too. */
function NewTopicForm({ api, onCreated }: { api: Api; onCreated: (name: string) => void }) {
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [aliases, setAliases] = useState('')
  const [message, setMessage] = useState('')
  const create = async () => {
    if (name.trim() === '') {
      setMessage('Give the topic a name.')
      return
    }
    try {
      const topic = await api.createTopic(name.trim(), topicNames(aliases))
      onCreated(topic.name)
      setMessage(`Created “${topic.name}” and added it.`)
      setName('')
      setAliases('')
      setOpen(false)
    } catch (error) {
      setMessage(isApiError(error) ? error.message : 'The topic could not be created.')
    }
  }
  return (
    <div class="new-topic">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="new-topic-fields"
        onClick={() => setOpen(!open)}
      >
        New topic with aliases…
      </button>
      <div id="new-topic-fields" hidden={!open}>
        <div class="field">
          <label for="new-topic-name">Topic name</label>
          <input
            id="new-topic-name"
            type="text"
            maxLength={80}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="new-topic-aliases">Aliases</label>
          <input
            id="new-topic-aliases"
            type="text"
            value={aliases}
            aria-describedby="new-topic-aliases-hint"
            onInput={(e) => setAliases(e.currentTarget.value)}
          />
          <p id="new-topic-aliases-hint" class="hint">
            Other names that find it, separated by commas, e.g. Trump, President Trump.
          </p>
        </div>
        <button type="button" onClick={() => void create()}>
          Create topic
        </button>
      </div>
      {message && (
        <p role="status" class="hint">
          {message}
        </p>
      )}
    </div>
  )
}
