import { findArticleById, listRevisions, toArticleView } from '../../src/modules/articles/index.js'
import type { EventOutbox, NewContentEvent } from '../../src/modules/events/index.js'
import {
  ingestStream,
  type IngestInput,
  type IngestOutcome,
  type WireDeps,
} from '../../src/modules/wire/index.js'
import type { TestContext } from './builders.js'

/** Stores documents as one batch (the way `dateline ingest` does), returning each document's outcomes. */
export async function ingestBatch(deps: WireDeps, inputs: IngestInput[]): Promise<IngestOutcome[][]> {
  const results: IngestOutcome[][] = []
  async function* documents() {
    yield* inputs
  }
  await ingestStream(deps, documents(), (_, outcomes) => results.push(outcomes), { batchMs: 60_000 })
  return results
}

/** An outbox that counts the events each appendMany call carries, so a test sees the bulk step ran. */
export function countingOutbox(
  inner: EventOutbox,
  calls: number[],
  fail?: (events: readonly NewContentEvent[]) => boolean,
) {
  const outbox: EventOutbox = {
    append: (trx, event) => outbox.appendMany(trx, [event]),
    async appendMany(trx, events) {
      calls.push(events.length)
      if (fail?.(events)) throw new Error('simulated failure of the bulk step')
      await inner.appendMany(trx, events)
    },
  }
  return outbox
}

/** Everything a story is made of, without ids, short codes and topic ids. */
export async function storyOf(ctx: TestContext, outcome: IngestOutcome) {
  const db = ctx.handle.db
  const id = outcome.article!.id
  const view = await toArticleView(db, (await findArticleById(db, id))!)
  const events = await db
    .selectFrom('event')
    .select(['type', 'payload'])
    .where('article_id', '=', id)
    .orderBy('id')
    .execute()
  const wire = await db
    .selectFrom('wire_item')
    .select([
      'guid',
      'version',
      'status',
      'content_hash',
      'article_hash',
      'hero_hash',
      'picture_status',
      'headline',
    ])
    .where('article_id', '=', id)
    .orderBy('version')
    .execute()
  const revisions = (await listRevisions(db, id)).map(({ createdAt, ...r }) => ({
    ...r,
    at: createdAt.toISOString(),
  }))
  const { id: _id, shortCode: _code, ...article } = view
  return {
    outcome: { ...outcome, article: { ...outcome.article, id: 0 } },
    article: { ...article, topics: view.topics.map((t) => [t.slug, t.name]) },
    events: events.map((e) => [e.type, JSON.parse(e.payload) as unknown]),
    wire,
    revisions,
  }
}
