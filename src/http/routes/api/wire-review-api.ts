import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { ArticleView } from '../../../modules/articles/index.js'
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
  type HeldComparison,
  type HeldVersionSummary,
  type QuarantineEntry,
} from '../../../modules/wire/index.js'
import { AppError } from '../../../platform/app-error.js'
import type { AppDeps } from '../../app-deps.js'
import { requireActor } from '../../plugins/auth.js'
import { ErrorResponses, IdParams } from './schemas.js'

const QuarantineSchema = Type.Object({
  id: Type.Integer(),
  origin: Type.String(),
  source: Type.Union([Type.String(), Type.Null()]),
  size: Type.Integer({ description: 'Bytes of the original document' }),
  reason: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  resolution: Type.Union([
    Type.Literal('rerun'),
    Type.Literal('resolved'),
    Type.Literal('discarded'),
    Type.Null(),
  ]),
  note: Type.String(),
})

const OutcomeSchema = Type.Object({
  label: Type.String(),
  status: Type.String(),
  articleId: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.String()),
})

const NoteBody = Type.Union([
  Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
  Type.Null(),
])

const RerunBody = Type.Union([
  Type.Object(
    {
      replacement: Type.Optional(
        Type.String({
          contentEncoding: 'base64',
          description: 'Corrected document, base64; else the kept bytes',
        }),
      ),
      note: Type.Optional(Type.String({ maxLength: 1000 })),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
])

const ReviewBody = Type.Union([
  Type.Object(
    {
      note: Type.Optional(Type.String({ maxLength: 1000 })),
      articleVersion: Type.Optional(
        Type.Integer({ minimum: 1, description: 'The article version you reviewed' }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
])

const HeldSummarySchema = Type.Object({
  id: Type.Integer(),
  articleId: Type.Integer(),
  guid: Type.String(),
  version: Type.Integer(),
  kind: Type.Union([Type.Literal('version'), Type.Literal('withdrawal')]),
  headline: Type.String(),
  source: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Type.String({ format: 'date-time' }),
  review: Type.Union([Type.Literal('accepted'), Type.Literal('dismissed'), Type.Null()]),
  reviewedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reviewNote: Type.String(),
})

const TextSchema = Type.Object({
  headline: Type.String(),
  keyPoints: Type.Array(Type.String()),
  bodyHtml: Type.String(),
  byline: Type.String(),
  topics: Type.Array(Type.String()),
})

const ComparisonSchema = Type.Object({
  held: Type.Intersect([HeldSummarySchema, Type.Object({ text: TextSchema })]),
  current: Type.Intersect([
    TextSchema,
    Type.Object({ id: Type.Integer(), version: Type.Integer(), status: Type.String() }),
  ]),
})

const HeldListQuery = Type.Object({
  all: Type.Optional(Type.Boolean({ description: 'Include reviewed ones' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})

function quarantineJson(entry: QuarantineEntry) {
  return {
    ...entry,
    receivedAt: entry.receivedAt.toISOString(),
    resolvedAt: entry.resolvedAt?.toISOString() ?? null,
  }
}

function heldJson(held: HeldVersionSummary) {
  return {
    id: held.id,
    articleId: held.articleId,
    guid: held.guid,
    version: held.version,
    kind: held.kind,
    headline: held.headline,
    source: held.source,
    receivedAt: held.receivedAt.toISOString(),
    review: held.review,
    reviewedAt: held.reviewedAt?.toISOString() ?? null,
    reviewNote: held.reviewNote,
  }
}

function textOf(view: ArticleView) {
  return {
    headline: view.headline,
    keyPoints: view.keyPoints,
    bodyHtml: view.bodyHtml,
    byline: view.byline,
    topics: view.topics.map((t) => t.name),
  }
}

function comparisonJson({ held, current }: HeldComparison) {
  const { item } = held
  return {
    held: {
      ...heldJson(held),
      text: {
        headline: item.headline,
        keyPoints: item.keyPoints,
        bodyHtml: item.bodyHtml,
        byline: item.byline,
        topics: item.topics,
      },
    },
    current: { id: current.id, version: current.version, status: current.status, ...textOf(current) },
  }
}

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
