import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

/**
 * The baseline: the least a Node.js process can do to answer with the cached article
 * page's exact bytes. Plain node:http, one buffer read before listening, no routing,
 * no framework, no security headers. Forked by page-bench.ts with the body file and
 * content type as arguments; it reports its port over IPC and serves until killed.
 */
const [bodyFile, contentType] = process.argv.slice(2)
if (!bodyFile || !contentType) throw new Error('usage: static-server.js <body file> <content type>')
const body = readFileSync(bodyFile)
const headers = { 'content-type': contentType, 'content-length': String(body.length) }

const server = createServer((_request, response) => {
  response.writeHead(200, headers)
  response.end(body)
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 })
})
// The parent asks for CPU time around the measured window, to compare cost per request.
process.on('message', (message: string) => {
  if (message !== 'cpu') return
  const usage = process.cpuUsage()
  process.send?.({ cpuMicros: usage.user + usage.system })
})
process.on('disconnect', () => server.close(() => process.exit(0)))
