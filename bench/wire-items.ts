import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { once } from 'node:events'

/** What a generated drop folder holds, so the bench can check every item arrived. */
export interface GeneratedDrop {
  files: number
  bytes: number
  stories: number
  reversions: number
  duplicates: number
}

const PLACES = ['Westmere', 'Port Aldine', 'Karsby', 'Lindholm', 'Norrvik', 'Calder Bay', 'Ostrava Nova']
const SUBJECTS = [
  'Weather',
  'Elections',
  'Energy',
  'Transport',
  'Health',
  'Courts',
  'Trade',
  'Football',
  'Climate',
  'Housing',
  'Schools',
  'Markets',
  'Fisheries',
  'Tourism',
  'Defence',
  'Water',
]
const WORDS = (
  'council harbour minister storm budget report vote rail strike hospital court ruling market ' +
  'shares river flood bridge school teachers union talks grid power plant wind solar port ferry ' +
  'police inquiry witness museum festival league match injury coach season price inflation'
).split(' ')

/**
 * Writes `count` ninjs 2.x files into `dir` in sub-folders of 1,000, as an agency drop
 * would deliver them: mostly distinct stories (about 4 KB each, like a 600-word piece),
 * one in ten a newer version of an earlier story, one in twenty an identical re-delivery.
 * Written as a stream: nothing grows with the count but the files on disk.
 */
export async function writeWireDrop(dir: string, count: number): Promise<GeneratedDrop> {
  const drop: GeneratedDrop = { files: 0, bytes: 0, stories: 0, reversions: 0, duplicates: 0 }
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, `batch-${String(Math.floor(i / 1000)).padStart(4, '0')}`)
    if (i % 1000 === 0) await mkdir(folder, { recursive: true })
    let story = drop.stories
    let version = 1
    if (i % 20 === 19 && drop.stories > 0) {
      story = pick(i, drop.stories)
      drop.duplicates++
    } else if (i % 10 === 9 && drop.stories > 0) {
      story = pick(i, drop.stories)
      version = 2
      drop.reversions++
    } else drop.stories++
    const body = JSON.stringify(ninjsItem(story, version))
    await writeFile(path.join(folder, `item-${String(i).padStart(7, '0')}.json`), body)
    drop.files++
    drop.bytes += Buffer.byteLength(body)
  }
  return drop
}

async function writeFile(file: string, body: string): Promise<void> {
  const stream = createWriteStream(file)
  stream.end(body)
  await once(stream, 'finish')
}

/** A deterministic earlier story for re-versions and duplicates. */
function pick(i: number, stories: number): number {
  return (i * 7919) % stories
}

function ninjsItem(story: number, version: number): Record<string, unknown> {
  const place = PLACES[story % PLACES.length]!
  const subjects = [SUBJECTS[story % SUBJECTS.length]!, SUBJECTS[(story * 3 + 1) % SUBJECTS.length]!]
  const time = new Date(Date.UTC(2026, 2, 1) + story * 60_000 + version * 600_000).toISOString()
  const paragraphs = Array.from({ length: 9 }, (_, p) => `<p>${sentence(story, p, version)}</p>`)
  paragraphs.splice(4, 0, '<h2>WHAT COMES NEXT</h2>')
  return {
    uri: `urn:newsml:bench-agency.test:2026:story-${story}`,
    type: 'text',
    version: String(version),
    versionCreated: time,
    firstCreated: new Date(Date.UTC(2026, 2, 1) + story * 60_000).toISOString(),
    pubStatus: 'usable',
    urgency: story % 50 === 0 ? 2 : 4,
    copyrightHolder: 'Bench Agency',
    copyrightNotice: 'Copyright 2026 Bench Agency',
    language: 'en',
    by: `Reporter ${story % 40}`,
    located: place,
    headlines: [
      { role: 'main', value: `${cap(word(story, 0))} ${word(story, 1)} in ${place}: story ${story}` },
    ],
    descriptions: [
      { role: 'summary', value: sentence(story, 20, version) },
      { role: 'summary', value: sentence(story, 21, version) },
    ],
    bodies: [{ role: 'html', contentType: 'text/html', value: paragraphs.join('') }],
    subjects: subjects.map((name) => ({ name })),
  }
}

function word(story: number, n: number): string {
  return WORDS[(story * 31 + n * 17) % WORDS.length]!
}

/**
 * A sentence of 60 words drawn by a hash of the story, paragraph, word and version, so no
 * two stories (nor two versions of one) share a body, as no two agency stories do: a
 * drop whose bodies repeated every few dozen stories let the body sanitiser answer most
 * of them from its memory of bodies it had just cleaned, which real copy never allows.
 */
function sentence(story: number, p: number, version: number): string {
  const words = Array.from({ length: 60 }, (_, w) => {
    const mixed = Math.imul(story * 7919 + p * 104_729 + w * 1_299_709 + version * 15_485_863, 0x9e3779b1)
    return WORDS[(mixed >>> 0) % WORDS.length]!
  })
  return `${cap(words.join(' '))}.`
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
