export type { Article, ArticleStatus, ArticleSummary, ArticleView, HeroImage, UpdateKind } from './article.js'
export { canonicalPath, isPublic, MAX_KEY_POINTS } from './article.js'
export {
  findArticleById,
  findArticleByOldSlug,
  findArticleByShortCode,
  findArticleBySlug,
  listArticles,
  listPublished,
  listRevisions,
  toArticleView,
  type PublishedFilter,
} from './article-queries.js'
export {
  createArticle,
  publishArticle,
  publishDueArticles,
  scheduleArticle,
  unpublishArticle,
  updateArticle,
  type ArticleDeps,
  type CreateArticleInput,
  type UpdateArticleInput,
} from './article-service.js'
export { sanitizeBody } from './sanitize-body.js'
