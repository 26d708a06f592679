import { assertNoProblems, type FieldProblem } from '../../platform/app-error.js'
import type { Db } from '../../platform/database.js'
import { slugify } from '../../platform/slug.js'
import { cleanText } from '../../platform/text.js'
import { findSectionBySlug, findTopicBySlug } from '../taxonomy/index.js'
import type { ArticleView } from './article.js'
import { checkArticleFields } from './article-rules.js'
import { checkHero, type HeroInput } from './article-service.js'
import { sanitizeBody } from '../story-text/index.js'

/** The editor's unsaved fields, as a preview takes them. */
export interface PreviewInput {
  headline: string
  keyPoints: string[]
  bodyHtml: string
  section: string
  /** Topic names; one not yet known is shown as it would be created. */
  topics: string[]
  byline: string
  sourceCredit: string
  breaking: boolean
  dateline: string
  language: string
  hero: HeroInput | null
  /** The bylined staff, when the editor changed them; absent keeps the saved ones. */
  authorIds?: number[] | undefined
}

/**
 * The saved story with an editor's unsaved fields laid over it, cleaned exactly as a
 * save would clean them (the body through the same sanitizer), for a preview page.
 * Nothing is written: unknown topics are shown, not created.
 */
export async function previewArticleView(
  db: Db,
  saved: ArticleView,
  input: PreviewInput,
): Promise<ArticleView> {
  const fields = {
    headline: cleanText(input.headline),
    keyPoints: input.keyPoints.map(cleanText).filter((point) => point !== ''),
    bodyHtml: sanitizeBody(input.bodyHtml),
    byline: cleanText(input.byline),
    sourceCredit: cleanText(input.sourceCredit),
    dateline: cleanText(input.dateline),
    language: input.language.trim(),
  }
  const problems: FieldProblem[] = [...checkArticleFields(fields), ...checkHero(input.hero)]
  const section = await findSectionBySlug(db, input.section)
  if (!section) problems.push({ field: 'section', message: `unknown section "${input.section}"` })
  assertNoProblems(problems)
  const topics: ArticleView['topics'] = []
  for (const name of input.topics) {
    const slug = slugify(cleanText(name))
    if (slug === '' || topics.some((t) => t.slug === slug)) continue
    const known = await findTopicBySlug(db, slug)
    topics.push(
      known ? { id: known.id, slug: known.slug, name: known.name } : { id: 0, slug, name: cleanText(name) },
    )
  }
  const authors =
    input.authorIds === undefined
      ? saved.authors
      : input.authorIds.length === 0
        ? []
        : (
            await db
              .selectFrom('user')
              .select(['id', 'display_name', 'slug'])
              .where('id', 'in', input.authorIds)
              .execute()
          )
            .sort((a, b) => input.authorIds!.indexOf(a.id) - input.authorIds!.indexOf(b.id))
            .map((u) => ({ id: u.id, displayName: u.display_name, slug: u.slug }))
  return {
    ...saved,
    ...fields,
    authors,
    breaking: input.breaking,
    sectionId: section!.id,
    section: { id: section!.id, slug: section!.slug, name: section!.name },
    topics,
    hero: input.hero && {
      id: saved.hero?.id ?? 0,
      src: input.hero.src,
      width: input.hero.width,
      height: input.hero.height,
      srcset: input.hero.srcset ?? '',
      // Renditions come with the saved photo only; a photo not yet saved shows as it is.
      sources: saved.hero?.src === input.hero.src ? saved.hero.sources : [],
      stored: saved.hero?.src === input.hero.src && saved.hero.stored,
      alt: cleanText(input.hero.alt),
      caption: cleanText(input.hero.caption ?? ''),
      credit: cleanText(input.hero.credit ?? ''),
    },
  }
}
