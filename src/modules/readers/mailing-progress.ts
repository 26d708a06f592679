/**
 * What a block job has finished (sent, skipped or refused for good): every reader up to
 * `doneThrough`, and those above it in `doneAbove` (sends finish out of order).
 */
export interface MailingProgress {
  doneThrough: number
  doneAbove: number[]
}

/**
 * Keeps a block's progress over `order` (its reader ids, ascending) and saves it as it
 * moves: one save at a time, the next one carrying everything finished meanwhile, so a
 * burst of sends costs a write or two rather than one each.
 */
export function progressTracker(
  order: number[],
  start: MailingProgress,
  save: (progress: MailingProgress) => Promise<void>,
) {
  let through = start.doneThrough
  const above = new Set(start.doneAbove)
  let next = 0
  let saving: Promise<void> | undefined
  let dirty = false
  let saveError: Error | undefined

  const advance = () => {
    while (next < order.length) {
      const id = order[next]!
      if (id > through && !above.has(id)) break
      if (id > through) through = id
      above.delete(id)
      next += 1
    }
  }
  const snapshot = (): MailingProgress => ({
    doneThrough: through,
    doneAbove: [...above].filter((id) => id > through).sort((a, b) => a - b),
  })
  const flush = () => {
    if (saving) {
      dirty = true
      return
    }
    dirty = false
    saving = save(snapshot())
      .catch((error: unknown) => {
        saveError ??= error instanceof Error ? error : new Error(String(error))
      })
      .finally(() => {
        saving = undefined
        if (dirty) flush()
      })
  }
  advance()
  return {
    isDone: (id: number) => id <= through || above.has(id),
    finish: (id: number) => {
      above.add(id)
      advance()
      flush()
    },
    /** Waits for the last save; throws if any failed, so the job is retried from what was saved. */
    async saved() {
      while (saving) await saving
      if (saveError !== undefined) throw saveError
    },
  }
}
