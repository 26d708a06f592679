import { bodyText, diffText, PARAGRAPH_BREAK, type TextDiff } from '../../src/platform/word-diff.js'
import { topicNames, type StoryFields } from './story-form.js'

/** A story's content in the one shape both revision snapshots and the editor's fields turn into. */
export interface Comparable {
  headline: string
  keyPoints: string[]
  bodyHtml: string
  section: string
  topics: string[]
  byline: string
  sourceCredit: string
  hero: { src: string; width: string; height: string; alt: string; caption: string; credit: string } | null
  breaking: boolean
  dateline: string
  language: string
}

export type ComparedField = keyof Comparable

interface FieldSpec {
  key: ComparedField
  label: string
  /** The field as readable text, which the word diff compares. */
  text: (story: Comparable) => string
}

export const COMPARED_FIELDS: FieldSpec[] = [
  { key: 'headline', label: 'Headline', text: (s) => s.headline },
  {
    key: 'keyPoints',
    label: 'Key points',
    text: (s) => s.keyPoints.map((p) => `• ${p}`).join(PARAGRAPH_BREAK),
  },
  { key: 'bodyHtml', label: 'Story text', text: (s) => bodyText(s.bodyHtml) },
  { key: 'section', label: 'Section', text: (s) => s.section },
  { key: 'topics', label: 'Topics', text: (s) => s.topics.join(', ') },
  { key: 'byline', label: 'Byline', text: (s) => s.byline },
  { key: 'sourceCredit', label: 'Source credit', text: (s) => s.sourceCredit },
  { key: 'hero', label: 'Hero photo', text: heroText },
  { key: 'breaking', label: 'Breaking news', text: (s) => (s.breaking ? 'Yes' : 'No') },
  { key: 'dateline', label: 'Dateline', text: (s) => s.dateline },
  { key: 'language', label: 'Language', text: (s) => s.language },
]

function heroText(story: Comparable): string {
  const hero = story.hero
  if (!hero) return '(no photo)'
  return [
    `Photo: ${hero.src} (${hero.width} × ${hero.height})`,
    `Alt text: ${hero.alt}`,
    `Caption: ${hero.caption}`,
    `Credit: ${hero.credit}`,
  ].join(PARAGRAPH_BREAK)
}

export interface FieldDiff {
  key: ComparedField
  label: string
  changed: boolean
  diff: TextDiff
}

/** Whether a field holds the same value on both sides (the body by its markup, so formatting counts). */
export function sameField(a: Comparable, b: Comparable, key: ComparedField): boolean {
  return JSON.stringify(a[key]) === JSON.stringify(b[key])
}

/** Every compared field, before against after, with its word diff. */
export function diffStories(before: Comparable, after: Comparable): FieldDiff[] {
  return COMPARED_FIELDS.map((spec) => {
    const changed = !sameField(before, after, spec.key)
    const diff = changed
      ? diffText(spec.text(before), spec.text(after))
      : { ops: [{ kind: 'same' as const, text: spec.text(after) }], granularity: 'word' as const }
    return { key: spec.key, label: spec.label, changed, diff }
  })
}

/** A revision snapshot as the API stores it (section and topics by slug). */
export function comparableOfSnapshot(snapshot: Record<string, unknown>): Comparable {
  const text = (key: string) => (typeof snapshot[key] === 'string' ? snapshot[key] : '')
  const list = (key: string) => {
    const value = snapshot[key]
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  }
  const hero = snapshot['hero']
  return {
    headline: text('headline'),
    keyPoints: list('keyPoints'),
    bodyHtml: text('bodyHtml'),
    section: text('section'),
    topics: list('topics'),
    byline: text('byline'),
    sourceCredit: text('sourceCredit'),
    hero: typeof hero === 'object' && hero !== null ? heroOfSnapshot(hero as Record<string, unknown>) : null,
    breaking: snapshot['breaking'] === true,
    dateline: text('dateline'),
    language: text('language'),
  }
}

function heroOfSnapshot(hero: Record<string, unknown>): NonNullable<Comparable['hero']> {
  const text = (key: string) => {
    const value = hero[key]
    return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
  }
  return {
    src: text('src'),
    width: text('width'),
    height: text('height'),
    alt: text('alt'),
    caption: text('caption'),
    credit: text('credit'),
  }
}

/** The editor's fields (topics by name). */
export function comparableOfFields(fields: StoryFields): Comparable {
  const hero = fields.hero
  const noHero = [hero.src, hero.width, hero.height, hero.alt, hero.caption, hero.credit].every(
    (value) => value.trim() === '',
  )
  return {
    headline: fields.headline.trim(),
    keyPoints: fields.keyPoints.map((p) => p.trim()).filter((p) => p !== ''),
    bodyHtml: fields.bodyHtml,
    section: fields.section,
    topics: topicNames(fields.topics),
    byline: fields.byline.trim(),
    sourceCredit: fields.sourceCredit.trim(),
    hero: noHero ? null : { ...hero },
    breaking: fields.breaking,
    dateline: fields.dateline.trim(),
    language: fields.language.trim(),
  }
}
