import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import {
  createSource,
  listSources,
  redactUrl,
  updateSource,
  watchRootFor,
  WIRE_FORMATS,
  WIRE_POLICIES,
  type WireSource,
} from '../../../modules/wire/index.js'
import type { AppDeps } from '../../app-deps.js'
import { requireActor } from '../../plugins/auth.js'
import { ErrorResponses } from './schemas.js'

const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])

const SourceSchema = Type.Object(
  {
    name: Type.String(),
    format: Type.String(),
    credit: Type.String(),
    section: Type.Union([Type.String(), Type.Null()]),
    policy: Type.String(),
    acceptsPush: Type.Boolean(),
    feedUrl: Type.Union([Type.String(), Type.Null()], {
      description: 'The feed polled, with any password and query string hidden',
    }),
    pollIntervalSeconds: Type.Integer(),
    allowPrivateNetwork: Type.Boolean(),
    watchFolder: Type.Union([Type.String(), Type.Null()]),
    poll: Type.Object({
      nextAt: NullableTime,
      lastAt: NullableTime,
      failures: Type.Integer(),
      lastError: Type.Union([Type.String(), Type.Null()]),
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  // No $id: adding a shared schema in this scope would replace the app's strict validator compiler.
  { title: 'WireSource' },
)

const SourceAnswer = Type.Object({
  source: SourceSchema,
  pushToken: Type.Optional(Type.String({ description: 'Shown once; only its hash is kept' })),
})

const fields = {
  format: Type.Optional(Type.Union(['auto', ...WIRE_FORMATS].map((f) => Type.Literal(f)))),
  credit: Type.Optional(Type.String({ maxLength: 120 })),
  section: Type.Optional(Type.String({ maxLength: 80 })),
  policy: Type.Optional(Type.Union(WIRE_POLICIES.map((p) => Type.Literal(p)))),
  pollIntervalSeconds: Type.Optional(Type.Integer()),
  allowPrivateNetwork: Type.Optional(Type.Boolean()),
}

const CreateSourceSchema = Type.Object(
  {
    name: Type.String({ maxLength: 60 }),
    ...fields,
    feedUrl: Type.Optional(Type.String({ maxLength: 2000 })),
    watchFolder: Type.Optional(Type.String({ maxLength: 500 })),
    push: Type.Optional(Type.Boolean({ description: 'Issue a push token, returned once' })),
  },
  { additionalProperties: false },
)

const UpdateSourceSchema = Type.Object(
  {
    ...fields,
    feedUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    watchFolder: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    push: Type.Optional(
      Type.Boolean({ description: 'true issues a new push token (returned once); false removes push' }),
    ),
  },
  { additionalProperties: false },
)

const NameParams = Type.Object({ name: Type.String({ maxLength: 60 }) })

/** Wire sources for admins: how agency copy arrives (feed, watch folder, push) and what becomes of it. */
export function registerWireSourcesApi(app: FastifyInstance, deps: AppDeps): void {
  const sourceDeps = { ...deps.wire, watchRoot: watchRootFor(deps.config.dataDir) }

  app.get(
    '/wire/sources',
    {
      schema: {
        tags: ['wire'],
        summary: 'List wire sources with their feed polling state (admin)',
        response: { 200: Type.Object({ items: Type.Array(SourceSchema) }), ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'wire:configure')
      return { items: (await listSources(deps.db)).map(sourceJson) }
    },
  )

  app.post<{ Body: Static<typeof CreateSourceSchema> }>(
    '/wire/sources',
    {
      schema: {
        tags: ['wire'],
        summary: 'Add a wire source (admin); a push token is shown once',
        body: CreateSourceSchema,
        response: { 201: SourceAnswer, ...ErrorResponses },
      },
    },
    async (request, reply) => {
      requireActor(request, 'wire:configure')
      const { source, token } = await createSource(sourceDeps, request.body)
      return reply.code(201).send(answer(source, token))
    },
  )

  app.patch<{ Params: Static<typeof NameParams>; Body: Static<typeof UpdateSourceSchema> }>(
    '/wire/sources/:name',
    {
      schema: {
        tags: ['wire'],
        summary: 'Change a wire source (admin); fields left out stay as they are',
        params: NameParams,
        body: UpdateSourceSchema,
        response: { 200: SourceAnswer, ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request, 'wire:configure')
      const { source, token } = await updateSource(sourceDeps, request.params.name, request.body)
      return answer(source, token)
    },
  )
}

function answer(source: WireSource, token: string | undefined) {
  return { source: sourceJson(source), ...(token !== undefined && { pushToken: token }) }
}

function sourceJson(s: WireSource): Static<typeof SourceSchema> {
  return {
    name: s.name,
    format: s.format,
    credit: s.credit,
    section: s.defaultSection,
    policy: s.policy,
    acceptsPush: s.acceptsPush,
    feedUrl: s.feedUrl === null ? null : redactUrl(s.feedUrl),
    pollIntervalSeconds: s.pollIntervalSeconds,
    allowPrivateNetwork: s.allowPrivateNetwork,
    watchFolder: s.watchFolder,
    poll: {
      nextAt: s.poll.nextAt?.toISOString() ?? null,
      lastAt: s.poll.lastAt?.toISOString() ?? null,
      failures: s.poll.failures,
      lastError: s.poll.lastError,
    },
    createdAt: s.createdAt.toISOString(),
  }
}
