import { parseArgs, type ParseArgsConfig } from 'node:util'
import { AppError } from '../platform/app-error.js'

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>
  positionals: string[]
}

/** node:util parseArgs with our error: an unknown flag names itself in one line. */
export function parseCommandArgs(
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
): ParsedArgs {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    })
    return { values: parsed.values, positionals: parsed.positionals }
  } catch (error) {
    throw new AppError('INVALID_INPUT', error instanceof Error ? error.message : String(error))
  }
}

export function stringArg(values: ParsedArgs['values'], name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' ? value : undefined
}

/** Every value of a flag given `multiple: true`, or undefined when it was not given. */
export function stringListArg(values: ParsedArgs['values'], name: string): string[] | undefined {
  const value = values[name]
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : undefined
}
