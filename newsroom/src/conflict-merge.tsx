import type { ComponentChildren } from 'preact'
import { useMemo, useRef, useState } from 'preact/hooks'
import { diffText } from '../../src/platform/word-diff.js'
import type { Api } from './api.js'
import { BodyEditor, type BodyEditorHandle } from './body-editor.js'
import { DiffLegend, DiffText } from './diff-view.js'
import { COMPARED_FIELDS, comparableOfFields, sameField, type ComparedField } from './revision-diff.js'
import { fieldsOf, type StoryFields } from './story-form.js'
import { timeOfDay, type StoryDraft } from './use-story-draft.js'

type Choice = 'mine' | 'theirs' | 'edit'

interface MergeField {
  key: ComparedField
  label: string
  /** Who changed it since the version this editor started from. */
  changedBy: 'both' | 'them' | 'you'
}

const CHANGED_BY_TEXT = {
  both: 'Changed by both of you',
  them: 'Changed only by them',
  you: 'Changed only by you',
} as const

/**
 * A refused save (409) as a merge: every field where my text and theirs differ, shown as
 * a word diff, with a choice of mine or theirs (for the body also a merged text edited
 * here). A field only one side changed starts with that side. The merge is saved against
 * their version; until the server has it, my text stays in the editor and the local copy.
 */
export function ConflictMerge({ api, draft }: { api: Api; draft: StoryDraft }) {
  const theirs = draft.conflict!
  const mine = draft.fields
  const theirFields = useMemo(() => fieldsOf(theirs), [theirs])
  const fields = useMemo(() => mergeFields(draft.base, mine, theirFields), [draft.base, mine, theirFields])
  const [choices, setChoices] = useState<Partial<Record<ComparedField, Choice>>>({})
  const [mergedBody, setMergedBody] = useState(mine.bodyHtml)
  const [saving, setSaving] = useState(false)
  const mergeEditor = useRef<BodyEditorHandle>(null)

  const choiceOf = (field: MergeField): Choice =>
    choices[field.key] ?? (field.changedBy === 'them' ? 'theirs' : 'mine')
  const merged = (): StoryFields => {
    const result: StoryFields = { ...mine }
    for (const field of fields) {
      const choice = choiceOf(field)
      if (choice === 'theirs') Object.assign(result, { [field.key]: theirFields[field.key] })
      else if (choice === 'edit' && field.key === 'bodyHtml') result.bodyHtml = mergedBody
    }
    return result
  }
  const save = () => {
    setSaving(true)
    void draft.saveMerged(merged()).finally(() => setSaving(false))
  }

  return (
    <section class="notice error conflict" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Not saved: someone else changed this story</h2>
      <p role="alert">
        Not saved: someone else changed this story. The server now has version {theirs.version}, saved at{' '}
        {timeOfDay(new Date(theirs.modifiedAt))}; you started from version {draft.article?.version}. Your text
        is still here and kept in this browser. Nothing was overwritten.
      </p>
      {fields.length === 0 ? (
        <p>Your text and theirs are the same: save to carry on from version {theirs.version}.</p>
      ) : (
        <>
          <p>Choose, field by field, what the story keeps, then save the merged version.</p>
          <DiffLegend removed="only in their version" added="only in yours" />
        </>
      )}
      {fields.map((field) => (
        <MergeFieldView
          key={field.key}
          field={field}
          mine={mine}
          theirs={theirFields}
          choice={choiceOf(field)}
          onChoose={(choice) => {
            // The merged text starts from my text as it is when editing begins.
            if (choice === 'edit' && choiceOf(field) !== 'edit') setMergedBody(mine.bodyHtml)
            setChoices({ ...choices, [field.key]: choice })
          }}
        >
          {field.key === 'bodyHtml' && choiceOf(field) === 'edit' && (
            <div class="merge-body-editor">
              <span id="merge-body-label" class="label">
                Merged story text
              </span>
              <BodyEditor
                api={api}
                handle={mergeEditor}
                labelId="merge-body-label"
                initialHtml={mergedBody}
                onChange={setMergedBody}
              />
            </div>
          )}
        </MergeFieldView>
      ))}
      <p class="actions">
        <button type="button" class="primary" disabled={saving} onClick={save}>
          Save merged version
        </button>{' '}
        <button type="button" disabled={saving} onClick={() => void draft.keepMine()}>
          Save mine over version {theirs.version}
        </button>{' '}
        <button type="button" disabled={saving} onClick={draft.takeTheirs}>
          Drop mine, load version {theirs.version}
        </button>
      </p>
    </section>
  )
}

function MergeFieldView(props: {
  field: MergeField
  mine: StoryFields
  theirs: StoryFields
  choice: Choice
  onChoose: (choice: Choice) => void
  children?: ComponentChildren
}) {
  const { field, mine, theirs, choice, onChoose } = props
  const spec = COMPARED_FIELDS.find((s) => s.key === field.key)!
  const diff = useMemo(
    () => diffText(spec.text(comparableOfFields(theirs)), spec.text(comparableOfFields(mine))),
    [spec, mine, theirs],
  )
  const name = `merge-${field.key}`
  const options: [Choice, string][] = [
    ['mine', 'Keep mine'],
    ['theirs', 'Take theirs'],
  ]
  if (field.key === 'bodyHtml') options.push(['edit', 'Edit a merged text'])
  return (
    <div class="merge-field" data-field={field.key}>
      <h3>{field.label}</h3>
      <p class={`hint ${field.changedBy === 'both' ? 'both-changed' : ''}`}>
        {CHANGED_BY_TEXT[field.changedBy]}
      </p>
      <DiffText diff={diff} />
      <fieldset class="merge-choices">
        <legend class="visually-hidden">{field.label}: which to keep</legend>
        {options.map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name={name}
              value={value}
              checked={choice === value}
              onChange={() => onChoose(value)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      {props.children}
    </div>
  )
}

/** The fields where mine and theirs differ, and who changed each since the base version. */
function mergeFields(base: StoryFields, mine: StoryFields, theirs: StoryFields): MergeField[] {
  const [b, m, t] = [comparableOfFields(base), comparableOfFields(mine), comparableOfFields(theirs)]
  return COMPARED_FIELDS.filter((spec) => !sameField(m, t, spec.key)).map((spec) => {
    const iChanged = !sameField(m, b, spec.key)
    const theyChanged = !sameField(t, b, spec.key)
    const changedBy = iChanged && theyChanged ? 'both' : theyChanged ? 'them' : 'you'
    return { key: spec.key, label: spec.label, changedBy }
  })
}
