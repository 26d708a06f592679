import { existsSync } from 'node:fs'
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  findSourceById,
  isDocumentFileName,
  listWatchedSourceIds,
  watchFolderPath,
  type IngestOutcome,
  type WireDeps,
  type WireSource,
} from '../modules/wire/index.js'
import { ingestFile } from './ingest-file.js'

export interface WatchDeps {
  wire: WireDeps
  /** Every watch folder lies under this (DATELINE_DATA_DIR/incoming). */
  watchRoot: string
  /** A document is taken once it has not been modified for this long. */
  settleMs: number
}

/** What became of one document file dropped in a watch folder. */
export interface FolderReport {
  source: string
  file: string
  outcomes: IngestOutcome[]
  /** Where the file now is, relative to the watch folder: processed/… or quarantined/… */
  movedTo: string
}

export const PROCESSED = 'processed'
export const QUARANTINED = 'quarantined'

/** Scans every source's watch folder once; files present since before a restart are taken too. */
export async function scanWatchFolders(deps: WatchDeps): Promise<FolderReport[]> {
  const reports: FolderReport[] = []
  for (const id of await listWatchedSourceIds(deps.wire.db)) {
    const source = await findSourceById(deps.wire.db, id)
    if (source?.watchFolder) reports.push(...(await scanSourceFolder(deps, source, source.watchFolder)))
  }
  return reports
}

/**
 * Ingests each complete document in the folder, then moves it to processed/, or to
 * quarantined/ with a .reason.txt beside it when it or an item in it was refused (the
 * quarantine in the database keeps its bytes and reason too). A file still being
 * written (modified within the settle time) waits for a later scan; other files, such
 * as pictures delivered beside a document, stay where they are.
 */
export async function scanSourceFolder(
  deps: WatchDeps,
  source: WireSource,
  folder: string,
): Promise<FolderReport[]> {
  const dir = watchFolderPath(deps.watchRoot, folder)
  await mkdir(dir, { recursive: true })
  const names = (await readdir(dir, { withFileTypes: true }))
    // Only documents are taken; anything else (pictures, temporary names) is left alone.
    .filter((e) => e.isFile() && isDocumentFileName(e.name))
    .map((e) => e.name)
    .sort()
  const reports: FolderReport[] = []
  const now = deps.wire.clock.now().getTime()
  for (const name of names) {
    const file = path.join(dir, name)
    const info = await stat(file).catch(() => undefined)
    if (!info || now - info.mtimeMs < deps.settleMs) continue
    const outcomes = await ingestFile(deps.wire, file, `${folder}/${name}`, { source, size: info.size })
    const refused = outcomes.filter((o) => o.status === 'rejected')
    const movedTo = await moveInto(dir, refused.length > 0 ? QUARANTINED : PROCESSED, name)
    if (movedTo === undefined) continue
    if (refused.length > 0) {
      const reasons = refused.map((o) => `${o.label}: ${o.reason ?? 'refused'}\n`).join('')
      await writeFile(path.join(dir, `${movedTo}.reason.txt`), reasons)
    }
    reports.push({ source: source.name, file: name, outcomes, movedTo })
  }
  return reports
}

/** Moves a file into a subfolder under a name not taken yet; undefined if it is gone already. */
async function moveInto(dir: string, subfolder: string, name: string): Promise<string | undefined> {
  await mkdir(path.join(dir, subfolder), { recursive: true })
  const dot = name.indexOf('.')
  let target = path.join(subfolder, name)
  for (let n = 2; existsSync(path.join(dir, target)); n++)
    target = path.join(subfolder, `${name.slice(0, dot)}-${n}${name.slice(dot)}`)
  try {
    await rename(path.join(dir, name), path.join(dir, target))
    return target
  } catch (error) {
    // Another process scanning the same folder took it first; its ingest was idempotent with ours.
    if ((error as { code?: string }).code === 'ENOENT') return undefined
    throw error
  }
}
