import type { Article } from './types.js'

const STATUS_TEXT = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
} as const

/** A time as the desk reads it: "2 Mar 2026, 14:30" in the browser's own zone. */
export function whenText(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })
}

/** Whether the story is held back by an embargo that has not yet passed. */
export function isEmbargoed(story: Pick<Article, 'embargoUntil'>, now = Date.now()): boolean {
  return story.embargoUntil !== null && new Date(story.embargoUntil).getTime() > now
}

/** The "Embargoed until …" badge, shown in the lists and the editor. */
export function EmbargoBadge({ story }: { story: Pick<Article, 'embargoUntil'> }) {
  if (!isEmbargoed(story)) return null
  return (
    <span class="badge embargoed">
      Embargoed until <time dateTime={story.embargoUntil!}>{whenText(story.embargoUntil!)}</time>
    </span>
  )
}

/** Status, review state and embargo of a story, as badges. */
export function StoryBadges({ story }: { story: Article }) {
  const sentBack = story.status === 'draft' && story.submittedAt === null && story.reviewNote !== ''
  return (
    <span class="badges">
      <span class={`badge ${story.status}`}>{STATUS_TEXT[story.status]}</span>
      {story.status === 'scheduled' && story.scheduledAt && (
        <span class="hint"> {whenText(story.scheduledAt)}</span>
      )}
      {story.submittedAt !== null && <span class="badge review">Waiting for review</span>}
      {sentBack && <span class="badge sent-back">Sent back</span>}
      <EmbargoBadge story={story} />
    </span>
  )
}
