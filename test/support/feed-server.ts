import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the server answers on one path; a function may answer anything. */
export type FeedRoute =
  | { body: Uint8Array | string; etag?: string; lastModified?: string; contentType?: string }
  | { status: number; body?: string; location?: string }
  | ((res: ServerResponse, headers: IncomingHttpHeaders) => void)

export interface FeedServer {
  /** http://127.0.0.1:PORT */
  origin: string
  /** Paths and what they answer; change them between requests. */
  routes: Map<string, FeedRoute>
  /** Every request seen: path and headers. */
  requests: { path: string; headers: IncomingHttpHeaders }[]
  close(): Promise<void>
}

/**
 * A real HTTP server on 127.0.0.1 that serves feeds the way publishers do: ETag and
 * Last-Modified, 304 to a matching If-None-Match or If-Modified-Since.
 */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, FeedRoute>()
  const requests: FeedServer['requests'] = []
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    requests.push({ path, headers: req.headers })
    const route = routes.get(path.split('?')[0] ?? path)
    if (!route) {
      res.writeHead(404).end('not here')
      return
    }
    if (typeof route === 'function') return route(res, req.headers)
    if ('status' in route) {
      res.writeHead(route.status, route.location ? { location: route.location } : {}).end(route.body ?? '')
      return
    }
    const fresh =
      (route.etag !== undefined && req.headers['if-none-match'] === route.etag) ||
      (route.etag === undefined &&
        route.lastModified !== undefined &&
        req.headers['if-modified-since'] === route.lastModified)
    const headers: Record<string, string> = { 'content-type': route.contentType ?? 'application/rss+xml' }
    if (route.etag) headers['etag'] = route.etag
    if (route.lastModified) headers['last-modified'] = route.lastModified
    if (fresh) {
      res.writeHead(304, headers).end()
      return
    }
    res.writeHead(200, headers).end(route.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    routes,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
