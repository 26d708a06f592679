/** Wire ingest: agency copy in (ninjs, NewsML-G2, RSS, Atom), versioned, deduplicated, nothing lost. */
export type { PictureCandidate, WireFormat, WireItem } from './wire-item.js'
export { WIRE_FORMATS } from './wire-item.js'
export type {
  IngestOutcome,
  IngestStatus,
  PollState,
  QuarantineEntry,
  WirePolicy,
  WireSource,
} from './wire-source.js'
export { WIRE_POLICIES } from './wire-source.js'
export {
  DEFAULT_WIRE_LIMITS,
  OVERSIZE_PREFIX_BYTES,
  isDocumentFileName,
  parseWireDocument,
  type ParsedDocument,
  type WireLimits,
} from './parse-wire-document.js'
export { ingestDocument, type FileToIngest, type IngestInput, type WireDeps } from './wire-service.js'
export { DEFAULT_BATCH_ITEMS, ingestStream, type IngestStreamOptions } from './ingest-stream.js'
export {
  createSource,
  DEFAULT_POLL_INTERVAL_SECONDS,
  findSourceByToken,
  getSourceByName,
  redactUrl,
  updateSource,
  watchFolderPath,
  watchRootFor,
  type CreateSourceInput,
  type SourceDeps,
  type UpdateSourceInput,
} from './wire-source-service.js'
export {
  countQuarantine,
  findQuarantinedBytes,
  findSourceById,
  findSourceByName,
  listQuarantine,
  listSources,
} from './wire-queries.js'
export type {
  DocumentFetcher,
  DocumentParser,
  ParseOptions,
  ReadDocument,
  FetchRequest,
  FetchResult,
  PictureFileReader,
  PictureRead,
} from './ports.js'
export { WIRE_PICTURE_JOB, type PictureJobPayload } from './take-picture.js'
export {
  landPicture,
  PICTURE_FETCH_ATTEMPTS,
  type PictureJobDeps,
  type PictureLanding,
} from './land-picture.js'
export { pollDueSources, pollDelaySeconds, type PollDeps, type PollReport } from './feed-polling.js'
export { listWatchedSourceIds } from './source-intake-queries.js'
export {
  closeQuarantined,
  getQuarantineEntry,
  rerunQuarantined,
  type RerunInput,
  type RerunResult,
} from './quarantine-service.js'
export {
  acceptHeldVersion,
  dismissHeldVersion,
  getHeldVersion,
  type HeldComparison,
  type ReviewInput,
} from './wire-review.js'
export { keepWireFingerprints } from './keep-wire-fingerprints.js'
export { listHeldVersions, type HeldVersion, type HeldVersionSummary } from './wire-review-queries.js'
