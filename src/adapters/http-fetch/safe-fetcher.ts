import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import type { IncomingMessage } from 'node:http'
import type { LookupFunction } from 'node:net'
import type { DocumentFetcher, FetchRequest, FetchResult } from '../../modules/wire/ports.js'
import { classifyAddress, describeKind, isIpLiteral, type AddressKind } from './address-rules.js'

export interface SafeFetcherOptions {
  /** Largest body accepted, in bytes as sent on the wire. */
  maxBytes: number
  /** Time for the whole fetch, every redirect included. */
  timeoutMs: number
  maxRedirects: number
  /** How an address is judged; tests stand in a rule that takes one loopback address as public. */
  classify?: (address: string) => AddressKind
  /** The Accept header; documents by default. */
  accept?: string
  /**
   * Take a gzip body as sent (documents: the decoder inflates it within its own limit). When
   * false, only an unencoded body is taken (pictures, which are compressed already).
   */
  gzip?: boolean
}

export const DEFAULT_FETCH_OPTIONS: SafeFetcherOptions = {
  maxBytes: 10 * 1024 * 1024,
  timeoutMs: 30_000,
  maxRedirects: 5,
}

const ACCEPT =
  'application/json, application/xml, application/rss+xml, application/atom+xml, text/xml;q=0.9, */*;q=0.5'

/** What a picture fetch asks for: the formats the media library takes. */
export const PICTURE_ACCEPT = 'image/avif, image/webp, image/png, image/jpeg, image/gif;q=0.9, */*;q=0.5'

/** A refusal that ends the fetch with its own message; `retryable` when a later try may succeed. */
class FetchRefused extends Error {
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message)
  }
}

/**
 * Fetches wire documents without letting a URL reach inside the newsroom's network
 * (SSRF): only http and https; every address a name resolves to must be public, and
 * the connection goes to the address that was checked (the check runs in the socket's
 * own DNS lookup), so a name that resolves differently a moment later (DNS rebinding)
 * gains nothing. Each redirect is checked again; size and time are bounded.
 */
export function createSafeFetcher(options: SafeFetcherOptions = DEFAULT_FETCH_OPTIONS): DocumentFetcher {
  return {
    async fetch(request) {
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), options.timeoutMs)
      try {
        return await fetchFollowing(request, options, controller.signal)
      } catch (error) {
        return {
          status: 'failed',
          reason: failureReason(error, request.url, options),
          retryable: isRetryable(error),
        }
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

async function fetchFollowing(
  request: FetchRequest,
  options: SafeFetcherOptions,
  signal: AbortSignal,
): Promise<FetchResult> {
  let url = parseUrl(request.url)
  const gzip = options.gzip ?? true
  const headers: Record<string, string> = {
    accept: options.accept ?? ACCEPT,
    'accept-encoding': gzip ? 'gzip' : 'identity',
    'user-agent': 'Dateline wire fetcher',
  }
  if (request.etag) headers['if-none-match'] = request.etag
  if (request.lastModified) headers['if-modified-since'] = request.lastModified
  for (let hop = 0; ; hop++) {
    const allow = request.allowPrivateNetwork
    const classify = options.classify ?? classifyAddress
    assertFetchable(url, allow, classify)
    const response = await send(url, headers, guardedLookup(allow, classify), signal)
    const status = response.statusCode ?? 0
    const location = response.headers.location
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      response.resume()
      if (hop >= options.maxRedirects)
        throw new FetchRefused(`more than ${options.maxRedirects} redirects from ${describeUrl(request.url)}`)
      url = parseUrl(location, url)
      continue
    }
    if (status === 304) {
      response.resume()
      return { status: 'not-modified' }
    }
    if (status < 200 || status > 299 || status === 204 || status === 206) {
      response.resume()
      throw new FetchRefused(
        `${describeUrl(url.href)} answered ${status} ${response.statusMessage ?? ''}`.trim(),
        status >= 500 || status === 429 || status === 408,
      )
    }
    const encoding = (response.headers['content-encoding'] ?? 'identity').toLowerCase()
    if (encoding !== 'identity' && (encoding !== 'gzip' || !gzip)) {
      response.resume()
      throw new FetchRefused(
        `${describeUrl(url.href)} sent content encoding "${encoding}"; ${gzip ? 'only gzip is' : 'nothing encoded is'} taken`,
      )
    }
    // A gzip body stays as sent: the document decoder inflates it within the same size limit.
    const bytes = await readBody(response, options.maxBytes, url)
    return {
      status: 'fetched',
      bytes,
      etag: header(response, 'etag'),
      lastModified: header(response, 'last-modified'),
    }
  }
}

function parseUrl(text: string, base?: URL): URL {
  let url: URL
  try {
    url = new URL(text, base)
  } catch {
    throw new FetchRefused(base ? 'a redirect gave an invalid address' : 'not a valid URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const what = base ? `redirected to a ${url.protocol} address` : `a ${url.protocol} address`
    throw new FetchRefused(`${what}; only http and https URLs are fetched`)
  }
  return url
}

/** IP literals never reach the DNS lookup, so they are checked here; names are checked as they resolve. */
function assertFetchable(url: URL, allowPrivate: boolean, classify: (address: string) => AddressKind): void {
  if (allowPrivate || !isIpLiteral(url.hostname)) return
  const kind = classify(url.hostname.replace(/^\[(.*)\]$/, '$1'))
  if (kind !== 'public') throw new FetchRefused(refusal(url.hostname, url.hostname, kind))
}

function refusal(host: string, address: string, kind: AddressKind): string {
  const resolved = host === address ? `${address} is` : `${host} resolves to ${address},`
  return `${resolved} ${describeKind(kind)}; only public addresses are fetched unless the source allows private networks`
}

/** The socket's DNS lookup: every address must be allowed, and the socket connects to exactly these. */
function guardedLookup(allowPrivate: boolean, classify: (address: string) => AddressKind): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0)
      const blocked = allowPrivate ? undefined : addresses.find((a) => classify(a.address) !== 'public')
      if (blocked)
        return callback(
          new FetchRefused(refusal(hostname, blocked.address, classify(blocked.address))),
          '',
          0,
        )
      const [first] = addresses
      if (!first) return callback(new FetchRefused(`${hostname} has no address`), '', 0)
      if (lookupOptions.all) return callback(null, addresses)
      return callback(null, first.address, first.family)
    })
  }
}

async function send(
  url: URL,
  headers: Record<string, string>,
  lookup: LookupFunction,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  // Loaded at the first fetch: importing node:http builds its module facade, which loads Node's
  // bundled fetch (undici) too, some 20 ms a process that never fetches (dateline ingest DIR) can skip.
  const client =
    url.protocol === 'https:' ? (await import('node:https')).default : (await import('node:http')).default
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: 'GET',
      headers,
      signal,
      agent: false,
      lookup,
    })
    req.once('response', resolve)
    req.once('error', reject)
    req.end()
  })
}

function readBody(response: IncomingMessage, maxBytes: number, url: URL): Promise<Uint8Array> {
  const tooLarge = () =>
    new FetchRefused(`${describeUrl(url.href)} sent more than the ${maxBytes}-byte limit`)
  const declared = Number(response.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy()
    return Promise.reject(tooLarge())
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    response.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        response.destroy(tooLarge())
        return
      }
      chunks.push(chunk)
    })
    response.once('error', reject)
    response.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
  })
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * Whether a later try may succeed: a refusal says so itself (an answer of 5xx, 429 or 408);
 * a timeout or a network error (refused, reset, no such host) may pass; a guard never will.
 */
function isRetryable(error: unknown): boolean {
  if (error instanceof FetchRefused) return error.retryable
  if (error instanceof Error && error.cause instanceof FetchRefused) return error.cause.retryable
  return true
}

function failureReason(error: unknown, url: string, options: SafeFetcherOptions): string {
  if (error instanceof FetchRefused) return error.message
  if (error instanceof Error && error.name === 'AbortError')
    return `${describeUrl(url)} did not answer completely within ${options.timeoutMs / 1000} s`
  if (error instanceof Error && error.cause instanceof FetchRefused) return error.cause.message
  const code = (error as { code?: string }).code
  const what = code ?? (error instanceof Error ? error.message : String(error))
  return `could not fetch ${describeUrl(url)}: ${what}`
}

/** A URL fit for messages and logs: no credentials, no query string. */
export function describeUrl(text: string): string {
  try {
    const url = new URL(text)
    return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`
  } catch {
    return 'the URL'
  }
}
