/** The logging port; Fastify's pino logger satisfies it. */
export interface Logger {
  info(obj: object | string, msg?: string): void
  warn(obj: object | string, msg?: string): void
  error(obj: object | string, msg?: string): void
  debug(obj: object | string, msg?: string): void
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} }

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const

/**
 * One JSON line per entry on stdout, in the shape Fastify's pino writes (level, time, pid,
 * msg), for a process without an HTTP server of its own: the supervisor of HTTP workers.
 */
export function lineLogger(
  level: keyof typeof LEVELS,
  write = (line: string) => process.stdout.write(line),
): Logger {
  const entry = (at: number) => (obj: object | string, msg?: string) => {
    if (at < LEVELS[level]) return
    const fields = typeof obj === 'string' ? { msg: obj } : { ...errorFields(obj), ...(msg && { msg }) }
    write(`${JSON.stringify({ level: at, time: Date.now(), pid: process.pid, ...fields })}\n`)
  }
  return {
    debug: entry(LEVELS.debug),
    info: entry(LEVELS.info),
    warn: entry(LEVELS.warn),
    error: entry(LEVELS.error),
  }
}

/** An `err` field as pino serialises it: an Error's own properties are not enumerable. */
function errorFields(obj: object): object {
  const { err } = obj as { err?: unknown }
  if (!(err instanceof Error)) return obj
  return { ...obj, err: { type: err.name, message: err.message, stack: err.stack } }
}
