import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

/**
 * The baseline: the least a Node.js process can do to answer with the cached article
 * page's exact bytes. Plain node:http, one buffer read before listening, no routing,
 * no framework, no security headers. Forked by page-bench.ts before its server starts; its
 * first message names the body file and content type, and it then reports its port over
 * IPC and serves until killed. The parent also asks it for its CPU time around the measured
 * window, to compare cost per request.
 */
process.once('message', (what: { bodyFile: string; contentType: string }) => {
  const body = readFileSync(what.bodyFile)
  const headers = { 'content-type': what.contentType, 'content-length': String(body.length) }
  const server = createServer((_request, response) => {
    response.writeHead(200, headers)
    response.end(body)
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 })
  })
  process.on('message', (message: unknown) => {
    if (message !== 'cpu') return
    const usage = process.cpuUsage()
    process.send?.({ cpuMicros: usage.user + usage.system })
  })
})
// The parent is gone (or done): so is the baseline, whether or not it was ever asked to serve.
process.on('disconnect', () => process.exit(0))
