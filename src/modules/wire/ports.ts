/** What the wire module asks of the outside world; main/ wires the adapters in. */
import type { ParsedDocument, WireLimits } from './parse-wire-document.js'
import type { WireFormat } from './wire-item.js'

export interface FetchRequest {
  url: string
  /** Fetch from loopback, private and link-local addresses too (a source on the newsroom's own network). */
  allowPrivateNetwork: boolean
  /** Validators from the last fetch, sent as If-None-Match and If-Modified-Since. */
  etag?: string | undefined
  lastModified?: string | undefined
}

export type FetchResult =
  | {
      status: 'fetched'
      bytes: Uint8Array
      etag: string | undefined
      lastModified: string | undefined
    }
  /** The server says the document is unchanged since the validators sent (304). */
  | { status: 'not-modified' }
  /**
   * Refused or failed, with a reason fit for an admin to read (never the query string).
   * `retryable` when trying again later may succeed: no answer, a timeout, a 5xx, 429 or 408.
   */
  | { status: 'failed'; reason: string; retryable?: boolean }

/**
 * Fetches one document over HTTP(S) for feed polling and `dateline ingest <url>`, or one
 * picture for a wire item's hero (an instance with the image size limit). The adapter
 * keeps the guards: address rules, redirects, size and time limits.
 */
export interface DocumentFetcher {
  fetch(request: FetchRequest): Promise<FetchResult>
}

/** A picture read from beside a delivered file, or why it could not be. */
export type PictureRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: string }

/**
 * Reads a picture an item names by a path relative to its delivered file (folder and FTP
 * drops put the pictures beside the document). The edge that read the file supplies it and
 * keeps the guards: only inside that file's folder, no `..`, no absolute path, no symlink
 * leading out, and the image size limit.
 */
export type PictureFileReader = (relativePath: string) => Promise<PictureRead>

/**
 * Parses documents off the thread that writes (`dateline ingest` brings a pool of worker
 * threads, src/adapters/wire-parser), so a batch is parsed while the one before it is stored. It answers exactly what
 * parseWireDocument answers on this thread for the same bytes and options: the same items,
 * their bodies sanitised, and the same refusals with the same reasons.
 */
export interface DocumentParser {
  parse(bytes: Uint8Array, options: ParseOptions): Promise<ParsedDocument>
  /**
   * Reads a delivered file where it parses it, so the thread that writes neither reads nor
   * copies its bytes. Over `limits.maxBytes` only its first OVERSIZE_PREFIX_BYTES are read
   * and nothing is parsed (`parsed` is undefined): the caller refuses it as too large.
   */
  parseFile(file: string, options: ParseOptions): Promise<ReadDocument>
}

export interface ParseOptions {
  expect: WireFormat | undefined
  limits: WireLimits
}

/** A delivered file as read (all of it, or its start when over the limit), parsed when within it. */
export interface ReadDocument {
  bytes: Uint8Array
  originalSize: number
  parsed: ParsedDocument | undefined
}
