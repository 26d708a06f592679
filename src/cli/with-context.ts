import { loadConfig } from '../config/load-config.js'
import { createContext, type AppContext } from '../main/context.js'
import type { CliIo } from './commands.js'

/** Runs a command's work with a context made from its configuration, closed whatever happens. */
export async function withContext<T>(io: CliIo, work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await createContext(loadConfig(io.env, io.cwd))
  try {
    return await work(ctx)
  } finally {
    await ctx.close()
  }
}
