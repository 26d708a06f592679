import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { loadConfig } from '../src/config/load-config.js'
import { startServer, type RunningServer } from '../src/main/server.js'
import { createApiToken, createUser } from '../src/modules/auth/index.js'
import { countJobs } from '../src/modules/queue/index.js'
import { freePort } from './bench-setup.js'
import { parseFlags, whole } from './bench-options.js'
import { describeMachine } from './report.js'

/** Upload latency as an editor sees it, and how long the renditions job takes per photo. */
const UPLOAD_P50_TARGET_MS = 1500
const RENDITIONS_PER_PHOTO_TARGET_MS = 5000

interface MediaBenchOptions {
  photos: number
  width: number
  height: number
}

const USAGE = 'usage: npm run bench -- media [--photos N] [--width PX] [--height PX]'

function parseOptions(argv: readonly string[]): MediaBenchOptions {
  const { flags } = parseFlags(argv, ['photos', 'width', 'height'], USAGE)
  return {
    photos: whole('photos', flags.get('photos'), 6, 1, 1000),
    width: whole('width', flags.get('width'), 3000, 16, 12_000),
    height: whole('height', flags.get('height'), 2000, 16, 12_000),
  }
}

/** A camera-sized test photo: a gradient sky, hills and scattered detail, each one different. */
async function aPhoto(width: number, height: number, seed: number): Promise<Buffer> {
  const dots = Array.from({ length: 120 }, (_, i) => {
    const x = ((seed * 7919 + i * 104729) % 1000) / 1000
    const y = ((seed * 15485863 + i * 32452843) % 1000) / 1000
    return `<circle cx="${(x * width).toFixed(0)}" cy="${(y * height).toFixed(0)}" r="${8 + (i % 40)}" fill="hsl(${(i * 37 + seed * 11) % 360},60%,55%)" opacity="0.6"/>`
  }).join('')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2a5d9f"/><stop offset="1" stop-color="#f1c27d"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#s)"/>
    <path d="M0 ${height * 0.7} Q ${width * 0.3} ${height * 0.5} ${width * 0.6} ${height * 0.68} T ${width} ${height * 0.6} V ${height} H 0 Z" fill="#3d6b35"/>${dots}</svg>`
  // Grain, as a camera sensor gives: without it the JPEG is a tenth of a real photo's size.
  const grain = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 24 },
    },
  })
    .png()
    .toBuffer()
  return sharp(Buffer.from(svg))
    .composite([{ input: grain, blend: 'soft-light' }])
    .withExif({ IFD0: { Artist: 'Bench Photographer' } })
    .jpeg({ quality: 88 })
    .toBuffer()
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

async function bench(server: RunningServer, options: MediaBenchOptions): Promise<number> {
  const user = await createUser(server.ctx.auth, {
    email: 'bench.editor@dateline.invalid',
    displayName: 'Bench Editor',
    role: 'editor',
    password: 'bench-password-long-enough',
  })
  const { token } = await createApiToken(server.ctx.auth, user.id, 'bench')
  const photos = await Promise.all(
    Array.from({ length: options.photos }, (_, i) => aPhoto(options.width, options.height, i + 1)),
  )
  const megabytes = photos.reduce((sum, p) => sum + p.byteLength, 0) / photos.length / 2 ** 20
  console.log(
    describeMachine().replace(
      /^node .*$/m,
      `node       : ${process.version} (server and uploading client in one process; the renditions job runs in the server's runner)`,
    ),
  )
  console.log(
    `parameters : ${options.photos} JPEG photos of ${options.width}×${options.height} ` +
      `(${((options.width * options.height) / 1e6).toFixed(1)} MP, ${megabytes.toFixed(1)} MB on average), ` +
      'uploaded one after another over HTTP on 127.0.0.1, SQLite, local disk\n',
  )

  const latencies: number[] = []
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  for (const [i, photo] of photos.entries()) {
    const form = new FormData()
    form.append('caption', `Bench photo ${i + 1}`)
    form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), `bench-${i + 1}.jpg`)
    const before = performance.now()
    const response = await fetch(`${server.url}/api/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    })
    latencies.push(performance.now() - before)
    if (response.status !== 201) {
      console.error(`upload ${i + 1} answered ${response.status}: ${await response.text()}`)
      return 1
    }
    await response.arrayBuffer()
  }
  const uploadsDone = performance.now()
  for (;;) {
    const counts = await countJobs(server.ctx.handle.db, 'media.renditions')
    if (counts.failed > 0) {
      console.error(`${counts.failed} renditions jobs failed`)
      return 1
    }
    if (counts.open === 0) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const allDone = performance.now()
  const cpu = process.cpuUsage(cpuBefore)
  const cpuPerPhoto = (cpu.user + cpu.system) / 1000 / options.photos
  const sorted = [...latencies].sort((a, b) => a - b)
  const p50 = percentile(sorted, 0.5)
  const perPhoto = (allDone - started) / options.photos
  console.log('figure                                            value')
  console.log(`upload latency p50 (check, strip, store, row)     ${p50.toFixed(0)} ms`)
  console.log(`upload latency max                                ${sorted[sorted.length - 1]!.toFixed(0)} ms`)
  console.log(`renditions still running after the last upload    ${(allDone - uploadsDone).toFixed(0)} ms`)
  console.log(`uploads + renditions, wall time per photo         ${perPhoto.toFixed(0)} ms`)
  console.log(`CPU per photo, upload + renditions (all threads)  ${cpuPerPhoto.toFixed(0)} ms`)
  console.log(
    `server memory (RSS) at the end                    ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  )
  console.log('')
  const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS')
  console.log(`${mark(p50 < UPLOAD_P50_TARGET_MS)} upload p50 under ${UPLOAD_P50_TARGET_MS} ms`)
  console.log(
    `${mark(perPhoto < RENDITIONS_PER_PHOTO_TARGET_MS)} upload and renditions under ${RENDITIONS_PER_PHOTO_TARGET_MS} ms per photo`,
  )
  return 0
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2))
  const workDir = mkdtempSync(path.join(tmpdir(), 'dateline-media-bench-'))
  let server: RunningServer | undefined
  try {
    const config = loadConfig(
      { PORT: String(await freePort()), DATELINE_DATA_DIR: workDir, LOG_LEVEL: 'silent', MEDIA_MAX_MB: '60' },
      process.cwd(),
    )
    server = await startServer(config, { logger: false, passwordCost: { N: 1024, r: 8, p: 1 } })
    return await bench(server, options)
  } finally {
    await server?.close().catch(() => undefined)
    rmSync(workDir, { recursive: true, force: true })
  }
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  },
)
