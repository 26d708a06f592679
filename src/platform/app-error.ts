/** Stable error codes; http/error-handler.ts maps each one to a status, exhaustively. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'GONE'
  | 'INVALID_INPUT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'ARTICLE_NOT_PUBLISHABLE'
  | 'DATABASE_TOO_NEW'
  | 'MIGRATION_FAILED'
  | 'INVALID_CONFIG'
  | 'MAIL_UNAVAILABLE'

/** One problem with one field of an input, named by its path ("keyPoints/2"). */
export interface FieldProblem {
  field: string
  message: string
}

export interface ErrorDetails {
  problems?: FieldProblem[]
  /** For RATE_LIMITED: when trying again may succeed, sent as Retry-After. */
  retryAfterSeconds?: number
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: ErrorDetails | undefined

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options?.details
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

/** Throws INVALID_INPUT naming every problem at once, or returns when there are none. */
export function assertNoProblems(problems: FieldProblem[]): void {
  if (problems.length > 0) throw problemsError('INVALID_INPUT', problems)
}

/** An error naming each field at fault, in its message and in details.problems. */
export function problemsError(code: ErrorCode, problems: FieldProblem[]): AppError {
  const summary = problems.map((p) => `${p.field}: ${p.message}`).join('; ')
  return new AppError(code, summary, { details: { problems } })
}
