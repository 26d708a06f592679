import type { Db } from '../../platform/database.js'

/**
 * Files every story of topic `fromId` under topic `intoId` instead (a topic merge). A story
 * already under both keeps one link, at the earlier of its two places in the story's topics,
 * so a story led by the merged topic is still led by the topic it became. Stories keep their
 * version and revisions: their words did not change, only what their topic is called.
 */
export async function moveStoriesToTopic(db: Db, fromId: number, intoId: number): Promise<void> {
  await db
    .updateTable('article_topic')
    .set((eb) => ({
      position: eb
        .selectFrom('article_topic as f')
        .select('f.position')
        .whereRef('f.article_id', '=', 'article_topic.article_id')
        .where('f.topic_id', '=', fromId),
    }))
    .where('topic_id', '=', intoId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_topic as f')
          .select('f.article_id')
          .whereRef('f.article_id', '=', 'article_topic.article_id')
          .where('f.topic_id', '=', fromId)
          .whereRef('f.position', '<', 'article_topic.position'),
      ),
    )
    .execute()
  await db
    .deleteFrom('article_topic')
    .where('topic_id', '=', fromId)
    .where('article_id', 'in', (eb) =>
      eb.selectFrom('article_topic as i').select('i.article_id').where('i.topic_id', '=', intoId),
    )
    .execute()
  await db.updateTable('article_topic').set({ topic_id: intoId }).where('topic_id', '=', fromId).execute()
}

/** The ids of every story filed under a topic, drafts included. */
export async function listStoryIdsWithTopic(db: Db, topicId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('article_topic')
    .select('article_id')
    .where('topic_id', '=', topicId)
    .execute()
  return rows.map((row) => row.article_id)
}
