import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { DEFAULT_WIRE_LIMITS, findSourceByToken, ingestDocument } from '../../../modules/wire/index.js'
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
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: DEFAULT_WIRE_LIMITS.maxBytes },
      (_request, body, done) => done(null, body),
    )
    scope.post(
      '/ingest',
      {
        schema: {
          tags: ['wire'],
          summary: 'Push one agency document (source push token as Bearer)',
          response: {
            200: Type.Object({ items: Type.Array(OutcomeSchema) }),
            422: Type.Object({ items: Type.Array(OutcomeSchema) }),
            401: { $ref: 'Error#' },
            400: { $ref: 'Error#' },
          },
        },
      },
      async (request, reply) => {
        const header = request.headers.authorization
        const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : ''
        const source = token === '' ? undefined : await findSourceByToken(deps.wire, token)
        if (!source) throw new AppError('UNAUTHENTICATED', 'Send the source push token as a Bearer token')
        const body = request.body
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new AppError('INVALID_INPUT', 'body: send the document as the request body')
        }
        const outcomes = await ingestDocument(deps.wire, { bytes: body, origin: 'push', source })
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
        return reply.code(outcomes.some((o) => o.status === 'rejected') ? 422 : 200).send({ items })
      },
    )
  })
}
