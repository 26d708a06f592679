import type { RefObject } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { isApiError, type Api, type FieldProblem, type StoryPatch } from './api.js'
import type { BodyEditorHandle } from './body-editor.js'
import { removeLocalCopy, writeLocalCopy, type LocalCopy } from './local-copy.js'
import { replaceAddress, storyHref } from './router.js'
import { emptyFields, fieldsOf, heroInput, sameFields, storyBody, type StoryFields } from './story-form.js'
import { canPublish, type Article, type SessionUser } from './types.js'

/** Idle time before unsaved text goes to the server on its own. */
export const AUTOSAVE_MS = 3000

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'failed' | 'conflict'
export type UpdateKind = 'substantive' | 'minor'

export interface Notice {
  tone: 'success' | 'error' | 'info'
  text: string
  link?: { href: string; text: string }
}

export interface DraftStart {
  article: Article | null
  fields: StoryFields
  /** The version the fields were edited from (a recovered copy may be older than the server's). */
  baseVersion: number | null
  recovered: LocalCopy | null
}

/** Published stories change in public, so they are saved only when the editor says so. */
function autosaves(article: Article | null): boolean {
  return article === null || article.status !== 'published'
}

/**
 * The open story: its fields, what the server holds, and every way they meet: save,
 * autosave, the local copy, publish, schedule, unpublish, and the 409 of a stale save.
 */
export function useStoryDraft(
  api: Api,
  user: SessionUser,
  start: DraftStart,
  body: RefObject<BodyEditorHandle | null>,
) {
  const [article, setArticleState] = useState(start.article)
  const [fields, setFieldsState] = useState(start.fields)
  const [saved, setSavedState] = useState(
    start.article ? fieldsOf(start.article) : emptyFields(start.fields.section, start.fields.authors),
  )
  const [state, setState] = useState<SaveState>('saved')
  const [notice, setNotice] = useState<Notice | null>(null)
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [conflict, setConflictState] = useState<Article | null>(null)
  const [recovered, setRecovered] = useState(start.recovered)
  const [updateKind, setUpdateKind] = useState<UpdateKind>('substantive')
  const [correction, setCorrection] = useState('')

  const version = useRef(start.baseVersion)
  const articleRef = useRef(article)
  const fieldsRef = useRef(fields)
  const conflictRef = useRef(conflict)
  const savedRef = useRef(saved)
  const live = useRef({ updateKind, correction })
  live.current = { updateKind, correction }
  const queue = useRef<Promise<unknown>>(Promise.resolve())

  const storyKey = article?.id ?? 'new'
  const dirty = !sameFields(fields, saved)

  const setArticle = (next: Article) => {
    articleRef.current = next
    version.current = next.version
    setArticleState(next)
  }
  const setFields = (next: StoryFields) => {
    fieldsRef.current = next
    setFieldsState(next)
    if (conflictRef.current === null) setState('unsaved')
  }
  /** What the server now holds, as the fields showed it. */
  const setSaved = (next: StoryFields) => {
    savedRef.current = next
    setSavedState(next)
  }
  const setConflict = (next: Article | null) => {
    conflictRef.current = next
    setConflictState(next)
  }

  // The local copy follows every change at once, so even a crash a moment later loses nothing.
  useEffect(() => {
    if (!dirty && conflict === null) {
      removeLocalCopy(user.id, storyKey)
      return
    }
    const copy = { baseVersion: version.current, fields, savedAt: new Date().toISOString() }
    if (!writeLocalCopy(user.id, storyKey, copy))
      setNotice({
        tone: 'error',
        text: 'This browser could not keep a local copy; save to the server often.',
      })
  }, [fields, dirty, conflict, storyKey, user.id])

  useEffect(() => {
    // Recovered text waits for the person to keep or discard it before it reaches the server.
    if (!dirty || conflict !== null || recovered !== null || !autosaves(article)) return
    // A contributor's story waiting for review is theirs to change only after withdrawing it.
    if (article?.submittedAt && !canPublish(user.role)) return
    if (fields.headline.trim() === '') return
    const timer = setTimeout(() => void save({ auto: true }), AUTOSAVE_MS)
    return () => clearTimeout(timer)
    // save reads everything through refs, so the timer restarts only when the text changes.
  }, [fields, dirty, conflict, recovered, article])

  const serialise = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.current.then(work, work)
    queue.current = next.catch(() => undefined)
    return next
  }

  /** Saves the fields; resolves to whether the server now holds them. */
  const save = (options: { auto?: boolean } = {}): Promise<boolean> => serialise(() => saveNow(options))

  const saveNow = async ({ auto = false }: { auto?: boolean }): Promise<boolean> => {
    const current = fieldsRef.current
    const story = articleRef.current
    if (conflictRef.current !== null) {
      if (!auto) setNotice({ tone: 'error', text: 'Resolve the conflict below before saving again.' })
      return false
    }
    if (story !== null && sameFields(current, savedRef.current) && live.current.correction.trim() === '') {
      if (!auto) setNotice({ tone: 'success', text: `Already saved (version ${story.version}).` })
      return true
    }
    if (auto && !autosaves(story)) return false
    const hero = heroInput(current.hero)
    const fieldsBody = storyBody(current)
    const localProblems = [...hero.problems]
    if (fieldsBody.headline === '') localProblems.push({ field: 'headline', message: 'is required' })
    if (!auto && localProblems.length > 0) {
      setProblems(localProblems)
      setState('failed')
      setNotice({ tone: 'error', text: 'Not saved: fix the fields listed below, then save again.' })
      return false
    }
    if (auto && fieldsBody.headline === '') return false
    // An autosave leaves out a half-typed photo rather than fail on it.
    const sendHero = hero.problems.length === 0
    setState('saving')
    try {
      let answer: Article
      if (story === null) {
        answer = await api.createStory({ ...fieldsBody, ...(sendHero && hero.hero && { hero: hero.hero }) })
        removeLocalCopy(user.id, 'new')
        replaceAddress(storyHref(answer.id))
      } else {
        const patch: StoryPatch = { version: version.current ?? story.version, ...fieldsBody }
        if (sendHero) patch.hero = hero.hero
        if (story.status === 'published') {
          patch.updateKind = live.current.updateKind
          const note = live.current.correction.trim()
          if (note) patch.correction = note
        }
        answer = await api.saveStory(story.id, patch)
      }
      setArticle(answer)
      setSaved(sendHero ? current : { ...current, hero: savedRef.current.hero })
      if (story?.status === 'published') {
        setCorrection('')
        setUpdateKind('substantive')
      }
      setProblems([])
      setRecovered(null)
      setState(sameFields(fieldsRef.current, current) ? 'saved' : 'unsaved')
      const when = timeOfDay(new Date())
      setNotice(auto ? null : { tone: 'success', text: `Saved at ${when} (version ${answer.version}).` })
      return true
    } catch (error) {
      await showFailure(error)
      return false
    }
  }

  const showFailure = async (error: unknown, refusal = 'Not saved') => {
    const story = articleRef.current
    if (isApiError(error, 'CONFLICT') && error.problems.some((p) => p.field === 'version') && story) {
      const current = await api.story(story.id).catch(() => null)
      if (current) {
        setConflict(current)
        setState('conflict')
        setNotice(null)
        return
      }
    }
    setState('failed')
    if (isApiError(error)) {
      setProblems(error.problems)
      const text =
        error.code === 'UNAUTHENTICATED'
          ? 'Your session has ended: sign in again (reload this page). Your text is kept in this browser.'
          : `${refusal}: ${error.message}`
      setNotice({ tone: 'error', text })
    } else {
      setNotice({
        tone: 'error',
        text: 'Not saved: something went wrong. Your text is kept in this browser.',
      })
    }
  }

  /** Runs a publishing action on the saved story, saving unsaved text first. */
  const act = async (
    label: string,
    action: (id: number, version: number) => Promise<Article>,
    options: { anyRole?: boolean; saveFirst?: boolean } = {},
  ) =>
    serialise(async () => {
      if (!options.anyRole && !canPublish(user.role)) return
      const unsaved = articleRef.current === null || !sameFields(fieldsRef.current, savedRef.current)
      if (unsaved && options.saveFirst !== false) {
        if (!(await saveNow({}))) return
      }
      const story = articleRef.current
      if (story === null) return
      try {
        const answer = await action(story.id, version.current ?? story.version)
        setArticle(answer)
        setProblems([])
        setState(sameFields(fieldsRef.current, savedRef.current) ? 'saved' : 'unsaved')
        setNotice({
          tone: 'success',
          text: `${label} at ${timeOfDay(new Date())} (version ${answer.version}).`,
          ...(answer.status === 'published' && { link: { href: answer.url, text: 'View on the site' } }),
        })
      } catch (error) {
        await showFailure(error, 'Refused')
      }
    })

  /**
   * Conflict: saves a merge of mine and theirs against their version. My text stays in the
   * editor and the local copy until the server holds the merge; a newer conflict starts over.
   */
  const saveMerged = (merged: StoryFields): Promise<boolean> =>
    serialise(async () => {
      const theirs = conflictRef.current
      if (!theirs) return false
      const hero = heroInput(merged.hero)
      if (hero.problems.length > 0) {
        setProblems(hero.problems)
        setNotice({ tone: 'error', text: 'Not saved: the merged photo fields need fixing.' })
        return false
      }
      setState('saving')
      try {
        const patch: StoryPatch = { version: theirs.version, ...storyBody(merged), hero: hero.hero }
        if (theirs.status === 'published') {
          patch.updateKind = live.current.updateKind
          const note = live.current.correction.trim()
          if (note) patch.correction = note
        }
        const answer = await api.saveStory(theirs.id, patch)
        setArticle(answer)
        setConflict(null)
        setSaved(merged)
        setFields(merged)
        body.current?.setHtml(merged.bodyHtml)
        setProblems([])
        setState('saved')
        setNotice({
          tone: 'success',
          text: `Merged and saved at ${timeOfDay(new Date())} (version ${answer.version}).`,
        })
        return true
      } catch (error) {
        if (isApiError(error, 'CONFLICT')) {
          const newer = await api.story(theirs.id).catch(() => null)
          if (newer) {
            setConflict(newer)
            setState('conflict')
            setNotice({
              tone: 'error',
              text: `The story changed again (version ${newer.version}): merge once more.`,
            })
            return false
          }
        }
        setState('conflict')
        const reason = isApiError(error) ? error.message : 'something went wrong'
        setNotice({ tone: 'error', text: `Not saved: ${reason}. Your text and your choices are kept.` })
        return false
      }
    })

  /** Shows a version the server made without this editor (a restore), as the saved text. */
  const adoptServerVersion = (next: Article, text: string) => {
    const nextFields = fieldsOf(next)
    setArticle(next)
    setConflict(null)
    setSaved(nextFields)
    setFields(nextFields)
    body.current?.setHtml(nextFields.bodyHtml)
    setState('saved')
    setNotice({ tone: 'success', text })
  }

  // Typing back to the saved text leaves nothing unsaved; recovered text is unsaved.
  const settled = state === 'saved' || state === 'unsaved'
  const shownState: SaveState = settled ? (dirty ? 'unsaved' : 'saved') : state

  return {
    article,
    fields,
    /** The newest fields, for callbacks that outlive a render. */
    fieldsNow: () => fieldsRef.current,
    setFields,
    canPublish: canPublish(user.role),
    dirty,
    state: shownState,
    notice,
    problems,
    conflict,
    /** What the server held when this editor's changes began: the base of a three-way merge. */
    base: saved,
    saveMerged,
    adoptServerVersion,
    recovered,
    updateKind,
    setUpdateKind,
    correction,
    setCorrection,
    save,
    publish: () =>
      articleRef.current?.status === 'published'
        ? save().then(() => undefined)
        : act('Published', (id, v) => api.publish(id, v)),
    schedule: (at: Date) => act('Scheduled', (id, v) => api.schedule(id, v, at)),
    unpublish: () => act('Unpublished', (id, v) => api.unpublish(id, v)),
    /** A review or embargo step (desk-panel.tsx); the server decides who may take it. */
    step: (
      label: string,
      action: (id: number, version: number) => Promise<Article>,
      options: { saveFirst?: boolean } = {},
    ) => act(label, action, { ...options, anyRole: true }),
    /** Drops the recovered local text and shows the server's again. */
    discardRecovered: () => {
      const server = savedRef.current
      setFields(server)
      body.current?.setHtml(server.bodyHtml)
      if (articleRef.current) version.current = articleRef.current.version
      setRecovered(null)
      setState('saved')
    },
    dismissRecovered: () => setRecovered(null),
    /** Conflict: replace my text with the version on the server. */
    takeTheirs: () => {
      const theirs = conflictRef.current
      if (!theirs) return
      const next = fieldsOf(theirs)
      setArticle(theirs)
      setConflict(null)
      setSaved(next)
      setFields(next)
      body.current?.setHtml(next.bodyHtml)
      setState('saved')
      setNotice({ tone: 'info', text: `Showing version ${theirs.version}; your changes were dropped.` })
    },
    /** Conflict: save my text over the version on the server, knowingly. */
    keepMine: async () => {
      const theirs = conflictRef.current
      if (!theirs) return
      setArticle(theirs)
      setSaved(fieldsOf(theirs))
      setConflict(null)
      await save()
    },
  }
}

export type StoryDraft = ReturnType<typeof useStoryDraft>

export function timeOfDay(date: Date): string {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}
