import type { CompiledQuery, Compilable } from '#kysely'
import type { Db } from './database.js'

/** Marks where a parameter went while a query is compiled for the first time. */
class StandIn {
  constructor(readonly index: number) {}
}

interface Compiled<R> {
  query: CompiledQuery<R>
  /** For each of the compiled query's parameters, the call's parameter it takes, if any. */
  sources: (number | undefined)[]
}

/**
 * A query that never changes but for its parameters, compiled once for each kind of
 * database instead of on every call. Kysely builds and compiles a query's tree each time
 * it runs (4-13 µs), which for the small indexed reads behind a story page is more than
 * SQLite takes to answer them.
 *
 * `build` is first called with stand-ins for its parameters, so it must pass each one into
 * the query as a plain value and nothing more: no branching on it, no arithmetic, no lists.
 * A parameter that does not reach the compiled query is refused at the first call.
 */
export function compiledOnce<P extends unknown[], R>(
  build: (db: Db, ...params: P) => Compilable<R>,
): (db: Db, ...params: P) => Promise<R[]> {
  // Keyed by the dialect's adapter, which a database shares with its transactions. It is
  // also shared by withPlugin() and withSchema() copies, whose SQL differs and whose plugins
  // expect to see every query: theirs are compiled on every call, as Kysely does.
  const compiled = new WeakMap<object, Compiled<R>>()
  return async (db, ...params) => {
    const { adapter, plugins } = db.getExecutor()
    if (plugins.length > 0) return (await db.executeQuery(build(db, ...params))).rows
    let entry = compiled.get(adapter)
    if (!entry) {
      entry = compile(db, build, params.length)
      compiled.set(adapter, entry)
    }
    const { query, sources } = entry
    const parameters = query.parameters.map((value, i) => {
      const source = sources[i]
      return source === undefined ? value : params[source]
    })
    const result = await db.executeQuery<R>({ ...query, parameters })
    return result.rows
  }
}

function compile<P extends unknown[], R>(
  db: Db,
  build: (db: Db, ...params: P) => Compilable<R>,
  count: number,
): Compiled<R> {
  const standIns = Array.from({ length: count }, (_, i) => new StandIn(i))
  const query = build(db, ...(standIns as unknown as P)).compile()
  const sources = query.parameters.map((value) => (value instanceof StandIn ? value.index : undefined))
  const missing = standIns.filter((s) => !sources.includes(s.index))
  if (missing.length > 0) {
    throw new Error(
      `compiledOnce: parameter ${missing.map((s) => s.index + 1).join(', ')} of ${count} does not reach the query as a value: ${query.sql}`,
    )
  }
  return { query, sources }
}
