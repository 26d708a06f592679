import assert from 'node:assert/strict'
import { once } from 'node:events'
import { after, before, describe, it } from 'node:test'
import { Worker } from 'node:worker_threads'
import { findArticleById, listRevisions, updateArticle } from '../../../src/modules/articles/index.js'
import type { Actor } from '../../../src/modules/auth/index.js'
import { anArticle, anEditor, createTestContext, type TestContext } from '../../support/builders.js'
import type { WriterReport, WriterTask } from '../../support/sqlite-writer.js'

const SAVES = 20

/**
 * SQLite only: PostgreSQL connections are separate server processes already, and the
 * article suites run many concurrent saves there.
 */
describe('two processes writing to one SQLite file', () => {
  let ctx: TestContext
  let editor: Actor

  before(async () => {
    ctx = await createTestContext('sqlite')
    editor = await anEditor(ctx)
  })
  after(() => ctx.destroy())

  it('saves every edit from both writers, waiting for the other instead of failing as locked', async () => {
    const mine = await anArticle(ctx, editor)
    const theirs = await anArticle(ctx, editor)
    const file = ctx.database.config.dialect === 'sqlite' ? ctx.database.config.file : ''
    const task: WriterTask = {
      file,
      actor: { userId: editor.userId, role: 'editor', via: 'cli' },
      articleId: theirs.id,
      version: theirs.version,
      saves: SAVES,
    }
    const worker = new Worker(new URL('../../support/sqlite-writer.js', import.meta.url), {
      workerData: task,
    })
    await once(worker, 'message')
    const reported = once(worker, 'message') as Promise<[WriterReport]>

    const errors: string[] = []
    let version = mine.version
    for (let i = 0; i < SAVES; i++) {
      try {
        version = (await updateArticle(ctx.articles, editor, mine.id, { version, byline: `Main save ${i}` }))
          .version
      } catch (error) {
        errors.push(String(error))
      }
    }
    const [report] = await reported

    assert.deepEqual({ main: errors, worker: report.errors }, { main: [], worker: [] })
    assert.equal(report.saved, SAVES)
    assert.equal((await findArticleById(ctx.handle.db, mine.id))?.version, mine.version + SAVES)
    assert.equal((await findArticleById(ctx.handle.db, theirs.id))?.version, theirs.version + SAVES)
    assert.equal((await listRevisions(ctx.handle.db, theirs.id)).length, SAVES + 1)
  })
})
