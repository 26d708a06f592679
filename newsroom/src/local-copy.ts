import type { StoryFields } from './story-form.js'

/**
 * The browser's own copy of unsaved text, so a closed tab, a crash or a dropped network
 * loses nothing. One entry per user and story ("new" before the server gave an id),
 * kept until the server holds the same text.
 */
export interface LocalCopy {
  /** The server version the text was edited from; null for a story not yet created. */
  baseVersion: number | null
  fields: StoryFields
  savedAt: string
}

type StoryKey = number | 'new'

function keyOf(userId: number, story: StoryKey): string {
  return `dateline.newsroom.${userId}.story.${story}`
}

export function readLocalCopy(userId: number, story: StoryKey): LocalCopy | undefined {
  try {
    const text = localStorage.getItem(keyOf(userId, story))
    if (!text) return undefined
    const value: unknown = JSON.parse(text)
    return isLocalCopy(value) ? value : undefined
  } catch {
    // Storage disabled or a corrupt entry: there is simply no copy to offer.
    return undefined
  }
}

export function writeLocalCopy(userId: number, story: StoryKey, copy: LocalCopy): boolean {
  try {
    localStorage.setItem(keyOf(userId, story), JSON.stringify(copy))
    return true
  } catch {
    // Full or disabled storage: the server save still runs; the caller says the copy failed.
    return false
  }
}

export function removeLocalCopy(userId: number, story: StoryKey): void {
  try {
    localStorage.removeItem(keyOf(userId, story))
  } catch {
    // Disabled storage holds nothing to remove.
  }
}

/** The stories this user has a local copy of, in this browser. */
export function listLocalCopies(userId: number): string[] {
  const prefix = keyOf(userId, 'new').replace(/new$/, '')
  try {
    return Object.keys(localStorage).filter((key) => key.startsWith(prefix))
  } catch {
    return []
  }
}

/** Forgets every local copy of this user: on sign-out, so a shared computer keeps none of their text. */
export function removeAllLocalCopies(userId: number): void {
  for (const key of listLocalCopies(userId)) {
    try {
      localStorage.removeItem(key)
    } catch {
      // Disabled storage holds nothing to remove.
    }
  }
}

function isLocalCopy(value: unknown): value is LocalCopy {
  if (typeof value !== 'object' || value === null) return false
  const copy = value as Partial<LocalCopy>
  const fields = copy.fields
  return (
    (copy.baseVersion === null || typeof copy.baseVersion === 'number') &&
    typeof copy.savedAt === 'string' &&
    typeof fields === 'object' &&
    fields !== null &&
    typeof fields.headline === 'string' &&
    typeof fields.bodyHtml === 'string' &&
    Array.isArray(fields.keyPoints) &&
    typeof fields.hero === 'object'
  )
}
