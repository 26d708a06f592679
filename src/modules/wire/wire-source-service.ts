import { createHash } from 'node:crypto'
import { AppError, assertNoProblems, type FieldProblem } from '../../platform/app-error.js'
import { randomSecret } from '../../platform/ids.js'
import { cleanText } from '../../platform/text.js'
import { findSectionBySlug } from '../taxonomy/index.js'
import { WIRE_FORMATS, type WireFormat } from './wire-item.js'
import { findSourceByName, findSourceByTokenHash, insertSource } from './wire-queries.js'
import { WIRE_POLICIES, type WirePolicy, type WireSource } from './wire-source.js'
import type { WireDeps } from './wire-service.js'

export interface CreateSourceInput {
  name: string
  format?: string | undefined
  credit?: string | undefined
  /** Section slug new stories are filed in. */
  section?: string | undefined
  policy?: string | undefined
  /** Issue a token for HTTP push; it is returned once and only its hash is kept. */
  push?: boolean | undefined
}

const SOURCE_NAME = /^[a-z0-9][a-z0-9_.-]{0,59}$/i

/** Adds a wire source. Names are short handles ("reuters-world") used by the CLI and logs. */
export async function createSource(
  deps: Pick<WireDeps, 'db' | 'clock'>,
  input: CreateSourceInput,
): Promise<{ source: WireSource; token?: string }> {
  const problems: FieldProblem[] = []
  if (!SOURCE_NAME.test(input.name))
    problems.push({ field: 'name', message: 'must be 1-60 letters, digits, dots, dashes or underscores' })
  const format = input.format ?? 'auto'
  if (format !== 'auto' && !(WIRE_FORMATS as readonly string[]).includes(format))
    problems.push({ field: 'format', message: `must be auto, ${WIRE_FORMATS.join(', ')}` })
  const policy = input.policy ?? 'queue'
  if (!(WIRE_POLICIES as readonly string[]).includes(policy))
    problems.push({ field: 'policy', message: `must be ${WIRE_POLICIES.join(' or ')}` })
  const credit = cleanText(input.credit ?? '')
  if (credit.length > 120) problems.push({ field: 'credit', message: 'must be at most 120 characters' })
  const section = input.section === undefined ? undefined : await findSectionBySlug(deps.db, input.section)
  if (input.section !== undefined && !section)
    problems.push({ field: 'section', message: `unknown section "${input.section}"` })
  assertNoProblems(problems)

  if (await findSourceByName(deps.db, input.name))
    throw new AppError('CONFLICT', `a wire source named "${input.name}" exists`)
  const token = input.push ? `dlw_${randomSecret()}` : undefined
  await insertSource(deps.db, {
    name: input.name,
    format: format as WireFormat | 'auto',
    credit,
    default_section_id: section?.id ?? null,
    policy: policy as WirePolicy,
    token_hash: token === undefined ? null : hashPushToken(token),
    created_at: deps.clock.now(),
  })
  const source = (await findSourceByName(deps.db, input.name))!
  return token === undefined ? { source } : { source, token }
}

/** The source a push token belongs to; undefined for an unknown token. */
export function findSourceByToken(
  deps: Pick<WireDeps, 'db'>,
  token: string,
): Promise<WireSource | undefined> {
  return findSourceByTokenHash(deps.db, hashPushToken(token))
}

/** The source of that name, or NOT_FOUND naming it. */
export async function getSourceByName(deps: Pick<WireDeps, 'db'>, name: string): Promise<WireSource> {
  const source = await findSourceByName(deps.db, name)
  if (!source) throw new AppError('NOT_FOUND', `no wire source named "${name}"`)
  return source
}

function hashPushToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}
