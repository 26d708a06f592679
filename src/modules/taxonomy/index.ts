export type { Section, Topic } from './taxonomy.js'
export { RESERVED_SLUGS } from './taxonomy.js'
export {
  findSectionById,
  findSectionBySlug,
  findTopicBySlug,
  listSections,
  listTopics,
  searchTopics,
} from './taxonomy-queries.js'
export {
  createSection,
  createTopic,
  renameSection,
  resolveTopics,
  type TaxonomyDeps,
} from './taxonomy-service.js'
