import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isAppError, type ErrorCode, type FieldProblem } from '../platform/app-error.js'

/** Exhaustive: a new code cannot ship without a status. */
export const statusFor: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  GONE: 410,
  INVALID_INPUT: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  ARTICLE_NOT_PUBLISHABLE: 422,
  DATABASE_TOO_NEW: 500,
  MIGRATION_FAILED: 500,
  INVALID_CONFIG: 500,
  MAIL_UNAVAILABLE: 503,
}

export interface ErrorBody {
  code: string
  message: string
  problems?: FieldProblem[]
  requestId?: string
}

export interface ErrorResponse {
  status: number
  body: ErrorBody
  /** Headers the answer needs: Retry-After on a RATE_LIMITED. */
  headers?: Record<string, string>
}

/** Turns any thrown error into a status and a { code, message } body; the real cause goes to the log. */
export function toErrorResponse(error: unknown, request: FastifyRequest): ErrorResponse {
  if (isAppError(error)) {
    const status = statusFor[error.code]
    const body: ErrorBody = { code: error.code, message: error.message }
    if (error.details?.problems) body.problems = error.details.problems
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed')
      return { status, body: { code: error.code, message: 'Internal error', requestId: request.id } }
    }
    request.log.info({ code: error.code }, error.message)
    const retryAfter = error.details?.retryAfterSeconds
    return retryAfter === undefined
      ? { status, body }
      : { status, body, headers: { 'retry-after': String(retryAfter) } }
  }
  const fastifyError = error as FastifyError
  if (fastifyError.validation) {
    const problems = validationProblems(fastifyError)
    request.log.info({ problems }, 'invalid input')
    return {
      status: 400,
      body: {
        code: 'INVALID_INPUT',
        message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
        problems,
      },
    }
  }
  const status = fastifyError.statusCode
  if (status === 429)
    return { status, body: { code: 'RATE_LIMITED', message: 'Too many attempts; try again later' } }
  if (status === 413) return bodyProblem(status, 'the request body is too large')
  if (status === 415) return bodyProblem(status, 'unsupported content type')
  if (status === 403 && fastifyError.code?.startsWith('FST_CSRF')) {
    return { status, body: { code: 'FORBIDDEN', message: 'Missing or invalid CSRF token' } }
  }
  if (status !== undefined && status >= 400 && status < 500) {
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError)
      return bodyProblem(status, 'is not valid JSON')
    return { status, body: { code: 'INVALID_INPUT', message: fastifyError.message } }
  }
  request.log.error({ err: error }, 'request failed')
  return { status: 500, body: { code: 'INTERNAL', message: 'Internal error', requestId: request.id } }
}

/** The problems a request's schema found, each named by its field. */
export function validationProblems(error: FastifyError): FieldProblem[] {
  return (error.validation ?? []).map((v) => ({
    field: fieldName(v.instancePath, v.params, error.validationContext),
    message: v.message ?? 'is invalid',
  }))
}

/** A request whose body as a whole is wrong: one problem, on the field "body". */
function bodyProblem(status: number, message: string): { status: number; body: ErrorBody } {
  return {
    status,
    body: { code: 'INVALID_INPUT', message: `body: ${message}`, problems: [{ field: 'body', message }] },
  }
}

function fieldName(
  instancePath: string,
  params: Record<string, unknown>,
  context: string | undefined,
): string {
  let path = instancePath.replace(/^\//, '')
  if (typeof params['missingProperty'] === 'string')
    path = path ? `${path}/${params['missingProperty']}` : params['missingProperty']
  if (typeof params['additionalProperty'] === 'string')
    path = path ? `${path}/${params['additionalProperty']}` : params['additionalProperty']
  if (path === '') return context ?? 'body'
  return context && context !== 'body' ? `${context}.${path}` : path
}

export function sendError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(body)
}
