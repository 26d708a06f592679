import { Type } from '@sinclair/typebox'
import type { FastifyError, FastifyInstance } from 'fastify'
import { changeUser, createUser, emailProblems, listUsers } from '../../../modules/auth/index.js'
import {
  createSection,
  createTopic,
  findTopicBySlug,
  listSections,
  listTopics,
  mergeTopics,
  renameSection,
  searchTopics,
  updateTopic,
} from '../../../modules/taxonomy/index.js'
import { AppError, assertNoProblems } from '../../../platform/app-error.js'
import { validationProblems } from '../../error-handler.js'
import type { AppDeps } from '../../app-deps.js'
import { requireActor } from '../../plugins/auth.js'
import { userJson } from './user-json.js'
import {
  CreateSectionSchema,
  CreateTopicSchema,
  CreateUserSchema,
  IdParams,
  MergeTopicsSchema,
  SectionSchema,
  TopicSchema,
  UpdateTopicSchema,
  UpdateUserSchema,
  UserSchema,
  ErrorResponses,
} from './schemas.js'

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 80 }) })

/** Sections, topics and newsroom users: the admin side of the API. */
export function registerNewsroomApi(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/sections',
    {
      schema: {
        tags: ['sections'],
        summary: 'List sections',
        response: { 200: Type.Object({ items: Type.Array(SectionSchema) }) },
      },
    },
    async () => ({
      items: await listSections(deps.db),
    }),
  )

  app.post<{ Body: { name: string; slug?: string; position?: number } }>(
    '/sections',
    {
      schema: {
        tags: ['sections'],
        summary: 'Create a section',
        body: CreateSectionSchema,
        response: { 201: SectionSchema, ...ErrorResponses },
      },
    },
    async (request, reply) => {
      requireActor(request, 'taxonomy:manage')
      return reply.code(201).send(await createSection(deps.taxonomy, request.body))
    },
  )

  app.patch<{ Params: { slug: string }; Body: { name: string } }>(
    '/sections/:slug',
    {
      schema: {
        tags: ['sections'],
        summary: 'Rename a section',
        params: SlugParams,
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 60 }) },
          { additionalProperties: false },
        ),
        response: { 200: SectionSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'taxonomy:manage')
      return renameSection(deps.taxonomy, request.params.slug, request.body.name)
    },
  )

  app.get<{ Querystring: { q?: string; limit?: number; offset?: number } }>(
    '/topics',
    {
      schema: {
        tags: ['topics'],
        summary: 'List topics, or find them by name or alias with q',
        querystring: Type.Object(
          {
            q: Type.Optional(
              Type.String({ minLength: 1, maxLength: 80, description: 'Words in the name or an alias.' }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(TopicSchema) }) },
      },
    },
    async (request) => ({
      items:
        request.query.q === undefined
          ? await listTopics(deps.db, { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 })
          : await searchTopics(deps.db, request.query.q, request.query.limit ?? 50),
    }),
  )

  app.get<{ Params: { slug: string } }>(
    '/topics/:slug',
    {
      schema: {
        tags: ['topics'],
        summary: 'Get a topic by slug or alias',
        params: SlugParams,
        response: { 200: TopicSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const topic = await findTopicBySlug(deps.db, request.params.slug)
      if (!topic) throw new AppError('NOT_FOUND', `No topic "${request.params.slug}"`)
      return topic
    },
  )

  app.post<{ Body: { name: string; slug?: string; aliases?: string[] } }>(
    '/topics',
    {
      schema: {
        tags: ['topics'],
        summary: 'Create a topic with aliases',
        body: CreateTopicSchema,
        response: { 201: TopicSchema, ...ErrorResponses },
      },
    },
    async (request, reply) => {
      requireActor(request, 'taxonomy:manage')
      return reply.code(201).send(await createTopic(deps.taxonomy, request.body))
    },
  )

  app.patch<{ Params: { slug: string }; Body: { name?: string; slug?: string; aliases?: string[] } }>(
    '/topics/:slug',
    {
      schema: {
        tags: ['topics'],
        summary: 'Rename a topic or change its aliases',
        description:
          'An alias another topic already answers to is a 409 naming that topic: merge the two instead.',
        params: SlugParams,
        body: UpdateTopicSchema,
        response: { 200: TopicSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'taxonomy:manage')
      return updateTopic(deps.taxonomy, request.params.slug, request.body)
    },
  )

  app.post<{ Params: { slug: string }; Body: { from: string } }>(
    '/topics/:slug/merge',
    {
      schema: {
        tags: ['topics'],
        summary: 'Merge another topic into this one',
        description:
          "The other topic's stories and followers move here, its name and aliases become aliases " +
          'of this topic, its page redirects here, and the topic is deleted: all at once or not at all.',
        params: SlugParams,
        body: MergeTopicsSchema,
        response: { 200: TopicSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'taxonomy:manage')
      return mergeTopics(deps.taxonomy, { into: request.params.slug, from: request.body.from })
    },
  )

  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List newsroom users (admin)',
        response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'user:manage')
      return { items: (await listUsers(deps.db)).map(userJson) }
    },
  )

  app.post<{ Body: { email: string; displayName?: string; role: string; password: string } }>(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a newsroom user (admin)',
        body: CreateUserSchema,
        response: { 201: UserSchema, ...ErrorResponses },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      requireActor(request, 'user:manage')
      // Refused for its types, a request also hears of a malformed email in the same answer.
      if (request.validationError)
        assertNoProblems([
          ...validationProblems(request.validationError as FastifyError),
          ...emailProblems((request.body as { email?: unknown } | undefined)?.email),
        ])
      return reply.code(201).send(userJson(await createUser(deps.auth, request.body)))
    },
  )

  app.patch<{ Params: { id: number }; Body: { displayName?: string; role?: string; disabled?: boolean } }>(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change role, name or disable (admin)',
        params: IdParams,
        body: UpdateUserSchema,
        response: { 200: UserSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'user:manage')
      if (
        request.params.id === actor.userId &&
        (request.body.disabled || (request.body.role && request.body.role !== 'admin'))
      ) {
        throw new AppError('CONFLICT', 'You cannot demote or disable your own account')
      }
      return userJson(await changeUser(deps.auth, request.params.id, request.body))
    },
  )
}
