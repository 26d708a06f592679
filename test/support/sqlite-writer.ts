/**
 * Worker-thread entry for tests that need a second SQLite writer running truly in
 * parallel (another process, as far as SQLite can tell): it opens its own connection
 * and saves one story repeatedly, reporting what happened.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createDb } from '../../src/adapters/db/create-db.js'
import { createContext } from '../../src/main/context.js'
import { updateArticle } from '../../src/modules/articles/index.js'
import { fixedClock } from '../../src/platform/clock.js'
import { TEST_START, testConfig } from './builders.js'

export interface WriterTask {
  file: string
  actor: { userId: number; role: 'editor'; via: 'cli' }
  articleId: number
  version: number
  saves: number
}

export interface WriterReport {
  saved: number
  errors: string[]
}

const task = workerData as WriterTask
const handle = createDb({ dialect: 'sqlite', file: task.file })
const ctx = await createContext(testConfig({ db: { dialect: 'sqlite', file: task.file } }), {
  handle,
  clock: fixedClock(TEST_START),
  migrate: false,
})
parentPort?.postMessage('ready')
const report: WriterReport = { saved: 0, errors: [] }
let version = task.version
for (let i = 0; i < task.saves; i++) {
  try {
    version = (
      await updateArticle(ctx.articles, task.actor, task.articleId, { version, byline: `Worker save ${i}` })
    ).version
    report.saved += 1
  } catch (error) {
    report.errors.push(String(error))
  }
}
await ctx.close()
await handle.destroy()
parentPort?.postMessage(report)
