import { Type } from '@sinclair/typebox'
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import {
  assertCanView,
  createArticle,
  findRevision,
  restoreRevision,
  type RevisionRecord,
  findArticleById,
  listDeskArticles,
  listRevisions,
  toArticleViews,
  publishArticle,
  scheduleArticle,
  toArticleView,
  unknownReferences,
  unpublishArticle,
  updateArticle,
} from '../../../modules/articles/index.js'
import { can } from '../../../modules/auth/index.js'
import { AppError, assertNoProblems } from '../../../platform/app-error.js'
import { validationProblems } from '../../error-handler.js'
import type { AppDeps } from '../../app-deps.js'
import { requireActor } from '../../plugins/auth.js'
import { toNinjs } from '../../../views/feeds/ninjs.js'
import { toArticleJson } from './article-json.js'
import { deskFilterOf, type ArticleListQueryString } from './desk-filter.js'
import {
  ArticleListQuery,
  ArticleSchema,
  CreateArticleSchema,
  IdParams,
  RestoreBodySchema,
  RevisionParams,
  RevisionSchema,
  ScheduleBodySchema,
  UpdateArticleSchema,
  VersionBodySchema,
  type CreateArticleBody,
  type UpdateArticleBody,
  ErrorResponses,
} from './schemas.js'

// No body at all is the usual call; Fastify validates a missing body as null, and
// Type.Optional means nothing outside an object, so null has to be allowed explicitly.
const OptionalVersionBody = Type.Union([VersionBodySchema, Type.Null()])

export function registerArticlesApi(app: FastifyInstance, deps: AppDeps): void {
  const site = deps.config.site
  /**
   * A story's schema finds wrong types and shapes; the service, what they name that does
   * not exist (section, authors). Refused for its types, a request hears of both at once.
   */
  const refuseWithEveryProblem = async (request: FastifyRequest) => {
    if (!request.validationError) return
    const body = (request.body ?? {}) as { section?: unknown; authorIds?: unknown }
    assertNoProblems([
      ...validationProblems(request.validationError as FastifyError),
      ...(await unknownReferences(deps.db, body)),
    ])
  }
  const json = async (id: number) => {
    const article = await findArticleById(deps.db, id)
    if (!article) throw new AppError('NOT_FOUND', `No article ${id}`)
    return toArticleJson(await toArticleView(deps.db, article), site)
  }

  app.get<{ Querystring: ArticleListQueryString }>(
    '/articles',
    {
      schema: {
        tags: ['articles'],
        summary: 'List stories: a preset list or any status, searched and filtered, one page at a time',
        querystring: ArticleListQuery,
        response: {
          200: Type.Object({ items: Type.Array(ArticleSchema), total: Type.Integer() }),
          ...ErrorResponses,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const { filter, limit, offset } = await deskFilterOf(deps, actor, request.query)
      const { items, total } = await listDeskArticles(deps.db, filter, { limit, offset })
      return {
        items: (await toArticleViews(deps.db, items)).map((view) => toArticleJson(view, site)),
        total,
      }
    },
  )

  app.get<{ Params: { id: number } }>(
    '/articles/:id',
    {
      schema: {
        tags: ['articles'],
        summary: 'Get a story',
        params: IdParams,
        response: { 200: ArticleSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const article = await json(request.params.id)
      if (!can(actor.role, 'article:write-any') && article.status !== 'published') {
        const own = await findArticleById(deps.db, request.params.id)
        if (own?.createdBy !== actor.userId)
          throw new AppError('NOT_FOUND', `No article ${request.params.id}`)
      }
      return article
    },
  )

  app.get<{ Params: { id: number } }>(
    '/articles/:id/ninjs',
    {
      schema: {
        tags: ['articles'],
        summary: 'A story as IPTC ninjs 3.0, for syndication',
        description:
          'The story as another newsroom system would take it in: headline, key points (a summary list), ' +
          'body, topics, byline, dateline and hero, with absolute addresses. Its uri is the short URL.',
        params: IdParams,
        response: {
          200: Type.Object({}, { additionalProperties: true, description: 'ninjs 3.0' }),
          ...ErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const article = await findArticleById(deps.db, request.params.id)
      if (!article) throw new AppError('NOT_FOUND', `No article ${request.params.id}`)
      assertCanView(actor, article)
      const ninjs = toNinjs(await toArticleView(deps.db, article), site)
      return reply.type('application/ninjs+json; charset=utf-8').send(JSON.stringify(ninjs))
    },
  )

  app.post<{ Body: CreateArticleBody }>(
    '/articles',
    {
      schema: {
        tags: ['articles'],
        summary: 'Create a draft',
        body: CreateArticleSchema,
        response: { 201: ArticleSchema, ...ErrorResponses },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const actor = requireActor(request, 'article:write-own-draft')
      await refuseWithEveryProblem(request)
      const view = await createArticle(deps.articles, actor, request.body)
      return reply.code(201).header('location', `/api/v1/articles/${view.id}`).send(toArticleJson(view, site))
    },
  )

  app.patch<{ Params: { id: number }; Body: UpdateArticleBody }>(
    '/articles/:id',
    {
      schema: {
        tags: ['articles'],
        summary: 'Save an edit (optimistic concurrency on version)',
        params: IdParams,
        body: UpdateArticleSchema,
        response: { 200: ArticleSchema, ...ErrorResponses },
      },
      attachValidation: true,
    },
    async (request) => {
      const actor = requireActor(request, 'article:write-own-draft')
      await refuseWithEveryProblem(request)
      return toArticleJson(await updateArticle(deps.articles, actor, request.params.id, request.body), site)
    },
  )

  app.post<{ Params: { id: number }; Body: { version?: number } }>(
    '/articles/:id/publish',
    {
      schema: {
        tags: ['articles'],
        summary: 'Publish now',
        params: IdParams,
        body: OptionalVersionBody,
        response: { 200: ArticleSchema, 422: { $ref: 'Error#' }, ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'article:publish')
      return toArticleJson(
        await publishArticle(deps.articles, actor, request.params.id, request.body?.version),
        site,
      )
    },
  )

  app.post<{ Params: { id: number }; Body: { version?: number } }>(
    '/articles/:id/unpublish',
    {
      schema: {
        tags: ['articles'],
        summary: 'Take a story down (its URL answers 410)',
        params: IdParams,
        body: OptionalVersionBody,
        response: { 200: ArticleSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'article:publish')
      return toArticleJson(
        await unpublishArticle(deps.articles, actor, request.params.id, request.body?.version),
        site,
      )
    },
  )

  app.post<{ Params: { id: number }; Body: { publishAt: string; version?: number } }>(
    '/articles/:id/schedule',
    {
      schema: {
        tags: ['articles'],
        summary: 'Publish at a future time',
        params: IdParams,
        body: ScheduleBodySchema,
        response: { 200: ArticleSchema, 422: { $ref: 'Error#' }, ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'article:publish')
      return toArticleJson(
        await scheduleArticle(
          deps.articles,
          actor,
          request.params.id,
          new Date(request.body.publishAt),
          request.body.version,
        ),
        site,
      )
    },
  )

  app.get<{ Params: { id: number } }>(
    '/articles/:id/revisions',
    {
      schema: {
        tags: ['articles'],
        summary: 'Every saved revision, newest first',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(RevisionSchema) }), ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'article:write-own-draft')
      assertCanView(actor, await existing(request.params.id))
      const revisions = await listRevisions(deps.db, request.params.id)
      return { items: revisions.map(toRevisionJson) }
    },
  )

  app.get<{ Params: { id: number; version: number } }>(
    '/articles/:id/revisions/:version',
    {
      schema: {
        tags: ['articles'],
        summary: 'One revision with its full snapshot of the story',
        params: RevisionParams,
        response: { 200: RevisionSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'article:write-own-draft')
      const { id, version } = request.params
      assertCanView(actor, await existing(id))
      const revision = await findRevision(deps.db, id, version)
      if (!revision) throw new AppError('NOT_FOUND', `Story ${id} has no version ${version}`)
      return toRevisionJson(revision)
    },
  )

  app.post<{ Params: { id: number; version: number }; Body: { version: number } }>(
    '/articles/:id/revisions/:version/restore',
    {
      schema: {
        tags: ['articles'],
        summary: 'Restore a revision as a new revision (status unchanged; 409 if the story moved on)',
        params: RevisionParams,
        body: RestoreBodySchema,
        response: { 200: ArticleSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'article:write-own-draft')
      const { id, version } = request.params
      assertCanView(actor, await existing(id))
      const view = await restoreRevision(deps.articles, actor, id, version, request.body.version)
      return toArticleJson(view, site)
    },
  )

  async function existing(id: number) {
    const article = await findArticleById(deps.db, id)
    if (!article) throw new AppError('NOT_FOUND', `No article ${id}`)
    return article
  }
}

function toRevisionJson(revision: RevisionRecord) {
  return { ...revision, createdAt: revision.createdAt.toISOString() }
}
