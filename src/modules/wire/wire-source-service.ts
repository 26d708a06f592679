import path from 'node:path'
import type { Updateable } from '#kysely'
import { AppError, assertNoProblems, type FieldProblem } from '../../platform/app-error.js'
import type { WireSourceTable } from '../../platform/database.js'
import { hashSecret, randomSecret } from '../../platform/ids.js'
import { cleanText } from '../../platform/text.js'
import { findSectionBySlug } from '../taxonomy/index.js'
import { updateSourceRow } from './source-intake-queries.js'
import { WIRE_FORMATS, type WireFormat } from './wire-item.js'
import { findSourceByName, findSourceByTokenHash, insertSource } from './wire-queries.js'
import { WIRE_POLICIES, type WirePolicy, type WireSource } from './wire-source.js'
import type { WireDeps } from './wire-service.js'

export interface SourceFieldsInput {
  format?: string | undefined
  credit?: string | undefined
  /** Section slug new stories are filed in. */
  section?: string | undefined
  policy?: string | undefined
  /** An http(s) feed to poll; null (on update) stops polling. */
  feedUrl?: string | null | undefined
  pollIntervalSeconds?: number | undefined
  allowPrivateNetwork?: boolean | undefined
  /** A folder under the watch root, relative to it; null (on update) stops watching. */
  watchFolder?: string | null | undefined
}

export interface CreateSourceInput extends SourceFieldsInput {
  name: string
  /** Issue a token for HTTP push; it is returned once and only its hash is kept. */
  push?: boolean | undefined
}

export interface UpdateSourceInput extends SourceFieldsInput {
  /** true issues a new push token (returned once, the old one stops working); false removes push. */
  push?: boolean | undefined
}

/** What creating or changing a source needs; watch folders live under `watchRoot`. */
export type SourceDeps = Pick<WireDeps, 'db' | 'clock'> & { watchRoot?: string | undefined }

export const DEFAULT_POLL_INTERVAL_SECONDS = 300
export const MIN_POLL_INTERVAL_SECONDS = 10
export const MAX_POLL_INTERVAL_SECONDS = 86_400

const SOURCE_NAME = /^[a-z0-9][a-z0-9_.-]{0,59}$/i

/** Adds a wire source. Names are short handles ("reuters-world") used by the CLI and logs. */
export async function createSource(
  deps: SourceDeps,
  input: CreateSourceInput,
): Promise<{ source: WireSource; token?: string }> {
  const problems: FieldProblem[] = []
  if (!SOURCE_NAME.test(input.name))
    problems.push({ field: 'name', message: 'must be 1-60 letters, digits, dots, dashes or underscores' })
  const fields = await checkFields(deps, input, problems)
  assertNoProblems(problems)

  if (await findSourceByName(deps.db, input.name))
    throw new AppError('CONFLICT', `a wire source named "${input.name}" exists`)
  const token = input.push ? `dlw_${randomSecret()}` : undefined
  await insertSource(deps.db, {
    name: input.name,
    format: 'auto',
    credit: '',
    default_section_id: null,
    policy: 'queue',
    ...fields,
    token_hash: token === undefined ? null : hashSecret(token),
    created_at: deps.clock.now(),
  })
  const source = (await findSourceByName(deps.db, input.name))!
  return token === undefined ? { source } : { source, token }
}

/**
 * Changes a source; fields left out stay as they are. A new feed URL is polled at once,
 * without the old feed's validators or failures.
 */
export async function updateSource(
  deps: SourceDeps,
  name: string,
  input: UpdateSourceInput,
): Promise<{ source: WireSource; token?: string }> {
  const current = await getSourceByName(deps, name)
  const problems: FieldProblem[] = []
  const fields = await checkFields(deps, input, problems)
  assertNoProblems(problems)
  const token = input.push === true ? `dlw_${randomSecret()}` : undefined
  const values: Updateable<WireSourceTable> = { ...fields }
  if (input.push !== undefined) values.token_hash = token === undefined ? null : hashSecret(token)
  if (fields.feed_url !== undefined && fields.feed_url !== current.feedUrl) {
    Object.assign(values, {
      poll_etag: null,
      poll_last_modified: null,
      poll_content_hash: null,
      poll_failures: 0,
      poll_last_error: null,
    })
  }
  await updateSourceRow(deps.db, current.id, values)
  const source = await getSourceByName(deps, name)
  return token === undefined ? { source } : { source, token }
}

type CheckedFields = Pick<
  Updateable<WireSourceTable>,
  | 'format'
  | 'credit'
  | 'default_section_id'
  | 'policy'
  | 'feed_url'
  | 'poll_interval_seconds'
  | 'allow_private_network'
  | 'watch_folder'
  | 'next_poll_at'
>

/** Validates the fields given, naming each bad one, and returns their column values. */
async function checkFields(
  deps: SourceDeps,
  input: SourceFieldsInput,
  problems: FieldProblem[],
): Promise<CheckedFields> {
  const fields: CheckedFields = {}
  if (input.format !== undefined) {
    if (input.format !== 'auto' && !(WIRE_FORMATS as readonly string[]).includes(input.format))
      problems.push({ field: 'format', message: `must be auto, ${WIRE_FORMATS.join(', ')}` })
    else fields.format = input.format as WireFormat | 'auto'
  }
  if (input.policy !== undefined) {
    if (!(WIRE_POLICIES as readonly string[]).includes(input.policy))
      problems.push({ field: 'policy', message: `must be ${WIRE_POLICIES.join(' or ')}` })
    else fields.policy = input.policy as WirePolicy
  }
  if (input.credit !== undefined) {
    const credit = cleanText(input.credit)
    if (credit.length > 120) problems.push({ field: 'credit', message: 'must be at most 120 characters' })
    else fields.credit = credit
  }
  if (input.section !== undefined) {
    const section = await findSectionBySlug(deps.db, input.section)
    if (!section) problems.push({ field: 'section', message: `unknown section "${input.section}"` })
    else fields.default_section_id = section.id
  }
  if (input.feedUrl !== undefined) {
    const problem = input.feedUrl === null ? undefined : feedUrlProblem(input.feedUrl)
    if (problem) problems.push({ field: 'feedUrl', message: problem })
    else {
      fields.feed_url = input.feedUrl
      fields.next_poll_at = input.feedUrl === null ? null : deps.clock.now()
    }
  }
  const interval = input.pollIntervalSeconds
  if (interval !== undefined) {
    if (
      !Number.isInteger(interval) ||
      interval < MIN_POLL_INTERVAL_SECONDS ||
      interval > MAX_POLL_INTERVAL_SECONDS
    )
      problems.push({
        field: 'pollIntervalSeconds',
        message: `must be a whole number of seconds from ${MIN_POLL_INTERVAL_SECONDS} to ${MAX_POLL_INTERVAL_SECONDS}`,
      })
    else fields.poll_interval_seconds = interval
  }
  if (input.allowPrivateNetwork !== undefined)
    fields.allow_private_network = input.allowPrivateNetwork ? 1 : 0
  if (input.watchFolder !== undefined) {
    const folder = input.watchFolder === null ? null : watchFolderOf(deps.watchRoot, input.watchFolder)
    if (folder && 'problem' in folder) problems.push({ field: 'watchFolder', message: folder.problem })
    else fields.watch_folder = folder?.relative ?? null
  }
  return fields
}

function feedUrlProblem(text: string): string | undefined {
  if (text.length > 2000) return 'must be at most 2000 characters'
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'must be an absolute http or https URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL'
  return undefined
}

/**
 * Watch folders must lie under the watch root (DATELINE_DATA_DIR/incoming), so an admin
 * API call cannot point the server at any folder on the machine. Stored relative to it.
 */
function watchFolderOf(root: string | undefined, folder: string): { relative: string } | { problem: string } {
  if (root === undefined) return { problem: 'watch folders are not available here' }
  const absolute = path.resolve(root, folder)
  const relative = path.relative(root, absolute)
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
    return { problem: `must be a folder inside ${root}` }
  if (relative.split(path.sep).some((part) => part.startsWith('.')))
    return { problem: 'must not be or lie in a hidden folder' }
  return { relative }
}

/** Where every watch folder lives: DATELINE_DATA_DIR/incoming. */
export function watchRootFor(dataDir: string): string {
  return path.join(dataDir, 'incoming')
}

/** The absolute path of a source's watch folder. */
export function watchFolderPath(root: string, folder: string): string {
  return path.resolve(root, folder)
}

/** The source a push token belongs to; undefined for an unknown token. */
export function findSourceByToken(
  deps: Pick<WireDeps, 'db'>,
  token: string,
): Promise<WireSource | undefined> {
  return findSourceByTokenHash(deps.db, hashSecret(token))
}

/** The source of that name, or NOT_FOUND naming it. */
export async function getSourceByName(deps: Pick<WireDeps, 'db'>, name: string): Promise<WireSource> {
  const source = await findSourceByName(deps.db, name)
  if (!source) throw new AppError('NOT_FOUND', `no wire source named "${name}"`)
  return source
}

/** A feed URL fit to show: credentials and query values hidden, since agencies put keys there. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text)
    const auth = url.username ? `${url.username}:***@` : ''
    const query = url.search ? '?…' : ''
    return `${url.protocol}//${auth}${url.host}${url.pathname}${query}`
  } catch {
    return '(invalid URL)'
  }
}
