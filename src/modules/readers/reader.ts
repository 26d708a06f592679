/** A member of the public with an account on the reader site. Staff are users, never readers. */
export interface Reader {
  id: number
  email: string
  emailFrequency: EmailFrequency
  createdAt: Date
}

/** How a reader wants email about new stories on what they follow: each at once, one digest a day, or none. */
export type EmailFrequency = 'immediately' | 'daily' | 'off'
export const EMAIL_FREQUENCIES: readonly EmailFrequency[] = ['immediately', 'daily', 'off']

export type FollowKind = 'topic' | 'author' | 'section'
export const FOLLOW_KINDS: readonly FollowKind[] = ['topic', 'author', 'section']

/** Something a reader can follow: a topic, an author (a staff user) or a section, by id. */
export interface FollowTarget {
  kind: FollowKind
  targetId: number
}

/** A follow as the account page lists it, with the name and page of what is followed. */
export interface Follow extends FollowTarget {
  name: string
  path: string
  createdAt: Date
}

/** One in-app notification: a story published on something the reader follows. */
export interface ReaderNotification {
  id: number
  articleId: number
  headline: string
  path: string
  createdAt: Date
  readAt: Date | null
}

/** How long a sign-in link works, and how long a reader stays signed in. */
export const SIGN_IN_LINK_LIFETIME_MS = 15 * 60 * 1000
export const READER_SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000
/** Sign-in links one address may be sent per hour, so the form cannot flood an inbox. */
export const SIGN_IN_LINKS_PER_HOUR = 5

const EMAIL_PATTERN = /^[^\s@<>"'(),;:\\[\]]+@[^\s@<>"'(),;:\\[\]]+\.[^\s@<>"'(),;:\\[\]]+$/

/** Lower-cased and trimmed, or undefined when it is not a plausible address. */
export function normaliseEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase()
  return email.length <= 254 && EMAIL_PATTERN.test(email) ? email : undefined
}

export function isFollowKind(value: string): value is FollowKind {
  return (FOLLOW_KINDS as readonly string[]).includes(value)
}

export function isEmailFrequency(value: string): value is EmailFrequency {
  return (EMAIL_FREQUENCIES as readonly string[]).includes(value)
}

/** "topic:12", the form a follow travels in through URLs and forms. */
export function followKey(target: FollowTarget): string {
  return `${target.kind}:${target.targetId}`
}

export function parseFollowKey(raw: string | undefined): FollowTarget | undefined {
  const match = /^(topic|author|section):(\d{1,15})$/.exec(raw ?? '')
  if (!match) return undefined
  const kind = match[1] ?? ''
  const targetId = Number(match[2])
  return isFollowKind(kind) && targetId > 0 ? { kind, targetId } : undefined
}

/**
 * A path on this site to send a reader back to, or undefined. Only a plain local path
 * passes: no scheme, no "//host", no backslash tricks, so sign-in is never an open redirect.
 */
export function safeReturnPath(raw: string | undefined): string | undefined {
  if (!raw || raw.length > 500) return undefined
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return undefined
  if (/[\\\s]/.test(raw) || [...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return undefined
  return raw
}
