import { useEffect, useRef, useState } from 'preact/hooks'
import type { Api } from './api.js'
import type { BodyEditorHandle } from './body-editor.js'
import { AuthorPicker } from './author-picker.js'
import { BodyEditor } from './body-editor.js'
import { ConflictMerge } from './conflict-merge.js'
import { DeskPanel } from './desk-panel.js'
import { HeroFields } from './hero-fields.js'
import { KeyPointsField } from './key-points-field.js'
import { readLocalCopy } from './local-copy.js'
import { PreviewPanel } from './preview-panel.js'
import { PublishPanel } from './publish-panel.js'
import { RevisionList } from './revision-list.js'
import { HeldVersions } from './held-versions.js'
import { TextField } from './text-field.js'
import { TopicPicker } from './topic-picker.js'
import { slugify } from '../../src/platform/slug.js'
import {
  describeProblem,
  emptyFields,
  fieldsOf,
  MAX_HEADLINE,
  sameFields,
  type StoryFields,
} from './story-form.js'
import { canPublish, type Section, type SessionUser } from './types.js'
import { timeOfDay, useStoryDraft, type DraftStart, type StoryDraft } from './use-story-draft.js'

interface StoryEditorProps {
  api: Api
  user: SessionUser
  sections: Section[]
  /** Undefined for a new story. */
  storyId?: number
}

/** Loads the story (or starts a new one), takes in any local copy, then shows the editor. */
export function StoryEditor({ api, user, sections, storyId }: StoryEditorProps) {
  const [start, setStart] = useState<DraftStart | null>(null)
  const [error, setError] = useState('')

  useEffect(() => {
    let cancelled = false
    const load = async () => {
      const article = storyId === undefined ? null : await api.story(storyId)
      const me = { id: user.id, displayName: user.displayName }
      const server = article ? fieldsOf(article) : emptyFields(sections[0]?.slug ?? '', [me])
      const copy = readLocalCopy(user.id, storyId ?? 'new')
      const useCopy = copy !== undefined && !sameFields(copy.fields, server)
      if (!cancelled)
        setStart({
          article,
          fields: useCopy ? copy.fields : server,
          baseVersion: useCopy ? copy.baseVersion : (article?.version ?? null),
          recovered: useCopy ? copy : null,
        })
    }
    load().catch((e: unknown) => {
      if (!cancelled) setError(e instanceof Error ? e.message : 'The story could not be loaded')
    })
    return () => {
      cancelled = true
    }
  }, [api, user.id, user.displayName, storyId, sections])

  if (error)
    return (
      <p role="alert" class="notice error">
        {error}
      </p>
    )
  if (!start) return <p role="status">Loading the story…</p>
  return <EditorForm api={api} user={user} sections={sections} start={start} />
}

interface EditorFormProps {
  api: Api
  user: SessionUser
  sections: Section[]
  start: DraftStart
}

function EditorForm({ api, user, sections, start }: EditorFormProps) {
  const body = useRef<BodyEditorHandle>(null)
  const draft = useStoryDraft(api, user, start, body)
  const { fields, article } = draft
  const set = <K extends keyof StoryFields>(name: K, value: StoryFields[K]) =>
    draft.setFields({ ...fields, [name]: value })
  useShortcuts(draft)
  const invalid = new Set(draft.problems.map((p) => p.field))
  const slug = slugify(fields.headline) || 'story'
  const heading = article ? 'Edit story' : 'New story'

  useEffect(() => {
    document.title = `${fields.headline.trim() || heading} · Newsroom`
  }, [fields.headline, heading])

  return (
    <form
      class="story-editor"
      aria-labelledby="editor-title"
      onSubmit={(event) => {
        event.preventDefault()
        void draft.save()
      }}
    >
      <div class="story-column">
        <h1 id="editor-title" class="screen-title" tabIndex={-1}>
          {heading}
        </h1>
        <Notices api={api} draft={draft} />
        <div class="field headline">
          <label for="headline">Headline</label>
          <textarea
            id="headline"
            rows={2}
            maxLength={MAX_HEADLINE}
            value={fields.headline}
            required
            aria-invalid={invalid.has('headline')}
            aria-describedby="headline-count slug-preview"
            onInput={(event) => set('headline', event.currentTarget.value.replace(/\n/g, ' '))}
          />
          <p class="hint counts">
            <span id="headline-count">
              {fields.headline.length} of {MAX_HEADLINE} characters
            </span>
            <span id="slug-preview">
              Address: /{fields.section}/{slug}
            </span>
          </p>
        </div>
        <HeroFields api={api} hero={fields.hero} invalid={invalid} onChange={(hero) => set('hero', hero)} />
        <KeyPointsField points={fields.keyPoints} onChange={(points) => set('keyPoints', points)} />
        <div class="field body">
          <span id="body-label" class="label">
            Story text
          </span>
          <BodyEditor
            api={api}
            handle={body}
            labelId="body-label"
            initialHtml={fields.bodyHtml}
            onChange={(html) => draft.setFields({ ...draftFields(draft), bodyHtml: html })}
          />
        </div>
      </div>
      <div class="side-column">
        <section aria-labelledby="details-heading" class="panel">
          <h2 id="details-heading">Details</h2>
          <div class="field">
            <label for="section">Section</label>
            <select
              id="section"
              value={fields.section}
              onChange={(e) => set('section', e.currentTarget.value)}
            >
              {sections.map((s) => (
                <option key={s.slug} value={s.slug}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <TopicPicker
            api={api}
            user={user}
            value={fields.topics}
            onChange={(value) => set('topics', value)}
          />
          <AuthorPicker
            api={api}
            value={fields.authors ?? []}
            onChange={(authors) => set('authors', authors)}
          />
          <TextField
            id="byline"
            label="Byline"
            value={fields.byline}
            onInput={(value) => set('byline', value)}
          />
          <TextField
            id="source-credit"
            label="Source credit"
            value={fields.sourceCredit}
            hint="The agency or source, e.g. Reuters."
            onInput={(value) => set('sourceCredit', value)}
          />
          <TextField
            id="dateline"
            label="Dateline"
            value={fields.dateline}
            hint="Where the story is told from, e.g. Kyiv, Ukraine."
            onInput={(value) => set('dateline', value)}
          />
          <TextField
            id="language"
            label="Language"
            value={fields.language}
            hint="A language tag such as en or pt-BR."
            onInput={(value) => set('language', value)}
          />
          <div class="field checkbox">
            <input
              id="breaking"
              type="checkbox"
              checked={fields.breaking}
              aria-describedby="breaking-hint"
              onChange={(event) => set('breaking', event.currentTarget.checked)}
            />
            <label for="breaking">Breaking news</label>
            <p class="hint" id="breaking-hint">
              While it is live, a banner on every page of the site links to it.
            </p>
          </div>
        </section>
        <DeskPanel api={api} draft={draft} user={user} />
        <PublishPanel draft={draft} user={user} />
        {article && canPublish(user.role) && (
          <HeldVersions api={api} storyId={article.id} version={article.version} />
        )}
        <PreviewPanel api={api} article={article} fields={draft.fieldsNow} />
        {article && (
          <RevisionList
            api={api}
            storyId={article.id}
            version={article.version}
            user={user}
            dirty={draft.dirty}
            onRestored={(restored, from) =>
              draft.adoptServerVersion(restored, `Restored version ${from} as version ${restored.version}.`)
            }
          />
        )}
      </div>
    </form>
  )
}

/** The body editor calls back long after render; it must extend the newest fields. */
function draftFields(draft: StoryDraft): StoryFields {
  return draft.fieldsNow()
}

function Notices({ api, draft }: { api: Api; draft: StoryDraft }) {
  const { notice, recovered, conflict, problems } = draft
  return (
    <>
      {recovered && (
        <div class="notice info" role="status">
          <p>
            Recovered unsaved changes kept in this browser at {timeOfDay(new Date(recovered.savedAt))}.
            {recovered.baseVersion !== null &&
              draft.article !== null &&
              recovered.baseVersion !== draft.article.version &&
              ` They were made to version ${recovered.baseVersion}; the story is now at version ${draft.article.version}.`}
          </p>
          <button type="button" onClick={draft.dismissRecovered}>
            Keep them
          </button>{' '}
          <button type="button" onClick={draft.discardRecovered}>
            Discard them
          </button>
        </div>
      )}
      {conflict && <ConflictMerge key={conflict.version} api={api} draft={draft} />}
      {notice && (
        <div class={`notice ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <p>
            {notice.text}
            {notice.link && (
              <>
                {' '}
                <a href={notice.link.href}>{notice.link.text}</a>
              </>
            )}
          </p>
          {problems.length > 0 && (
            <ul>
              {problems.map((p) => (
                <li key={p.field}>{describeProblem(p)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  )
}

/** Ctrl/Cmd+S saves, Ctrl/Cmd+Enter publishes; caught before the body editor sees them. */
function useShortcuts(draft: StoryDraft) {
  const latest = useRef(draft)
  latest.current = draft
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return
      if (event.key === 's' || event.key === 'S') {
        event.preventDefault()
        void latest.current.save()
      } else if (event.key === 'Enter' && latest.current.canPublish) {
        event.preventDefault()
        event.stopPropagation()
        void latest.current.publish()
      }
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [])
}
