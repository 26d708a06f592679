import type { Db } from '../../platform/database.js'

/**
 * What other modules keep about topics: stories are filed under them (articles), readers
 * follow them (readers), the wire fingerprints the topics of the stories it filed (wire).
 * Those modules import taxonomy, not the reverse, so main/ passes this in. Both methods
 * run inside the caller's transaction and must not commit anything of their own.
 */
export interface TopicLinks {
  /** Moves every story and follow of topic `fromId` to topic `intoId`, leaving none on `fromId`. */
  moveLinks(trx: Db, fromId: number, intoId: number): Promise<void>
  /**
   * Runs `change`, which alters how the stories filed under topic `topicId` show it (its slug
   * moves, it is merged away), and keeps what was derived from those stories' topics in step.
   */
  retagStories<T>(trx: Db, topicId: number, change: () => Promise<T>): Promise<T>
}
