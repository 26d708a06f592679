import { createHash } from 'node:crypto'
import type { ArticleView } from '../articles/index.js'
import type { WireItem } from './wire-item.js'

/** What is already stored for one story: one entry per accepted version. */
export interface StoredVersion {
  version: number
  contentHash: string
  versionCreated: Date | null
}

export interface IncomingVersion {
  version: number | null
  contentHash: string
  versionCreated: Date | null
}

export type VersionDecision =
  | { action: 'create'; version: number }
  | { action: 'update'; version: number }
  | { action: 'duplicate'; version: number }
  | { action: 'older'; latest: number }
  | { action: 'conflict'; reason: string }

/**
 * Decides what a delivery of a story means, given the versions already taken. Agencies
 * that number versions (ninjs, NewsML-G2) are ordered by number; feeds, which do not,
 * by their updated time, and we number their distinct contents 1, 2, 3 as they arrive.
 */
export function decideVersion(incoming: IncomingVersion, stored: StoredVersion[]): VersionDecision {
  if (stored.length === 0) return { action: 'create', version: incoming.version ?? 1 }
  const same = stored.find(
    (s) =>
      s.contentHash === incoming.contentHash && (incoming.version === null || s.version === incoming.version),
  )
  if (same) return { action: 'duplicate', version: same.version }
  const latest = stored.reduce((a, b) => (b.version > a.version ? b : a))
  if (incoming.version !== null) {
    if (stored.some((s) => s.version === incoming.version)) {
      return {
        action: 'conflict',
        reason: `version ${incoming.version} of this story was already taken with different content`,
      }
    }
    if (incoming.version < latest.version) return { action: 'older', latest: latest.version }
    return { action: 'update', version: incoming.version }
  }
  if (
    incoming.versionCreated !== null &&
    latest.versionCreated !== null &&
    incoming.versionCreated.getTime() < latest.versionCreated.getTime()
  ) {
    return { action: 'older', latest: latest.version }
  }
  return { action: 'update', version: latest.version + 1 }
}

/** A hash of what readers would see of an item; versions and times are left out on purpose. */
export function contentHash(item: WireItem): string {
  return sha256({
    headline: item.headline,
    keyPoints: item.keyPoints,
    bodyHtml: item.bodyHtml,
    byline: item.byline,
    credit: item.credit,
    copyright: item.copyright,
    topics: item.topics,
    breaking: item.breaking,
    embargoedUntil: item.embargoedUntil?.toISOString() ?? null,
    language: item.language,
    located: item.located,
    pictures: item.pictures,
    withdrawn: item.withdrawn,
  })
}

/** Marks fingerprints that cover every field the wire sets; rows from before it hold text-only ones. */
const FINGERPRINT_FORMAT = 'f2:'

/**
 * A fingerprint of the story as the wire left it: every field a wire version sets that an
 * editor can change (the hero has its own). If an editor saves a change, the article's
 * fingerprint no longer matches the one stored with the last applied version, and the next
 * agency version is held instead of overwriting their work.
 */
export function articleFingerprint(view: ArticleView): string {
  return (
    FINGERPRINT_FORMAT +
    sha256({
      ...storyText(view),
      breaking: view.breaking,
      dateline: view.dateline,
      language: view.language,
      embargoUntil: view.embargoUntil?.toISOString() ?? null,
    })
  )
}

/**
 * Whether someone changed the story since the wire left it as `fingerprint`, the one
 * stored with the last applied version. A fingerprint stored before the format mark is
 * compared as it was made, from the text alone, so an unedited story still takes the
 * next version; its first version applied from then on stores the full fingerprint.
 */
export function hasChangedSince(view: ArticleView, fingerprint: string): boolean {
  if (fingerprint.startsWith(FINGERPRINT_FORMAT)) return articleFingerprint(view) !== fingerprint
  return textOnlyFingerprint(view) !== fingerprint
}

/**
 * The fingerprint rows stored before breaking, dateline, language and embargo counted:
 * the text alone. Kept only to compare with those rows, never to store.
 */
function textOnlyFingerprint(view: ArticleView): string {
  return sha256(storyText(view))
}

/** The story's text as the wire sets it, in the order both fingerprints hash it. */
function storyText(view: ArticleView) {
  return {
    headline: view.headline,
    keyPoints: view.keyPoints,
    bodyHtml: view.bodyHtml,
    byline: view.byline,
    sourceCredit: view.sourceCredit,
    topics: view.topics.map((t) => t.slug),
  }
}

/**
 * A fingerprint of the story's hero as the wire left it: which photo, and the texts an
 * editor can change. The wire replaces a hero only while the story's still matches, so an
 * editor's own photo, caption or removal stands. No hero is '' (as on rows from before
 * wire pictures, which therefore let the wire set a hero only on a story without one).
 */
export function heroFingerprint(hero: ArticleView['hero']): string {
  if (!hero) return ''
  return sha256({ id: hero.id, alt: hero.alt, caption: hero.caption, credit: hero.credit })
}

function sha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex')
}
