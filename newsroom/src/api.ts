import type { Article, MediaItem, Revision, Section, SessionUser } from './types.js'

export interface FieldProblem {
  field: string
  message: string
}

/** An error answer of the API: `{ code, message, problems? }` and its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: FieldProblem[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code)
}

/** The body of a PATCH /articles/{id}: every editable field plus the version it started from. */
export interface StoryPatch {
  version: number
  headline: string
  keyPoints: string[]
  bodyHtml: string
  section: string
  topics: string[]
  byline: string
  sourceCredit: string
  hero?: ArticleHeroInput | null
  updateKind?: 'substantive' | 'minor'
  correction?: string
}

export interface ArticleHeroInput {
  src: string
  width: number
  height: number
  alt: string
  caption?: string
  credit?: string
}

export type StoryCreate = Omit<StoryPatch, 'version' | 'updateKind' | 'correction' | 'hero'> & {
  hero?: ArticleHeroInput
}

export interface MediaTexts {
  alt?: string
  caption?: string
  credit?: string
}

export interface ListQuery {
  status?: string
  section?: string
  mine?: boolean
}

/**
 * The app's only way to the server. Cookie-authenticated writes carry the CSRF token
 * from GET /session; it is renewed on sign-in.
 */
export class Api {
  private csrfToken = ''

  async session(): Promise<SessionUser | null> {
    const answer = await this.call<{ user: SessionUser | null; csrfToken: string }>('GET', '/session')
    this.csrfToken = answer.csrfToken
    return answer.user
  }

  async signIn(email: string, password: string): Promise<SessionUser> {
    if (!this.csrfToken) await this.session()
    const answer = await this.call<{ user: SessionUser; csrfToken: string }>('POST', '/session', {
      email,
      password,
    })
    this.csrfToken = answer.csrfToken
    return answer.user
  }

  async signOut(): Promise<void> {
    await this.call('DELETE', '/session')
    this.csrfToken = ''
  }

  async sections(): Promise<Section[]> {
    return (await this.call<{ items: Section[] }>('GET', '/sections')).items
  }

  async listStories(query: ListQuery): Promise<Article[]> {
    const params = new URLSearchParams({ limit: '50' })
    if (query.status) params.set('status', query.status)
    if (query.section) params.set('section', query.section)
    if (query.mine) params.set('mine', 'true')
    return (await this.call<{ items: Article[] }>('GET', `/articles?${params.toString()}`)).items
  }

  story(id: number): Promise<Article> {
    return this.call('GET', `/articles/${id}`)
  }

  createStory(body: StoryCreate): Promise<Article> {
    return this.call('POST', '/articles', body)
  }

  saveStory(id: number, body: StoryPatch): Promise<Article> {
    return this.call('PATCH', `/articles/${id}`, body)
  }

  publish(id: number, version: number): Promise<Article> {
    return this.call('POST', `/articles/${id}/publish`, { version })
  }

  unpublish(id: number, version: number): Promise<Article> {
    return this.call('POST', `/articles/${id}/unpublish`, { version })
  }

  schedule(id: number, version: number, publishAt: Date): Promise<Article> {
    return this.call('POST', `/articles/${id}/schedule`, { version, publishAt: publishAt.toISOString() })
  }

  async revisions(id: number): Promise<Revision[]> {
    return (await this.call<{ items: Revision[] }>('GET', `/articles/${id}/revisions`)).items
  }

  /** Uploads one photo (checked and stripped by the server) with its texts. */
  uploadMedia(file: File, texts: MediaTexts = {}): Promise<MediaItem> {
    const form = new FormData()
    for (const name of ['alt', 'caption', 'credit'] as const) {
      const value = texts[name]
      if (value) form.append(name, value)
    }
    form.append('file', file)
    return this.call('POST', '/media', form)
  }

  searchMedia(q: string, offset = 0, limit = 24): Promise<{ items: MediaItem[]; total: number }> {
    const params = new URLSearchParams({ limit: String(limit), offset: String(offset) })
    if (q.trim()) params.set('q', q.trim())
    return this.call('GET', `/media?${params.toString()}`)
  }

  updateMedia(id: number, texts: MediaTexts): Promise<MediaItem> {
    return this.call('PATCH', `/media/${id}`, texts)
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    const isForm = body instanceof FormData
    // A form sets its own multipart content type with the boundary.
    if (body !== undefined && !isForm) headers['content-type'] = 'application/json'
    if (method !== 'GET') headers['x-csrf-token'] = this.csrfToken
    let response: Response
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined && { body: isForm ? body : JSON.stringify(body) }),
      })
    } catch (error) {
      const message = 'The server could not be reached; your text is kept in this browser'
      throw new ApiError(0, 'NETWORK', message, [], { cause: error })
    }
    if (response.status === 204) return undefined as T
    const answer: unknown = await response.json().catch(() => ({}))
    if (!response.ok) throw toApiError(response.status, answer)
    return answer as T
  }
}

function toApiError(status: number, answer: unknown): ApiError {
  const body = (typeof answer === 'object' && answer !== null ? answer : {}) as Partial<{
    code: string
    message: string
    problems: FieldProblem[]
  }>
  return new ApiError(
    status,
    body.code ?? 'HTTP_' + String(status),
    body.message ?? `The server answered ${status}`,
    body.problems ?? [],
  )
}
