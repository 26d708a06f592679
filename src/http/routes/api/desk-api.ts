import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import {
  approveArticle,
  countDeskLists,
  sendBackArticle,
  setEmbargo,
  submitForReview,
  withdrawFromReview,
  type ArticleView,
} from '../../../modules/articles/index.js'
import { can, searchStaffNames, type Actor } from '../../../modules/auth/index.js'
import type { AppDeps } from '../../app-deps.js'
import { requireActor } from '../../plugins/auth.js'
import { toArticleJson } from './article-json.js'
import {
  ArticleSchema,
  EmbargoBodySchema,
  ErrorResponses,
  IdParams,
  ReviewNoteBodySchema,
  VersionBodySchema,
} from './schemas.js'

// As for publish: no body at all is the usual call, and Fastify validates it as null.
const OptionalVersionBody = Type.Union([VersionBodySchema, Type.Null()])

type Step = (actor: Actor, id: number, version: number | undefined) => Promise<ArticleView>

/** The desk: review requests, embargoes, list counts and the people who can be named as authors. */
export function registerDeskApi(app: FastifyInstance, deps: AppDeps): void {
  const site = deps.config.site

  const step = (
    path: string,
    summary: string,
    permission: 'article:write-own-draft' | 'article:publish',
    run: Step,
  ) =>
    app.post<{ Params: { id: number }; Body: { version?: number } | null }>(
      `/articles/:id/${path}`,
      {
        schema: {
          tags: ['review'],
          summary,
          params: IdParams,
          body: OptionalVersionBody,
          response: { 200: ArticleSchema, 422: { $ref: 'Error#' }, ...ErrorResponses },
        },
      },
      async (request) => {
        const actor = requireActor(request, permission)
        return toArticleJson(await run(actor, request.params.id, request.body?.version), site)
      },
    )

  step('submit', 'Submit a draft for review by an editor', 'article:write-own-draft', (actor, id, v) =>
    submitForReview(deps.articles, actor, id, v),
  )
  step(
    'withdraw',
    'Withdraw a story from review to edit it again',
    'article:write-own-draft',
    (actor, id, v) => withdrawFromReview(deps.articles, actor, id, v),
  )
  step('approve', 'Approve a story waiting for review and publish it', 'article:publish', (actor, id, v) =>
    approveArticle(deps.articles, actor, id, v),
  )

  app.post<{ Params: { id: number }; Body: { note: string; version?: number } }>(
    '/articles/:id/send-back',
    {
      schema: {
        tags: ['review'],
        summary: 'Send a story waiting for review back to its writer with a note',
        params: IdParams,
        body: ReviewNoteBodySchema,
        response: { 200: ArticleSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'article:publish')
      return toArticleJson(await sendBackArticle(deps.articles, actor, request.params.id, request.body), site)
    },
  )

  app.post<{ Params: { id: number }; Body: { until: string | null; version?: number } }>(
    '/articles/:id/embargo',
    {
      schema: {
        tags: ['articles'],
        summary: 'Set or lift the time before which a story may not be published',
        params: IdParams,
        body: EmbargoBodySchema,
        response: { 200: ArticleSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'article:publish')
      const until = request.body.until === null ? null : new Date(request.body.until)
      return toArticleJson(
        await setEmbargo(deps.articles, actor, request.params.id, until, request.body.version),
        site,
      )
    },
  )

  app.get(
    '/articles/counts',
    {
      schema: {
        tags: ['articles'],
        summary: 'How many stories each preset list holds (contributors: their own)',
        response: {
          200: Type.Object({
            mine: Type.Integer(),
            review: Type.Integer(),
            scheduled: Type.Integer(),
            published: Type.Integer(),
            wire: Type.Integer(),
          }),
          ...ErrorResponses,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      return countDeskLists(deps.db, {
        userId: actor.userId,
        onlyOwn: !can(actor.role, 'article:write-any'),
      })
    },
  )

  app.get<{ Querystring: { q?: string; limit?: number } }>(
    '/authors',
    {
      schema: {
        tags: ['users'],
        summary: 'Find newsroom staff to name as authors: id, name and slug only',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 80 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ id: Type.Integer(), displayName: Type.String(), slug: Type.String() }),
            ),
          }),
          ...ErrorResponses,
        },
      },
    },
    async (request) => {
      requireActor(request, 'article:write-own-draft')
      return { items: await searchStaffNames(deps.db, request.query.q ?? '', request.query.limit ?? 10) }
    },
  )
}
