import { moveStoriesToTopic } from '../modules/articles/index.js'
import { moveTopicFollows } from '../modules/readers/index.js'
import type { TopicLinks } from '../modules/taxonomy/index.js'
import { keepWireFingerprints } from '../modules/wire/index.js'

/** What links to topics, for the taxonomy's edits and merges: stories, follows, the wire's fingerprints. */
export const topicLinks: TopicLinks = {
  async moveLinks(trx, fromId, intoId) {
    await moveStoriesToTopic(trx, fromId, intoId)
    await moveTopicFollows(trx, fromId, intoId)
  },
  retagStories: (trx, topicId, change) => keepWireFingerprints(trx, topicId, change),
}
