import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { pictureReaderBeside } from '../../../src/jobs/ingest-file.js'
import type { PictureFileReader, PictureRead } from '../../../src/modules/wire/index.js'

function reasonOf(read: PictureRead): string {
  assert.equal(read.ok, false, 'refused')
  return read.ok ? '' : read.reason
}

describe('reading pictures beside a delivered file', () => {
  let root: string
  let read: PictureFileReader

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'dateline-beside-'))
    const drop = path.join(root, 'drop')
    mkdirSync(path.join(drop, 'pics'), { recursive: true })
    writeFileSync(path.join(drop, 'story.json'), '{}')
    writeFileSync(path.join(drop, 'pics', 'a.jpg'), 'abc')
    writeFileSync(path.join(drop, 'big.jpg'), Buffer.alloc(2048))
    writeFileSync(path.join(root, 'secret.jpg'), 'outside')
    symlinkSync(path.join(root, 'secret.jpg'), path.join(drop, 'out.jpg'))
    symlinkSync(path.join(drop, 'pics', 'a.jpg'), path.join(drop, 'in.jpg'))
    read = pictureReaderBeside(path.join(drop, 'story.json'), 1024)
  })
  after(() => rmSync(root, { recursive: true, force: true }))

  it('reads a file in the folder or below it, and a link that stays inside', async () => {
    assert.deepEqual(await read('pics/a.jpg'), { ok: true, bytes: new TextEncoder().encode('abc') })
    assert.deepEqual(await read('in.jpg'), { ok: true, bytes: new TextEncoder().encode('abc') })
  })

  it('refuses .., absolute paths and links leading out of the folder', async () => {
    assert.match(reasonOf(await read('../secret.jpg')), /leads out of the document's folder/)
    assert.match(reasonOf(await read('pics/../../secret.jpg')), /leads out of the document's folder/)
    assert.match(reasonOf(await read(path.join(root, 'secret.jpg'))), /leads out of the document's folder/)
    assert.match(reasonOf(await read('out.jpg')), /"out\.jpg" is a link leading out of the document's folder/)
  })

  it('refuses a missing file, a folder and a file over the photo size limit', async () => {
    assert.match(reasonOf(await read('gone.jpg')), /"gone\.jpg" is not beside the document \(no such file\)/)
    assert.match(reasonOf(await read('pics')), /"pics" is not a file/)
    assert.match(reasonOf(await read('big.jpg')), /"big\.jpg" is over the [\d.]+ MB limit for photos/)
  })
})
