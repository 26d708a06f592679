import { Type, type Static } from '@sinclair/typebox'

/** Shared JSON schemas: they validate requests and generate /api/v1/openapi.json. */

export const ErrorSchema = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    problems: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'Error' },
)

/** The error responses most API routes can give, all with the shared Error body. */
export const ErrorResponses = {
  400: { $ref: 'Error#' },
  401: { $ref: 'Error#' },
  403: { $ref: 'Error#' },
  404: { $ref: 'Error#' },
  409: { $ref: 'Error#' },
}

const Slug = Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 80 })
const Time = Type.String({ format: 'date-time' })
const NullableTime = Type.Union([Time, Type.Null()])

export const HeroSchema = Type.Object(
  {
    src: Type.String({ minLength: 1, maxLength: 2000 }),
    width: Type.Integer({ minimum: 1, maximum: 20000 }),
    height: Type.Integer({ minimum: 1, maximum: 20000 }),
    alt: Type.String({ minLength: 1, maxLength: 500 }),
    caption: Type.Optional(Type.String({ maxLength: 1000 })),
    credit: Type.Optional(Type.String({ maxLength: 200 })),
    srcset: Type.Optional(
      Type.String({ maxLength: 4000, description: 'Smaller renditions: "URL 480w, URL 800w"' }),
    ),
  },
  { additionalProperties: false },
)

const articleFields = {
  slug: Type.Optional(Slug),
  keyPoints: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 6 })),
  bodyHtml: Type.Optional(Type.String({ maxLength: 200000 })),
  topics: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 30 })),
  authorIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 10 })),
  byline: Type.Optional(Type.String({ maxLength: 200 })),
  sourceCredit: Type.Optional(Type.String({ maxLength: 120 })),
  breaking: Type.Optional(
    Type.Boolean({ description: 'Breaking news: shown in the site-wide banner while published.' }),
  ),
  dateline: Type.Optional(Type.String({ maxLength: 100, description: 'The place, e.g. "Kyiv, Ukraine".' })),
  language: Type.Optional(
    Type.String({
      maxLength: 35,
      pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$',
      description: 'BCP 47 language tag, e.g. "en" or "pt-BR".',
    }),
  ),
}

export const CreateArticleSchema = Type.Object(
  {
    headline: Type.String({ minLength: 1, maxLength: 200 }),
    section: Slug,
    hero: Type.Optional(HeroSchema),
    ...articleFields,
  },
  { additionalProperties: false },
)
export type CreateArticleBody = Static<typeof CreateArticleSchema>

export const UpdateArticleSchema = Type.Object(
  {
    version: Type.Integer({
      minimum: 1,
      description: 'The version you edited; a newer current version answers 409.',
    }),
    headline: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    section: Type.Optional(Slug),
    hero: Type.Optional(Type.Union([HeroSchema, Type.Null()])),
    updateKind: Type.Optional(
      Type.Union([Type.Literal('substantive'), Type.Literal('minor')], {
        description: 'substantive moves the public Updated time; minor does not. Default substantive.',
      }),
    ),
    correction: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    ...articleFields,
  },
  { additionalProperties: false },
)
export type UpdateArticleBody = Static<typeof UpdateArticleSchema>

export const VersionBodySchema = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
)
export const ScheduleBodySchema = Type.Object(
  { publishAt: Time, version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
)

export const ArticleSchema = Type.Object(
  {
    id: Type.Integer(),
    slug: Type.String(),
    shortCode: Type.String(),
    url: Type.String(),
    shortUrl: Type.String(),
    headline: Type.String(),
    keyPoints: Type.Array(Type.String()),
    bodyHtml: Type.String(),
    section: Type.Object({ slug: Type.String(), name: Type.String() }),
    topics: Type.Array(Type.Object({ slug: Type.String(), name: Type.String() })),
    authors: Type.Array(Type.Object({ id: Type.Integer(), displayName: Type.String(), slug: Type.String() })),
    byline: Type.String(),
    sourceCredit: Type.String(),
    breaking: Type.Boolean(),
    dateline: Type.String(),
    language: Type.String(),
    hero: Type.Union([
      Type.Object({
        src: Type.String(),
        width: Type.Integer(),
        height: Type.Integer(),
        srcset: Type.String(),
        alt: Type.String(),
        caption: Type.String(),
        credit: Type.String(),
      }),
      Type.Null(),
    ]),
    status: Type.Union([
      Type.Literal('draft'),
      Type.Literal('scheduled'),
      Type.Literal('published'),
      Type.Literal('unpublished'),
    ]),
    firstPublishedAt: NullableTime,
    publicUpdatedAt: NullableTime,
    scheduledAt: NullableTime,
    version: Type.Integer(),
    createdAt: Time,
    modifiedAt: Time,
    corrections: Type.Array(Type.Object({ note: Type.String(), createdAt: Time })),
    embargoUntil: Type.Union([Time, Type.Null()], { description: 'Not to be published before this time.' }),
    submittedAt: Type.Union([Time, Type.Null()], { description: 'When it was submitted for review.' }),
    submittedBy: Type.Union([Type.Integer(), Type.Null()]),
    reviewNote: Type.String({
      description: "The editor's note when the story was sent back; empty when none.",
    }),
    reviewNoteAt: NullableTime,
  },
  { $id: 'Article' },
)

/** A day (UTC) or a moment, for list date ranges: "2026-03-02" or "2026-03-02T09:00:00Z". */
const DayOrTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  maxLength: 40,
  description: 'A day (UTC), "2026-03-02", or a date-time. from is inclusive; a day in to includes that day.',
})

export const ArticleListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union([
        Type.Literal('draft'),
        Type.Literal('scheduled'),
        Type.Literal('published'),
        Type.Literal('unpublished'),
      ]),
    ),
    section: Type.Optional(Slug),
    mine: Type.Optional(Type.Boolean()),
    list: Type.Optional(
      Type.Unsafe<'mine' | 'review' | 'scheduled' | 'published' | 'wire'>({
        type: 'string',
        enum: ['mine', 'review', 'scheduled', 'published', 'wire'],
        description: 'A preset list: my drafts, submitted for review, scheduled, published, the wire queue.',
      }),
    ),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Words in the headline or the text.' }),
    ),
    author: Type.Optional(Type.Integer({ minimum: 1, description: 'The id of a staff author.' })),
    from: Type.Optional(DayOrTime),
    to: Type.Optional(DayOrTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
  },
  { additionalProperties: false },
)

export const ReviewNoteBodySchema = Type.Object(
  {
    note: Type.String({ minLength: 1, maxLength: 1000 }),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)
export const EmbargoBodySchema = Type.Object(
  {
    until: Type.Union([Time, Type.Null()], { description: 'The embargo time, or null to lift it.' }),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
export const RevisionParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  version: Type.Integer({ minimum: 1 }),
})

export const RevisionSchema = Type.Object(
  {
    version: Type.Integer(),
    userId: Type.Union([Type.Integer(), Type.Null()]),
    userName: Type.Union([Type.String(), Type.Null()]),
    createdAt: Time,
    kind: Type.String({
      description:
        'created, substantive, minor, published, unpublished, scheduled, restored, submitted, withdrawn, sent-back, approved or embargo',
    }),
    changedFields: Type.Array(Type.String()),
    restoredFrom: Type.Union([Type.Integer(), Type.Null()], {
      description: 'For a restore: the version whose content it brought back.',
    }),
    snapshot: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'Revision' },
)

export const RestoreBodySchema = Type.Object(
  {
    version: Type.Integer({
      minimum: 1,
      description: 'The current version you are looking at; a newer one answers 409.',
    }),
  },
  { additionalProperties: false },
)

export const SectionSchema = Type.Object(
  { slug: Type.String(), name: Type.String(), position: Type.Integer() },
  { $id: 'Section' },
)
export const CreateSectionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    slug: Type.Optional(Slug),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
)
export const TopicSchema = Type.Object(
  { slug: Type.String(), name: Type.String(), aliases: Type.Array(Type.String()) },
  { $id: 'Topic' },
)
export const CreateTopicSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    slug: Type.Optional(Slug),
    aliases: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
)

export const UpdateTopicSchema = Type.Object(
  {
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 80,
        description: 'A new name moves the slug to its own; the old slug stays as an alias and redirects.',
      }),
    ),
    slug: Type.Optional(Slug),
    aliases: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 80 }), {
        maxItems: 200,
        description: 'Every alias the topic is to have; those left out are removed.',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)
export const MergeTopicsSchema = Type.Object(
  {
    from: Type.String({
      minLength: 1,
      maxLength: 80,
      description: 'The own slug of the topic merged into this one and deleted.',
    }),
  },
  { additionalProperties: false },
)

export const UserSchema = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    displayName: Type.String(),
    slug: Type.String(),
    role: Type.String(),
    disabled: Type.Boolean(),
  },
  { $id: 'User' },
)
export const CreateUserSchema = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    role: Type.Union([Type.Literal('contributor'), Type.Literal('editor'), Type.Literal('admin')]),
    password: Type.String({ minLength: 12, maxLength: 256 }),
  },
  { additionalProperties: false },
)
export const UpdateUserSchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    role: Type.Optional(
      Type.Union([Type.Literal('contributor'), Type.Literal('editor'), Type.Literal('admin')]),
    ),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const LoginSchema = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
