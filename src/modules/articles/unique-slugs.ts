import type { Db } from '../../platform/database.js'
import { randomShortCode } from '../../platform/ids.js'
import { findTakenShortCodes, findTakenSlugs, lockSlugBases } from './article-queries.js'

/** The n-th slug tried for a base: "storm", then "storm-2", "storm-3" … */
function candidate(base: string, n: number): string {
  return n === 1 ? base : `${base.slice(0, 75)}-${n}`
}

/**
 * A free slug for each base, in order: the lowest free candidate, as if the stories were
 * created one after another (two "storm" in one batch get "storm" and "storm-2"). Free
 * means no story has it now or had it (its old slugs redirect); `exceptArticleId`'s own
 * slugs do not count. Usually one query, however many bases.
 */
export async function uniqueSlugs(
  deps: { dialect: 'sqlite' | 'postgres' },
  trx: Db,
  bases: readonly string[],
  exceptArticleId?: number,
): Promise<string[]> {
  await lockSlugBases(trx, bases, deps.dialect)
  const chosen: (string | undefined)[] = bases.map(() => undefined)
  const assigned = new Set<string>()
  const nextTry = new Map<string, number>()
  for (;;) {
    const waiting = new Map<string, number[]>()
    bases.forEach((base, i) => {
      if (chosen[i] === undefined) waiting.set(base, [...(waiting.get(base) ?? []), i])
    })
    if (waiting.size === 0) return chosen as string[]
    // As many candidates per base as stories still waiting for it: enough when none is taken.
    const tries = [...waiting].map(([base, waits]) => {
      const from = nextTry.get(base) ?? 1
      nextTry.set(base, from + waits.length)
      return { waits, slugs: waits.map((_, k) => candidate(base, from + k)) }
    })
    const taken = await findTakenSlugs(trx, [...new Set(tries.flatMap((t) => t.slugs))], exceptArticleId)
    for (const { waits, slugs } of tries) {
      const free = slugs.filter((slug) => !taken.has(slug) && !assigned.has(slug))
      for (const slug of free) {
        const i = waits.shift()
        if (i === undefined) break
        chosen[i] = slug
        assigned.add(slug)
      }
    }
  }
}

/** `count` distinct short codes no story has: drawn at random, checked in one query, collisions drawn again. */
export async function uniqueShortCodes(trx: Db, count: number): Promise<string[]> {
  const codes = new Set<string>()
  while (codes.size < count) {
    const drawn = new Set<string>()
    while (drawn.size < count - codes.size) {
      const code = randomShortCode()
      if (!codes.has(code)) drawn.add(code)
    }
    const taken = await findTakenShortCodes(trx, [...drawn])
    for (const code of drawn) if (!taken.has(code)) codes.add(code)
  }
  return [...codes]
}
