/**
 * Lets expensive work take turns in the order it asked, one piece per pass of the event
 * loop, with a look at the network between pieces.
 *
 * Node answers every request that one poll of the network finds before polling again, so
 * under load requests are served in batches. A request whose answer leaves near the end
 * of a batch sends its next request too late for the next batch and waits a whole batch
 * more: with ten busy connections about one request in ten waited twice as long as the
 * rest. Taken in turns, work is done in the order it arrived, whichever poll found it.
 */
export class Turns {
  private readonly waiting: (() => void)[] = []
  private scheduled = false

  /**
   * Resolves when it is this caller's turn. Work that waits for no I/O (a page built from
   * SQLite) finishes before the next turn starts; work that does (PostgreSQL's round trips)
   * only starts in order, and the next turn starts at the next pass.
   */
  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve)
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    // Immediates scheduled while immediates run wait for the next pass, after its poll.
    setImmediate(this.next)
  }

  private readonly next = (): void => {
    this.scheduled = false
    const resolve = this.waiting.shift()
    if (this.waiting.length > 0) this.schedule()
    resolve?.()
  }
}
