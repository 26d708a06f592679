import type { ArticleHeroInput, FieldProblem, StoryCreate } from './api.js'
import type { Article, AuthorName } from './types.js'

/** The hero photo as typed into its fields; numbers stay text until the story is saved. */
export interface HeroFields {
  src: string
  width: string
  height: string
  alt: string
  caption: string
  credit: string
}

/** Everything the editor edits, as the inputs hold it. */
export interface StoryFields {
  headline: string
  keyPoints: string[]
  bodyHtml: string
  section: string
  /** Comma-separated topic names; the server finds or creates each. */
  topics: string
  byline: string
  sourceCredit: string
  /** Breaking news: the reader site's banner follows it while the story is live. */
  breaking: boolean
  /** The place the story is told from, e.g. "Kyiv, Ukraine". */
  dateline: string
  language: string
  hero: HeroFields
  /** Staff named on the story. */
  authors: AuthorName[]
}

export const MAX_HEADLINE = 200
export const MAX_KEY_POINTS = 6
export const MAX_KEY_POINT = 300

const NO_HERO: HeroFields = { src: '', width: '', height: '', alt: '', caption: '', credit: '' }

export function emptyFields(section: string, authors: AuthorName[] = []): StoryFields {
  return {
    headline: '',
    keyPoints: [],
    bodyHtml: '',
    section,
    topics: '',
    byline: '',
    sourceCredit: '',
    breaking: false,
    dateline: '',
    language: 'en',
    hero: { ...NO_HERO },
    authors,
  }
}

export function fieldsOf(article: Article): StoryFields {
  const hero = article.hero
  return {
    headline: article.headline,
    keyPoints: [...article.keyPoints],
    bodyHtml: article.bodyHtml,
    section: article.section.slug,
    topics: article.topics.map((t) => t.name).join(', '),
    byline: article.byline,
    sourceCredit: article.sourceCredit,
    breaking: article.breaking,
    dateline: article.dateline,
    language: article.language,
    hero: hero
      ? {
          src: hero.src,
          width: String(hero.width),
          height: String(hero.height),
          alt: hero.alt,
          caption: hero.caption,
          credit: hero.credit,
        }
      : { ...NO_HERO },
    authors: article.authors.map((a) => ({ id: a.id, displayName: a.displayName })),
  }
}

export function sameFields(a: StoryFields, b: StoryFields): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export function topicNames(text: string): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  return [...new Set(names)]
}

/** The hero to send: null when there is none, or the problems that stop it being saved. */
export function heroInput(hero: HeroFields): { hero: ArticleHeroInput | null; problems: FieldProblem[] } {
  const parts = [hero.src, hero.width, hero.height, hero.alt, hero.caption, hero.credit]
  if (parts.every((value) => value.trim() === '')) return { hero: null, problems: [] }
  const problems: FieldProblem[] = []
  const width = Number(hero.width)
  const height = Number(hero.height)
  if (hero.src.trim() === '') problems.push({ field: 'hero/src', message: 'is required for a hero photo' })
  if (!Number.isInteger(width) || width < 1 || width > 20000)
    problems.push({ field: 'hero/width', message: 'must be a whole number of pixels, 1-20000' })
  if (!Number.isInteger(height) || height < 1 || height > 20000)
    problems.push({ field: 'hero/height', message: 'must be a whole number of pixels, 1-20000' })
  if (hero.alt.trim() === '') problems.push({ field: 'hero/alt', message: 'is required: describe the photo' })
  if (problems.length > 0) return { hero: null, problems }
  return {
    hero: {
      src: hero.src.trim(),
      width,
      height,
      alt: hero.alt.trim(),
      caption: hero.caption.trim(),
      credit: hero.credit.trim(),
    },
    problems: [],
  }
}

/** What a save sends for the story's own fields (the hero is decided separately). */
export function storyBody(fields: StoryFields): Omit<StoryCreate, 'hero'> {
  return {
    headline: fields.headline.trim(),
    keyPoints: fields.keyPoints.map((point) => point.trim()).filter((point) => point !== ''),
    bodyHtml: fields.bodyHtml,
    section: fields.section,
    topics: topicNames(fields.topics),
    byline: fields.byline.trim(),
    sourceCredit: fields.sourceCredit.trim(),
    breaking: fields.breaking,
    dateline: fields.dateline.trim(),
    language: fields.language.trim(),
    // A local copy kept before authors were editable has none: the server's stay.
    ...(fields.authors && { authorIds: fields.authors.map((a) => a.id) }),
  }
}

/** Readable names for the API's field paths, for messages. */
export const FIELD_LABELS: Record<string, string> = {
  headline: 'Headline',
  keyPoints: 'Key points',
  bodyHtml: 'Story text',
  section: 'Section',
  topics: 'Topics',
  byline: 'Byline',
  sourceCredit: 'Source credit',
  breaking: 'Breaking news',
  dateline: 'Dateline',
  language: 'Language',
  authorIds: 'Authors',
  embargoUntil: 'The embargo',
  note: 'The note',
  'hero/src': 'Photo address',
  'hero/width': 'Photo width',
  'hero/height': 'Photo height',
  'hero/alt': 'Alt text',
  'hero/caption': 'Caption',
  'hero/credit': 'Photo credit',
  correction: 'Correction note',
  publishAt: 'Publish time',
  version: 'Version',
}

export function describeProblem(problem: FieldProblem): string {
  const label =
    FIELD_LABELS[problem.field] ?? FIELD_LABELS[problem.field.split('/')[0] ?? ''] ?? problem.field
  return `${label} ${problem.message}`
}
