import type {
  Article,
  MediaItem,
  HeldComparison,
  HeldVersion,
  AuthorName,
  ListCounts,
  ListName,
  Revision,
  Section,
  SessionUser,
  Topic,
} from './types.js'

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
  breaking: boolean
  dateline: string
  language: string
  authorIds?: number[]
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
  list?: ListName
  status?: string
  section?: string
  mine?: boolean
  /** Words in the headline or the text. */
  q?: string
  /** A staff author's id. */
  author?: number
  /** Days, "2026-03-02", on the list's own time. */
  from?: string
  to?: string
  offset?: number
}

/** Stories per page in the lists. */
export const PAGE_SIZE = 20

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

  listStories(query: ListQuery): Promise<{ items: Article[]; total: number }> {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) })
    for (const name of ['list', 'status', 'section', 'q', 'author', 'from', 'to', 'offset'] as const) {
      const value = query[name]
      if (value !== undefined && value !== '') params.set(name, String(value))
    }
    if (query.mine) params.set('mine', 'true')
    return this.call('GET', `/articles?${params.toString()}`)
  }

  listCounts(): Promise<ListCounts> {
    return this.call('GET', '/articles/counts')
  }

  /** A review or embargo step on a story: submit, withdraw, approve, send-back, embargo. */
  storyStep(id: number, step: string, body: Record<string, unknown>): Promise<Article> {
    return this.call('POST', `/articles/${id}/${step}`, body)
  }

  async findTopics(q: string): Promise<Topic[]> {
    const params = new URLSearchParams({ q, limit: '8' })
    return (await this.call<{ items: Topic[] }>('GET', `/topics?${params.toString()}`)).items
  }

  createTopic(name: string, aliases: string[]): Promise<Topic> {
    return this.call('POST', '/topics', { name, aliases })
  }

  async findAuthors(q: string, limit = 8): Promise<AuthorName[]> {
    const params = new URLSearchParams({ q, limit: String(limit) })
    return (await this.call<{ items: AuthorName[] }>('GET', `/authors?${params.toString()}`)).items
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

  revision(id: number, version: number): Promise<Revision> {
    return this.call('GET', `/articles/${id}/revisions/${version}`)
  }

  /** Restores `version` as a new revision; `current` is the version on screen (409 if the story moved). */
  restoreRevision(id: number, version: number, current: number): Promise<Article> {
    return this.call('POST', `/articles/${id}/revisions/${version}/restore`, { version: current })
  }

  /** The session's CSRF token, for the preview form that posts into a frame. */
  get csrf(): string {
    return this.csrfToken
  }

  async heldVersions(id: number): Promise<HeldVersion[]> {
    return (await this.call<{ items: HeldVersion[] }>('GET', `/articles/${id}/held-versions`)).items
  }

  heldVersion(id: number): Promise<HeldComparison> {
    return this.call('GET', `/wire/held/${id}`)
  }

  reviewHeld(id: number, decision: 'accept' | 'dismiss', articleVersion: number): Promise<HeldComparison> {
    return this.call('POST', `/wire/held/${id}/${decision}`, { articleVersion })
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

  deleteMedia(id: number): Promise<void> {
    return this.call('DELETE', `/media/${id}`)
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
