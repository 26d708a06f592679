import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import path from 'node:path'
import pg from 'pg'
import { PageCache } from '../src/http/plugins/page-cache.js'

/** A free TCP port on loopback: loadConfig refuses PORT=0, so the bench asks the OS first. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface BenchDatabase {
  url: string
  drop(): Promise<void>
}

/** A database of the bench's own on the given PostgreSQL server, dropped again by drop(). */
export async function createPostgresDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `dateline_bench_${process.pid}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

export interface FetchedPage {
  body: Buffer
  contentType: string
  etag: string
}

export async function fetchPage(origin: string, pagePath: string): Promise<FetchedPage> {
  const response = await fetch(origin + pagePath)
  const body = Buffer.from(await response.arrayBuffer())
  if (response.status !== 200) throw new Error(`GET ${pagePath} answered ${response.status}, expected 200`)
  return {
    body,
    contentType: response.headers.get('content-type') ?? 'text/html',
    etag: response.headers.get('etag') ?? '',
  }
}

/** How many pages the page cache keeps, up to `limit`. */
export function pageCacheCapacity(limit: number): number {
  return Math.min(limit, new PageCache(Number.POSITIVE_INFINITY).capacity)
}

export function autocannonVersion(): string {
  const entry = createRequire(import.meta.url).resolve('autocannon')
  const manifest = JSON.parse(readFileSync(path.join(path.dirname(entry), 'package.json'), 'utf8')) as {
    version?: string
  }
  return manifest.version ?? 'unknown'
}
