export type { Section, Topic } from './taxonomy.js'
export { RESERVED_SLUGS } from './taxonomy.js'
export type { TopicLinks } from './ports.js'
export {
  findSectionById,
  findSectionBySlug,
  findSectionsBySlug,
  findTopicBySlug,
  listSections,
  listTopics,
  searchTopics,
} from './taxonomy-queries.js'
export {
  createSection,
  createTopic,
  renameSection,
  resolveTopicLists,
  resolveTopics,
  type TaxonomyDeps,
} from './taxonomy-service.js'
export {
  mergeTopics,
  updateTopic,
  type MergeTopicsInput,
  type TopicEditDeps,
  type UpdateTopicInput,
} from './topic-edits.js'
