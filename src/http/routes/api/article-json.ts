import { canonicalPath, type ArticleView } from '../../../modules/articles/index.js'
import type { SiteConfig } from '../../../config/schema.js'

/** The API's shape of an article: domain fields plus the public URLs. */
export function toArticleJson(view: ArticleView, site: SiteConfig) {
  return {
    id: view.id,
    slug: view.slug,
    shortCode: view.shortCode,
    url: `${site.publicUrl}${canonicalPath(view, view.section.slug)}`,
    shortUrl: `${site.shortUrlBase}/s/${view.shortCode}`,
    headline: view.headline,
    keyPoints: view.keyPoints,
    bodyHtml: view.bodyHtml,
    section: { slug: view.section.slug, name: view.section.name },
    topics: view.topics.map((t) => ({ slug: t.slug, name: t.name })),
    authors: view.authors,
    byline: view.byline,
    sourceCredit: view.sourceCredit,
    hero: view.hero && {
      src: view.hero.src,
      width: view.hero.width,
      height: view.hero.height,
      srcset: view.hero.srcset,
      alt: view.hero.alt,
      caption: view.hero.caption,
      credit: view.hero.credit,
    },
    breaking: view.breaking,
    dateline: view.dateline,
    language: view.language,
    status: view.status,
    firstPublishedAt: view.firstPublishedAt?.toISOString() ?? null,
    publicUpdatedAt: view.publicUpdatedAt?.toISOString() ?? null,
    scheduledAt: view.scheduledAt?.toISOString() ?? null,
    version: view.version,
    createdAt: view.createdAt.toISOString(),
    modifiedAt: view.modifiedAt.toISOString(),
    corrections: view.corrections.map((c) => ({ note: c.note, createdAt: c.createdAt.toISOString() })),
    embargoUntil: view.embargoUntil?.toISOString() ?? null,
    submittedAt: view.submittedAt?.toISOString() ?? null,
    submittedBy: view.submittedBy,
    reviewNote: view.reviewNote,
    reviewNoteAt: view.reviewNoteAt?.toISOString() ?? null,
  }
}
