import { loadConfig } from '../config/load-config.js'
import { startServer } from './server.js'

/**
 * One HTTP worker forked by the supervisor (supervisor.ts): the reader site and the API
 * on the shared port, without the background work and without migrating, both of which
 * the supervisor has done. SIGTERM closes it gracefully.
 */
const server = await startServer(loadConfig(process.env), { background: false, migrate: false })
process.once('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
})
