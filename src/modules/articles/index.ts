export type {
  Article,
  ArticleStatus,
  ArticleSummary,
  ArticleView,
  ArticleWriter,
  HeroImage,
  SystemActor,
  UpdateKind,
} from './article.js'
export { canonicalPath, isPublic, isSystemActor } from './article.js'
export {
  findArticleById,
  findArticlePlace,
  findArticlePlaces,
  findArticleTargets,
  findArticleByOldSlug,
  findArticleByShortCode,
  findArticleBySlug,
  findArticleViewBySlug,
  findRevision,
  listArticles,
  listPublished,
  publishedListQuery,
  countPublishedBetween,
  listPublishedBetween,
  publishedSpan,
  type PublishedEntry,
  listRevisions,
  toArticleView,
  type PublishedFilter,
  type RevisionRecord,
} from './article-queries.js'
export {
  checkNewArticle,
  createArticle,
  createArticles,
  createCheckedArticles,
  newArticleProblems,
  type CheckedNewArticle,
  type CreateOptions,
} from './create-articles.js'
export {
  publishArticle,
  publishView,
  publishDueArticles,
  scheduleArticle,
  SNAPSHOT_FIELDS,
  unknownReferences,
  unpublishArticle,
  updateArticle,
  type ArticleDeps,
  type CreateArticleInput,
  type HeroInput,
  type UpdateArticleInput,
} from './article-service.js'
export { assertCanView, isLanguageTag, utcMinute } from './article-rules.js'
export { restoreRevision } from './restore-revision.js'
export {
  checkTextEdit,
  findArticleViews,
  saveTextEdits,
  type CheckedTextEdit,
  type TextEditInput,
} from './text-edits.js'
export { previewArticleView, type PreviewInput } from './article-preview.js'
export {
  approveArticle,
  MAX_REVIEW_NOTE_LENGTH,
  sendBackArticle,
  setEmbargo,
  submitForReview,
  withdrawFromReview,
} from './article-review.js'
export {
  countDeskLists,
  DESK_LISTS,
  deskListQuery,
  listDeskArticles,
  listPublishedStories,
  toArticleViews,
  type DeskFilter,
  type DeskList,
} from './desk-lists.js'
export { listStoryIdsWithTopic, moveStoriesToTopic } from './move-stories-to-topic.js'
