import { Type } from '@sinclair/typebox'
import type { Readable } from 'node:stream'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  DEFAULT_WIRE_LIMITS,
  findSourceByToken,
  ingestDocument,
  OVERSIZE_PREFIX_BYTES,
  type WireSource,
} from '../../../modules/wire/index.js'
import { AppError } from '../../../platform/app-error.js'
import type { AppDeps } from '../../app-deps.js'

const OutcomeSchema = Type.Object({
  label: Type.String(),
  status: Type.String(),
  article: Type.Optional(Type.Object({ id: Type.Integer(), status: Type.String(), url: Type.String() })),
  reason: Type.Optional(Type.String()),
  picture: Type.Optional(Type.Object({ status: Type.String(), detail: Type.String() })),
})

/**
 * Agencies push documents here (ninjs, NewsML-G2, RSS, Atom), authenticated by their
 * source's push token. The body is taken as raw bytes whatever its content type: the
 * wire module detects the format, and a refused document is kept in quarantine.
 */
export async function registerIngestApi(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const limit = deps.wire.limits?.maxBytes ?? DEFAULT_WIRE_LIMITS.maxBytes
  await app.register(async (scope) => {
    // The token is checked before the body is read: no one else gets to send ten megabytes.
    scope.addHook('onRequest', async (request) => {
      const header = request.headers.authorization
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : ''
      const source = token === '' ? undefined : await findSourceByToken(deps.wire, token)
      if (!source) throw new AppError('UNAUTHENTICATED', 'Send the source push token as a Bearer token')
      pushSources.set(request, source)
    })
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { bodyLimit: Number.MAX_SAFE_INTEGER }, (request, payload, done) => {
      readPush(payload, limit, request.headers['content-length']).then(
        (body) => done(null, body),
        (error: Error) => done(error, undefined),
      )
    })
    scope.post(
      '/ingest',
      {
        schema: {
          tags: ['wire'],
          summary: 'Push one agency document (source push token as Bearer)',
          response: {
            200: Type.Object({ items: Type.Array(OutcomeSchema) }),
            413: Type.Object({ items: Type.Array(OutcomeSchema) }),
            422: Type.Object({ items: Type.Array(OutcomeSchema) }),
            401: { $ref: 'Error#' },
            400: { $ref: 'Error#' },
          },
        },
      },
      async (request, reply) => {
        const source = pushSources.get(request)!
        const body = request.body as PushBody | undefined
        if (!body || body.bytes.length === 0) {
          throw new AppError('INVALID_INPUT', 'body: send the document as the request body')
        }
        // A document over the limit was read no further than its first part, which the
        // quarantine keeps with the reason; the rest of the request is left unread.
        if (body.originalSize !== undefined) reply.header('connection', 'close')
        const outcomes = await ingestDocument(deps.wire, {
          bytes: body.bytes,
          originalSize: body.originalSize,
          origin: 'push',
          source,
        })
        const items = outcomes.map((o) => ({
          label: o.label,
          status: o.status,
          ...(o.article && {
            article: {
              id: o.article.id,
              status: o.article.status,
              url: `${deps.config.site.publicUrl}${o.article.path}`,
            },
          }),
          ...(o.reason !== undefined && { reason: o.reason }),
          ...(o.picture && { picture: o.picture }),
        }))
        // Refused items are already in quarantine; 422 tells the agency to look, not to resend.
        const status =
          body.originalSize !== undefined ? 413 : outcomes.some((o) => o.status === 'rejected') ? 422 : 200
        return reply.code(status).send({ items })
      },
    )
  })
}

const pushSources = new WeakMap<FastifyRequest, WireSource>()

/** A pushed document: all of it, or, over the limit, its first part and its whole size. */
interface PushBody {
  bytes: Buffer
  originalSize?: number | undefined
}

/**
 * Reads a pushed document up to the limit. One over it is read only as far as the limit
 * (plus one byte, to know): its size is the request's Content-Length when that says more,
 * else "more than the limit" as far as was read.
 */
function readPush(payload: Readable, limit: number, contentLength: string | undefined): Promise<PushBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let read = 0
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      read += chunk.length
      if (read <= limit) return
      // Not destroyed: that would close the connection before the answer goes out.
      payload.off('data', onData).off('end', onEnd).off('error', reject).pause()
      const declared = Number(contentLength)
      resolve({
        bytes: Buffer.from(Buffer.concat(chunks).subarray(0, OVERSIZE_PREFIX_BYTES)),
        originalSize: Number.isSafeInteger(declared) && declared > read ? declared : read,
      })
    }
    const onEnd = () => resolve({ bytes: Buffer.concat(chunks) })
    payload.on('data', onData).on('end', onEnd).on('error', reject)
  })
}
