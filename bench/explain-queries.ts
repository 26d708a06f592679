import { CompiledQuery, type Kysely } from '#kysely'
import type { Database } from '../src/platform/database.js'

/** Tables that grow with the archive; a full scan of one of these is a finding. */
const GROWING_TABLES = [
  'article',
  'article_topic',
  'article_author',
  'article_slug',
  'article_revision',
  'article_correction',
  'media',
  'event',
]

export interface QueryPlan {
  sql: string
  plan: string[]
  /** Full scans of growing tables that hold many rows, and sorts of many articles. */
  problems: string[]
  /** Full scans the planner rightly chose because the table is nearly empty here. */
  notes: string[]
  /** Mean time to run the query through Kysely's driver, idle server, in microseconds. */
  microsPerRun: number
}

const TIMED_RUNS = 300
const SMALL_TABLE_ROWS = 1000

function isPageRead(sql: string): boolean {
  return /^\s*select\b/i.test(sql) && !/\bfrom "(event|job)"/i.test(sql)
}

async function countRows(db: Kysely<Database>, table: string): Promise<number> {
  const result = await db.executeQuery<{ rows: number | string }>(
    CompiledQuery.raw(`select count(*) as rows from "${table}"`, []),
  )
  return Number(result.rows[0]?.rows ?? 0)
}

/**
 * Records the reads the server sends while `work` runs, by wrapping the executor the
 * server's Kysely instance hands to each query builder (page reads run outside
 * transactions, so they all pass through it). Background work that happens to run in
 * the same moment, the event tail and the job runner, is left out.
 */
export async function captureQueries(
  db: Kysely<Database>,
  work: () => Promise<void>,
): Promise<CompiledQuery[]> {
  const executor = db.getExecutor()
  const original = executor.executeQuery.bind(executor)
  const seen: CompiledQuery[] = []
  executor.executeQuery = (query) => {
    if (isPageRead(query.sql)) seen.push(query)
    return original(query)
  }
  try {
    await work()
  } finally {
    executor.executeQuery = original
  }
  return seen
}

/**
 * Asks the database how it runs each distinct query, with the parameters it really got,
 * and times a few hundred runs of it (already compiled, so Kysely's query building is
 * not included).
 */
export async function explainQueries(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  queries: readonly CompiledQuery[],
): Promise<QueryPlan[]> {
  const distinct = [...new Map(queries.map((q) => [q.sql, q])).values()]
  const plans: QueryPlan[] = []
  for (const query of distinct) {
    const prefix = dialect === 'sqlite' ? 'explain query plan ' : 'explain (analyze, costs off, timing off) '
    const result = await db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(prefix + query.sql, [...query.parameters]),
    )
    const plan = result.rows.map((row) => String(dialect === 'sqlite' ? row['detail'] : row['QUERY PLAN']))
    const problems: string[] = []
    const notes: string[] = []
    for (const finding of findProblems(dialect, plan)) {
      // A planner rightly scans a table of a few rows (the bench has no corrections or events).
      const rows = finding.table ? await countRows(db, finding.table) : Number.POSITIVE_INFINITY
      if (rows > SMALL_TABLE_ROWS) problems.push(finding.text)
      else notes.push(`${finding.text}, ${rows} rows: fine at this size`)
    }
    const started = performance.now()
    for (let i = 0; i < TIMED_RUNS; i++) await db.executeQuery(query)
    const microsPerRun = ((performance.now() - started) * 1000) / TIMED_RUNS
    plans.push({ sql: query.sql, plan, problems, notes, microsPerRun })
  }
  return plans
}

interface Finding {
  text: string
  table?: string
}

function findProblems(dialect: 'sqlite' | 'postgres', plan: readonly string[]): Finding[] {
  const findings: Finding[] = []
  for (const line of plan) {
    const scan =
      dialect === 'sqlite' ? /^SCAN (\w+)(?! USING)/.exec(line.trim()) : /Seq Scan on (\w+)/.exec(line)
    const table = scan?.[1]
    if (table && GROWING_TABLES.includes(table)) findings.push({ text: `full scan of ${table}`, table })
    if (
      dialect === 'sqlite' &&
      /USE TEMP B-TREE FOR ORDER BY/.test(line) &&
      plan.some((l) => /\barticle\b/.test(l))
    )
      findings.push({ text: 'articles sorted without an index' })
  }
  return findings
}

export function formatPlans(plans: readonly QueryPlan[]): string {
  return plans
    .map((p, i) => {
      const sql = p.sql.replace(/\s+/g, ' ')
      const notes = p.notes.length > 0 ? ` (${p.notes.join('; ')})` : ''
      const verdict = p.problems.length > 0 ? `CHECK: ${p.problems.join(', ')}` : 'ok: indexed or tiny table'
      return [
        `  ${i + 1}. ${sql.length > 150 ? `${sql.slice(0, 147)}...` : sql}`,
        ...p.plan.map((line) => `       ${line}`),
        `     -> ${verdict}${notes}; ${p.microsPerRun.toFixed(0)} µs per run`,
      ].join('\n')
    })
    .join('\n')
}
