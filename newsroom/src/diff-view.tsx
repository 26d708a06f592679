import type { TextDiff } from '../../src/platform/word-diff.js'
import type { FieldDiff } from './revision-diff.js'
import './history.css'

const GRANULARITY_TEXT = {
  word: '',
  paragraph: 'These texts differ too much to compare word by word: whole changed paragraphs are marked.',
  whole: 'These texts differ too much to compare in detail: the whole text is marked as replaced.',
} as const

/**
 * One text's changes: deleted words struck through, inserted words underlined, each
 * also named for screen readers, so neither colour nor sight is needed to tell them apart.
 */
export function DiffText({ diff }: { diff: TextDiff }) {
  return (
    <>
      {diff.granularity !== 'word' && <p class="hint">{GRANULARITY_TEXT[diff.granularity]}</p>}
      <div class="diff-text">
        {diff.ops.map((op, i) =>
          op.kind === 'same' ? (
            op.text
          ) : op.kind === 'ins' ? (
            <ins key={i}>
              <span class="visually-hidden">[added: </span>
              {op.text}
              <span class="visually-hidden">]</span>
            </ins>
          ) : (
            <del key={i}>
              <span class="visually-hidden">[removed: </span>
              {op.text}
              <span class="visually-hidden">]</span>
            </del>
          ),
        )}
      </div>
    </>
  )
}

/** The legend every diff screen shows once. */
export function DiffLegend({ removed, added }: { removed: string; added: string }) {
  return (
    <p class="diff-legend hint">
      <del>Struck through</del>: {removed}. <ins>Underlined</ins>: {added}.
    </p>
  )
}

/** The fields that changed, each with its word diff; the rest named in one line. */
export function FieldDiffList({ fields }: { fields: FieldDiff[] }) {
  const changed = fields.filter((f) => f.changed)
  const same = fields.filter((f) => !f.changed)
  return (
    <>
      {changed.length === 0 && <p>No differences in the story’s content.</p>}
      <dl class="field-diffs">
        {changed.map((field) => (
          <div key={field.key} class="field-diff" data-field={field.key}>
            <dt>{field.label}</dt>
            <dd>
              <DiffText diff={field.diff} />
              {field.key === 'bodyHtml' && field.diff.ops.every((op) => op.kind === 'same') && (
                <p class="hint">Only the formatting (bold, links, subheads…) changed.</p>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {changed.length > 0 && same.length > 0 && (
        <p class="hint">Unchanged: {same.map((f) => f.label.toLowerCase()).join(', ')}.</p>
      )}
    </>
  )
}
