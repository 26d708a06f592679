import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config/load-config.js'
import { startServer } from '../src/main/server.js'

/**
 * A second Dateline node for the live bench, in its own process like a real node: it
 * serves the database named by DATABASE_URL, reports its address, and stops on request.
 */
const [databaseUrl, port] = process.argv.slice(2)
const dataDir = mkdtempSync(path.join(tmpdir(), 'dateline-bench-node-'))
const config = loadConfig(
  { PORT: port, DATELINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
  process.cwd(),
)
const server = await startServer(config, { logger: false })
process.send?.({ url: server.url })
process.on('message', () => {
  void server.close().finally(() => {
    rmSync(dataDir, { recursive: true, force: true })
    process.exit(0)
  })
})
