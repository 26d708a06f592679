import { spawnSync } from 'node:child_process'

export const IN_CI = process.env['CI'] === 'true' || process.env['CI'] === '1'

/**
 * Whether a prerequisite is present. Outside CI its absence skips the suite with one
 * line saying why; in CI it is a failure, like PostgreSQL in test/support/dialects.ts.
 */
export function requireTool(present: boolean, what: string): boolean {
  if (present) return true
  if (IN_CI) throw new Error(`${what} is required in CI but is missing`)
  console.log(`# ${what} is missing: the tests that need it skip on this machine`)
  return false
}

/** Debian's feedparser (python3-feedparser): an RSS and Atom reader no one here wrote. */
export function hasFeedparser(): boolean {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import feedparser'], { stdio: 'ignore' })
  return requireTool(probe.status === 0, 'feedparser (apt-get install python3-feedparser)')
}

export function hasXmllint(): boolean {
  const probe = spawnSync('xmllint', ['--version'], { stdio: 'ignore' })
  return requireTool(probe.status === 0, 'xmllint (apt-get install libxml2-utils)')
}

export interface ParsedFeed {
  version: string
  bozo: boolean
  bozoReason: string
  entries: { title: string; link: string; id: string; content: string; summary: string; tags: string[] }[]
}

/** A feed as feedparser reads it: its format, whether it is well-formed (bozo), its entries. */
export function feedparser(feedText: string): ParsedFeed {
  const script = `
import feedparser, json, sys
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
  "version": d.version, "bozo": bool(d.bozo), "bozoReason": str(d.get("bozo_exception", "")),
  "entries": [{"title": e.get("title", ""), "link": e.get("link", ""), "id": e.get("id", ""),
    "content": (e.get("content") or [{}])[0].get("value", ""), "summary": e.get("summary", ""),
    "tags": [t.get("term", "") for t in e.get("tags", [])]} for e in d.entries]}))
`
  const run = spawnSync('/usr/bin/python3', ['-c', script], { input: feedText, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`feedparser failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as ParsedFeed
}
