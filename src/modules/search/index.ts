export {
  SEARCH_CONSUMER,
  searchIndexPosition,
  searchStoryIds,
  searchWords,
  updateSearchIndex,
  type SearchDeps,
} from './search-index.js'
