import fastifyMultipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  deleteMedia,
  getMedia,
  MAX_ALT_LENGTH,
  MAX_CAPTION_LENGTH,
  MAX_CREDIT_LENGTH,
  searchMedia,
  storeImage,
  updateMedia,
  type MediaItem,
  type MediaUse,
} from '../../../modules/media/index.js'
import { can } from '../../../modules/auth/index.js'
import { AppError } from '../../../platform/app-error.js'
import type { AppDeps } from '../../app-deps.js'
import { requireActor } from '../../plugins/auth.js'
import { ErrorResponses, IdParams } from './schemas.js'

const MediaSchema = Type.Object({
  id: Type.Integer(),
  src: Type.String({ description: 'The stripped original: an immutable /media/ address' }),
  width: Type.Integer(),
  height: Type.Integer(),
  contentType: Type.String(),
  byteSize: Type.Integer(),
  srcset: Type.String({ description: 'Smaller JPEG/PNG renditions; empty until the renditions job has run' }),
  sources: Type.Array(Type.Object({ type: Type.String(), srcset: Type.String() })),
  renditionStatus: Type.String({ description: 'none, pending, done or failed' }),
  alt: Type.String(),
  caption: Type.String(),
  credit: Type.String(),
  origin: Type.String(),
  uploadedBy: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The user who uploaded it, if one did',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  uses: Type.Array(
    Type.Object({
      articleId: Type.Integer(),
      headline: Type.String(),
      status: Type.String(),
      as: Type.String({ description: 'hero or inline' }),
    }),
  ),
})

const TextFields = {
  alt: Type.Optional(Type.String({ maxLength: MAX_ALT_LENGTH })),
  caption: Type.Optional(Type.String({ maxLength: MAX_CAPTION_LENGTH })),
  credit: Type.Optional(Type.String({ maxLength: MAX_CREDIT_LENGTH })),
}

function mediaJson(item: MediaItem & { uses: MediaUse[] }) {
  return {
    id: item.id,
    src: item.src,
    width: item.width,
    height: item.height,
    contentType: item.contentType,
    byteSize: item.byteSize,
    srcset: item.srcset,
    sources: item.sources,
    renditionStatus: item.renditionStatus,
    alt: item.alt,
    caption: item.caption,
    credit: item.credit,
    origin: item.origin,
    uploadedBy: item.uploadedBy,
    createdAt: item.createdAt.toISOString(),
    uses: item.uses,
  }
}

interface UploadForm {
  bytes: Buffer
  declaredType: string
  fields: Record<string, string>
}

/** Reads the one file and the text fields of an upload form; the file is held in memory, within the byte limit. */
async function readUploadForm(request: FastifyRequest, maxBytes: number): Promise<UploadForm> {
  if (!request.isMultipart())
    throw new AppError('INVALID_INPUT', 'body: send the photo as multipart/form-data with a "file" field')
  let file: { bytes: Buffer; declaredType: string } | undefined
  const fields: Record<string, string> = {}
  for await (const part of request.parts({
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4000 },
  })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') {
        await part.toBuffer().catch(() => undefined)
        throw new AppError('INVALID_INPUT', `${part.fieldname}: unexpected file; send the photo as "file"`)
      }
      file = { bytes: await part.toBuffer(), declaredType: part.mimetype }
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value
    }
  }
  if (!file) throw new AppError('INVALID_INPUT', 'file: is required (multipart field "file")')
  return { ...file, fields }
}

function tooLargeAsAppError(error: unknown, maxBytes: number): unknown {
  const code = (error as { code?: unknown }).code
  if (code === 'FST_REQ_FILE_TOO_LARGE')
    return new AppError('PAYLOAD_TOO_LARGE', `file: is larger than the ${maxBytes / 1024 / 1024} MB limit`, {
      details: {
        problems: [{ field: 'file', message: `is larger than the ${maxBytes / 1024 / 1024} MB limit` }],
      },
    })
  if (code === 'FST_FILES_LIMIT') return new AppError('INVALID_INPUT', 'file: send one photo per upload')
  return error
}

/** The media library: upload, search, look at and edit photos. */
export async function registerMediaApi(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const maxBytes = deps.media.limits.maxBytes
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, { limits: { fileSize: maxBytes, files: 1 } })
    scope.post(
      '/media',
      {
        schema: {
          tags: ['media'],
          summary: 'Upload a photo',
          description:
            'multipart/form-data with `file` (JPEG, PNG, WebP, AVIF or GIF, checked by content) and optional ' +
            '`alt`, `caption` and `credit`. Metadata (EXIF, GPS, XMP) is stripped; renditions follow from a job.',
          consumes: ['multipart/form-data'],
          body: Type.Object({
            file: Type.String({ format: 'binary', description: 'The photo' }),
            ...TextFields,
          }),
          response: { 201: MediaSchema, 413: { $ref: 'Error#' }, ...ErrorResponses },
        },
        // The body schema documents the form; the parts are read and checked in the handler.
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const actor = requireActor(request, 'article:write-own-draft')
        const form = await readUploadForm(request, maxBytes).catch((error: unknown) => {
          throw tooLargeAsAppError(error, maxBytes)
        })
        const item = await storeImage(deps.media, form.bytes, {
          alt: form.fields['alt'],
          caption: form.fields['caption'],
          credit: form.fields['credit'],
          origin: 'upload',
          declaredType: form.declaredType,
          uploadedBy: actor.userId,
        })
        return reply.code(201).send(mediaJson({ ...item, uses: [] }))
      },
    )
  })

  app.get<{ Querystring: { q?: string; limit: number; offset: number } }>(
    '/media',
    {
      schema: {
        tags: ['media'],
        summary: 'Search the media library, newest first',
        querystring: Type.Object({
          q: Type.Optional(
            Type.String({ maxLength: 200, description: 'Words in the caption, credit or alt text' }),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 24 }),
          offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
        }),
        response: {
          200: Type.Object({ items: Type.Array(MediaSchema), total: Type.Integer() }),
          ...ErrorResponses,
        },
      },
    },
    async (request) => {
      requireActor(request)
      const { items, total } = await searchMedia(deps.media, request.query)
      return { items: items.map(mediaJson), total }
    },
  )

  app.get<{ Params: { id: number } }>(
    '/media/:id',
    {
      schema: {
        tags: ['media'],
        summary: 'One photo, with the stories that use it',
        params: IdParams,
        response: { 200: MediaSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      requireActor(request)
      return mediaJson(await getMedia(deps.media, request.params.id))
    },
  )

  app.patch<{ Params: { id: number }; Body: { alt?: string; caption?: string; credit?: string } }>(
    '/media/:id',
    {
      schema: {
        tags: ['media'],
        summary: "Change a photo's alt text, caption or credit (wherever it is used)",
        params: IdParams,
        body: Type.Object(TextFields, { additionalProperties: false }),
        response: { 200: MediaSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request, 'article:write-own-draft')
      const current = await getMedia(deps.media, request.params.id)
      // A contributor may describe their own uploads; a photo on other stories is an editor's to change.
      if (!can(actor.role, 'article:write-any') && current.uploadedBy !== actor.userId)
        throw new AppError('FORBIDDEN', 'Only editors may change photos other people uploaded')
      return mediaJson(await updateMedia(deps.media, request.params.id, request.body))
    },
  )

  app.delete<{ Params: { id: number } }>(
    '/media/:id',
    {
      schema: {
        tags: ['media'],
        summary: 'Delete a photo no story uses, with its files',
        description: 'A photo still shown by a story (as its hero or in its text) is refused with 409.',
        params: IdParams,
        response: { 204: Type.Null(), ...ErrorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request, 'article:write-own-draft')
      const current = await getMedia(deps.media, request.params.id)
      if (!can(actor.role, 'article:write-any') && current.uploadedBy !== actor.userId)
        throw new AppError('FORBIDDEN', 'Only editors may delete photos other people uploaded')
      await deleteMedia(deps.media, request.params.id)
      return reply.code(204).send()
    },
  )
}
