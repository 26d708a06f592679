import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { MEDIA_KEY, type BlobStore } from '../../modules/media/index.js'

/**
 * Media on local disk under one folder (DATELINE_DATA_DIR/media). A file is written
 * under a temporary name beside its place and renamed into it, so a crash or a failed
 * write never leaves half a file at a key; the temporary file is removed on failure.
 */
export function createLocalBlobStore(root: string): BlobStore {
  const pathOf = (key: string): string => {
    // Keys come from our own hashing, but a served URL also reaches here: nothing outside root.
    if (!MEDIA_KEY.test(key) || key.includes('..')) throw new Error(`not a media key: ${key.slice(0, 80)}`)
    return path.join(root, ...key.split('/'))
  }
  return {
    async put(key, body) {
      const target = pathOf(key)
      await mkdir(path.dirname(target), { recursive: true })
      const temporary = `${target}.tmp-${randomBytes(6).toString('hex')}`
      try {
        await writeFile(temporary, body, { flag: 'wx' })
        await rename(temporary, target)
      } catch (error) {
        await rm(temporary, { force: true })
        throw error
      }
    },
    async get(key) {
      try {
        return await readFile(pathOf(key))
      } catch (error) {
        if (isMissing(error)) return undefined
        throw error
      }
    },
    async has(key) {
      try {
        return (await stat(pathOf(key))).isFile()
      } catch (error) {
        if (isMissing(error)) return false
        throw error
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true })
    },
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
