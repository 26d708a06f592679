import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import {
  acceptHeldVersion,
  closeQuarantined,
  DEFAULT_WIRE_LIMITS,
  dismissHeldVersion,
  findQuarantinedBytes,
  getHeldVersion,
  getQuarantineEntry,
  listHeldVersions,
  listQuarantine,
  rerunQuarantined,
} from '../../../modules/wire/index.js'
import { AppError } from '../../../platform/app-error.js'
import type { AppDeps } from '../../app-deps.js'
import { requireActor } from '../../plugins/auth.js'
import { ErrorResponses, IdParams } from './schemas.js'
import {
  QuarantineSchema,
  OutcomeSchema,
  NoteBody,
  RerunBody,
  ReviewBody,
  HeldSummarySchema,
  ComparisonSchema,
  HeldListQuery,
  quarantineJson,
  heldJson,
  comparisonJson,
} from './wire-review-json.js'

/**
 * What wire ingest set aside, for editors and admins: the quarantine (list, download the
 * original bytes, re-run, resolve, discard) and held agency versions (compare, accept,
 * dismiss). Every change records who made it.
 */
export function registerWireReviewApi(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: { all?: boolean; limit?: number } }>(
    '/wire/quarantine',
    {
      schema: {
        tags: ['wire'],
        summary: 'Refused wire documents, newest first (open ones unless all=true)',
        querystring: HeldListQuery,
        response: { 200: Type.Object({ items: Type.Array(QuarantineSchema) }), ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'article:publish')
      const entries = await listQuarantine(deps.db, {
        includeResolved: request.query.all === true,
        limit: request.query.limit ?? 100,
      })
      return { items: entries.map(quarantineJson) }
    },
  )

  app.get<{ Params: { id: number } }>(
    '/wire/quarantine/:id',
    {
      schema: {
        tags: ['wire'],
        summary: 'One quarantine entry',
        params: IdParams,
        response: { 200: QuarantineSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'article:publish')
      return quarantineJson(await getQuarantineEntry(deps.wire, request.params.id))
    },
  )

  app.get<{ Params: { id: number } }>(
    '/wire/quarantine/:id/original',
    {
      schema: {
        tags: ['wire'],
        summary: 'Download the bytes kept of a quarantined document (empty once discarded)',
        params: IdParams,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...ErrorResponses },
      },
    },
    async (request, reply) => {
      requireActor(request, 'article:publish')
      const bytes = await findQuarantinedBytes(deps.db, request.params.id)
      if (!bytes) throw new AppError('NOT_FOUND', `No quarantine entry ${request.params.id}`)
      // Served as an attachment of opaque bytes: hostile documents must never render here.
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="quarantine-${request.params.id}.bin"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(bytes))
    },
  )

  app.post<{ Params: { id: number }; Body: { replacement?: string; note?: string } | null }>(
    '/wire/quarantine/:id/rerun',
    {
      bodyLimit: Math.ceil((DEFAULT_WIRE_LIMITS.maxBytes * 4) / 3) + 4096,
      schema: {
        tags: ['wire'],
        summary:
          'Ingest a quarantined document again (or corrected bytes); resolves it if every item is taken',
        params: IdParams,
        body: RerunBody,
        response: {
          200: Type.Object({ entry: QuarantineSchema, items: Type.Array(OutcomeSchema) }),
          ...ErrorResponses,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'article:publish')
      const replacement = request.body?.replacement
      const result = await rerunQuarantined(deps.wire, actor, request.params.id, {
        replacement: replacement === undefined ? undefined : decodeBase64(replacement),
        note: request.body?.note,
      })
      return {
        entry: quarantineJson(result.entry),
        items: result.outcomes.map((o) => ({
          label: o.label,
          status: o.status,
          ...(o.article && { articleId: o.article.id }),
          ...(o.reason !== undefined && { reason: o.reason }),
        })),
      }
    },
  )

  for (const resolution of ['resolve', 'discard'] as const) {
    app.post<{ Params: { id: number }; Body: { note?: string } | null }>(
      `/wire/quarantine/:id/${resolution}`,
      {
        schema: {
          tags: ['wire'],
          summary:
            resolution === 'resolve'
              ? 'Close a quarantine entry handled another way (the bytes stay)'
              : 'Discard a quarantine entry: its bytes are deleted, the record stays',
          params: IdParams,
          body: NoteBody,
          response: { 200: QuarantineSchema, ...ErrorResponses },
        },
      },
      async (request) => {
        const actor = requireActor(request, 'article:publish')
        const entry = await closeQuarantined(deps.wire, actor, request.params.id, {
          resolution: resolution === 'resolve' ? 'resolved' : 'discarded',
          note: request.body?.note,
        })
        return quarantineJson(entry)
      },
    )
  }

  app.get<{ Querystring: { all?: boolean; limit?: number } }>(
    '/wire/held',
    {
      schema: {
        tags: ['wire'],
        summary: 'Agency versions held because an editor changed the story, oldest first',
        querystring: HeldListQuery,
        response: { 200: Type.Object({ items: Type.Array(HeldSummarySchema) }), ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'article:publish')
      const held = await listHeldVersions(deps.db, {
        includeReviewed: request.query.all === true,
        limit: request.query.limit ?? 100,
      })
      return { items: held.map(heldJson) }
    },
  )

  app.get<{ Params: { id: number } }>(
    '/articles/:id/held-versions',
    {
      schema: {
        tags: ['wire'],
        summary: "A story's held agency versions, reviewed ones included",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(HeldSummarySchema) }), ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'article:publish')
      const held = await listHeldVersions(deps.db, {
        articleId: request.params.id,
        includeReviewed: true,
        limit: 500,
      })
      return { items: held.map(heldJson) }
    },
  )

  app.get<{ Params: { id: number } }>(
    '/wire/held/:id',
    {
      schema: {
        tags: ['wire'],
        summary: 'A held version beside the story as it is now',
        params: IdParams,
        response: { 200: ComparisonSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'article:publish')
      return comparisonJson(await getHeldVersion(deps.wire, request.params.id))
    },
  )

  for (const decision of ['accept', 'dismiss'] as const) {
    app.post<{ Params: { id: number }; Body: { note?: string; articleVersion?: number } | null }>(
      `/wire/held/:id/${decision}`,
      {
        schema: {
          tags: ['wire'],
          summary:
            decision === 'accept'
              ? 'Apply a held version as a new revision (a held kill takes the story down)'
              : "Keep the editor's text; the held version stays on record as dismissed",
          params: IdParams,
          body: ReviewBody,
          response: { 200: ComparisonSchema, ...ErrorResponses },
        },
      },
      async (request) => {
        const actor = requireActor(request, 'article:publish')
        const review = decision === 'accept' ? acceptHeldVersion : dismissHeldVersion
        const result = await review(deps.wire, actor, request.params.id, {
          note: request.body?.note,
          articleVersion: request.body?.articleVersion,
        })
        return comparisonJson(result)
      },
    )
  }
}

function decodeBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s/g, '')))
    throw new AppError('INVALID_INPUT', 'replacement: must be base64')
  const bytes = Buffer.from(text, 'base64')
  if (bytes.length === 0) throw new AppError('INVALID_INPUT', 'replacement: is empty')
  return bytes
}
