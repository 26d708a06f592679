export type { Section, Topic } from './taxonomy.js'
export { RESERVED_SLUGS } from './taxonomy.js'
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
