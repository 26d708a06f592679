import { Type } from '@sinclair/typebox'
import type { ArticleView } from '../../../modules/articles/index.js'
import type { HeldComparison, HeldVersionSummary, QuarantineEntry } from '../../../modules/wire/index.js'

/** Schemas and JSON shapes of the wire review API (quarantine and held versions). */
export const QuarantineSchema = Type.Object({
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

export const OutcomeSchema = Type.Object({
  label: Type.String(),
  status: Type.String(),
  articleId: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.String()),
})

export const NoteBody = Type.Union([
  Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
  Type.Null(),
])

export const RerunBody = Type.Union([
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

export const ReviewBody = Type.Union([
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

export const HeldSummarySchema = Type.Object({
  id: Type.Integer(),
  articleId: Type.Integer(),
  guid: Type.String(),
  version: Type.Integer(),
  kind: Type.Union([Type.Literal('version'), Type.Literal('withdrawal')]),
  headline: Type.String(),
  source: Type.Union([Type.String(), Type.Null()]),
  firstCreated: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the agency first filed the story, as it says',
  }),
  versionCreated: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the agency filed this version, as it says',
  }),
  receivedAt: Type.String({ format: 'date-time' }),
  review: Type.Union([Type.Literal('accepted'), Type.Literal('dismissed'), Type.Null()]),
  reviewedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reviewNote: Type.String(),
})

export const TextSchema = Type.Object({
  headline: Type.String(),
  keyPoints: Type.Array(Type.String()),
  bodyHtml: Type.String(),
  byline: Type.String(),
  topics: Type.Array(Type.String()),
})

export const ComparisonSchema = Type.Object({
  held: Type.Intersect([HeldSummarySchema, Type.Object({ text: TextSchema })]),
  current: Type.Intersect([
    TextSchema,
    Type.Object({ id: Type.Integer(), version: Type.Integer(), status: Type.String() }),
  ]),
})

export const HeldListQuery = Type.Object({
  all: Type.Optional(Type.Boolean({ description: 'Include reviewed ones' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})

export function quarantineJson(entry: QuarantineEntry) {
  return {
    ...entry,
    receivedAt: entry.receivedAt.toISOString(),
    resolvedAt: entry.resolvedAt?.toISOString() ?? null,
  }
}

export function heldJson(held: HeldVersionSummary) {
  return {
    id: held.id,
    articleId: held.articleId,
    guid: held.guid,
    version: held.version,
    kind: held.kind,
    headline: held.headline,
    source: held.source,
    firstCreated: held.firstCreated?.toISOString() ?? null,
    versionCreated: held.versionCreated?.toISOString() ?? null,
    receivedAt: held.receivedAt.toISOString(),
    review: held.review,
    reviewedAt: held.reviewedAt?.toISOString() ?? null,
    reviewNote: held.reviewNote,
  }
}

export function textOf(view: ArticleView) {
  return {
    headline: view.headline,
    keyPoints: view.keyPoints,
    bodyHtml: view.bodyHtml,
    byline: view.byline,
    topics: view.topics.map((t) => t.name),
  }
}

export function comparisonJson({ held, current }: HeldComparison) {
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
