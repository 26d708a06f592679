import type { FastifyInstance } from 'fastify'
import { contentTypeOfKey, MEDIA_KEY, type BlobStore } from '../../../modules/media/index.js'
import { AppError } from '../../../platform/app-error.js'

/**
 * Serves /media/KEY from the media store, local or S3. Keys are content-addressed, so
 * a URL never changes meaning: browsers and CDNs may keep each file for a year without
 * asking again, and the key itself is the ETag.
 */
export function registerMediaFiles(app: FastifyInstance, store: BlobStore): void {
  app.get<{ Params: { '*': string } }>('/media/*', async (request, reply) => {
    const key = request.params['*']
    const type = contentTypeOfKey(key)
    if (!MEDIA_KEY.test(key) || key.includes('..') || !type)
      throw new AppError('NOT_FOUND', 'There is no file at this address.')
    const etag = `"${key.replace(/[^a-z0-9]/g, '')}"`
    const headers = {
      'cache-control': 'public, max-age=31536000, immutable',
      etag,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
    }
    if (request.headers['if-none-match'] === etag) return reply.code(304).headers(headers).send()
    const body = await store.get(key)
    if (!body) throw new AppError('NOT_FOUND', 'There is no file at this address.')
    return reply
      .headers(headers)
      .type(type)
      .send(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
  })
}
