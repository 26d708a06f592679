import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where `npm run build:newsroom` writes the app: dist/newsroom, beside the compiled server. */
export const NEWSROOM_DIR = fileURLToPath(new URL('../../../newsroom/', import.meta.url))

// Vite names every asset after its content hash, so an asset URL never changes meaning.
const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * The newsroom single-page app at /newsroom/: hashed assets cached for a year, index.html
 * revalidated on every load so a deploy reaches open tabs on their next navigation, and
 * any other /newsroom/… address answered with index.html for the app's own router.
 */
export async function registerNewsroomApp(app: FastifyInstance, root = NEWSROOM_DIR): Promise<void> {
  app.get('/newsroom', (_request, reply) => reply.redirect('/newsroom/', 301))
  if (!existsSync(path.join(root, 'index.html'))) {
    app.get('/newsroom/*', (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send('The newsroom app is not built: run npm run build:newsroom'),
    )
    return
  }
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root,
      prefix: '/newsroom/',
      // One route per built file, so unknown addresses fall through to the app below.
      wildcard: false,
      index: false,
      dotfiles: 'deny',
      cacheControl: false,
      setHeaders: (reply, filePath) => {
        const isAsset = path.relative(root, filePath).startsWith(`assets${path.sep}`)
        reply.header('cache-control', isAsset ? IMMUTABLE : 'no-cache')
      },
    })
    const sendApp = (reply: FastifyReply) => reply.sendFile('index.html')
    scope.get('/newsroom/', (_request, reply) => sendApp(reply))
    scope.get<{ Params: { '*': string } }>('/newsroom/*', (request, reply) =>
      // A missing asset is a 404, not the app: a stale tab must not run HTML as a script.
      request.params['*'].startsWith('assets/') ? reply.callNotFound() : sendApp(reply),
    )
  })
}
