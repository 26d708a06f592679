import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

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

export function hasSqlmap(): boolean {
  const probe = spawnSync('sqlmap', ['--version'], { stdio: 'ignore' })
  return requireTool(probe.status === 0, 'sqlmap (apt-get install sqlmap)')
}

/**
 * sqlmap's verdict on one URL at its default level and risk: the lines where it says a
 * parameter is injectable, or none. Run as a child process that does not block this one,
 * since the server under test answers from this process.
 */
export async function sqlmapFindings(
  url: string,
  headers: string[] = [],
): Promise<{ injectable: string[]; log: string }> {
  const outputDir = mkdtempSync(path.join(tmpdir(), 'dateline-sqlmap-'))
  try {
    const child = spawn(
      'sqlmap',
      [
        '-u',
        url,
        '--batch',
        '--disable-coloring',
        `--output-dir=${outputDir}`,
        ...headers.flatMap((h) => ['-H', h]),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let log = ''
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
    await new Promise((resolve) => child.on('close', resolve))
    const injectable = log
      .split('\n')
      .filter((line) => /is vulnerable|appears to be .* injectable|' is '.*' injectable/.test(line))
    return { injectable, log }
  } finally {
    rmSync(outputDir, { recursive: true, force: true })
  }
}
