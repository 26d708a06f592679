import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import sharp from 'sharp'
import { forEachDialect } from '../support/dialects.js'
import { testApp, type TestApp } from '../support/http.js'
import {
  animatedGif,
  filesUnder,
  pngClaiming,
  SECRET_ARTIST,
  SECRET_XMP_WORD,
  testImage,
  uploadForm,
  type TestFormat,
} from '../support/images.js'

interface MediaJson {
  id: number
  src: string
  width: number
  height: number
  contentType: string
  srcset: string
  sources: { type: string; srcset: string }[]
  renditionStatus: string
  alt: string
  caption: string
  credit: string
}

const TYPES: Record<TestFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
}

forEachDialect('media upload', (dialect) => {
  let t: TestApp
  let headers: Record<string, string>
  const mediaDir = () => path.join(t.ctx.config.dataDir, 'media')

  before(async () => {
    // A 1 MB limit so the byte limit can be reached with a small file.
    t = await testApp(dialect, { env: { MEDIA_MAX_MB: '1', MEDIA_MAX_MEGAPIXELS: '60' } })
    headers = (await t.login('contributor')).headers
  })
  after(() => t.close())

  const upload = (data: Buffer | undefined, type?: string, fields: Record<string, string> = {}) => {
    const form = uploadForm(data && { data, ...(type && { type }) }, fields)
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/media',
      payload: form.payload,
      headers: { ...headers, ...form.headers },
    })
  }

  describe('accepted formats', () => {
    for (const format of ['jpeg', 'png', 'webp', 'avif', 'gif'] as const) {
      it(`stores a ${format.toUpperCase()} stripped of its EXIF, GPS and XMP, and serves it for a year`, async () => {
        const original = await testImage(format)
        if (format !== 'gif')
          assert.ok(original.includes(SECRET_ARTIST), 'the test image carries EXIF to strip')
        const response = await upload(original, TYPES[format], {
          caption: 'Harbour at dusk',
          credit: 'Dateline Photo',
        })
        assert.equal(response.statusCode, 201, response.body)
        const item = response.json<MediaJson>()
        assert.equal(item.contentType, TYPES[format])
        assert.deepEqual([item.width, item.height], [64, 48])
        assert.equal(item.caption, 'Harbour at dusk')
        assert.match(item.src, /^\/media\/[0-9a-f]{2}\/[0-9a-f]{40}\.(jpg|png|webp|avif|gif)$/)

        const served = await t.app.inject({ method: 'GET', url: item.src })
        assert.equal(served.statusCode, 200)
        assert.equal(served.headers['content-type'], TYPES[format])
        assert.equal(served.headers['cache-control'], 'public, max-age=31536000, immutable')
        const bytes = served.rawPayload
        const meta = await sharp(bytes).metadata()
        assert.equal(meta.exif, undefined, 'no EXIF (and so no GPS) in what we serve')
        assert.equal(meta.xmp, undefined, 'no XMP')
        assert.equal(meta.iptc, undefined, 'no IPTC')
        assert.ok(!bytes.includes(SECRET_ARTIST) && !bytes.includes(SECRET_XMP_WORD))
        const again = await t.app.inject({
          method: 'GET',
          url: item.src,
          headers: { 'if-none-match': served.headers.etag as string },
        })
        assert.equal(again.statusCode, 304)
      })
    }

    it('turns a photo upright by its EXIF orientation before the orientation is stripped', async () => {
      const response = await upload(
        await testImage('jpeg', { width: 60, height: 20, orientation: 6 }),
        'image/jpeg',
      )
      assert.equal(response.statusCode, 201, response.body)
      const item = response.json<MediaJson>()
      assert.deepEqual([item.width, item.height], [20, 60])
      const meta = await sharp((await t.app.inject({ method: 'GET', url: item.src })).rawPayload).metadata()
      assert.deepEqual([meta.width, meta.height, meta.orientation], [20, 60, undefined])
    })

    it('keeps an animated GIF animated, with no renditions to make', async () => {
      const response = await upload(await animatedGif(), 'image/gif')
      assert.equal(response.statusCode, 201, response.body)
      const item = response.json<MediaJson>()
      assert.deepEqual([item.width, item.height, item.renditionStatus], [24, 16, 'none'])
      const meta = await sharp((await t.app.inject({ method: 'GET', url: item.src })).rawPayload).metadata()
      assert.equal(meta.pages, 3)
    })

    it('takes a file sent without a type (application/octet-stream) by its content', async () => {
      const response = await upload(await testImage('png'), 'application/octet-stream')
      assert.equal(response.statusCode, 201, response.body)
      assert.equal(response.json<MediaJson>().contentType, 'image/png')
    })
  })

  describe('refused files leave nothing behind', () => {
    const cases: [string, () => Promise<Buffer>, string | undefined, number, RegExp][] = [
      [
        'an SVG, even named and sent as a JPEG',
        async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'image/jpeg',
        400,
        /SVG is not accepted/,
      ],
      [
        'a truncated JPEG',
        async () => (await testImage('jpeg', { width: 200, height: 150 })).subarray(0, 1500),
        'image/jpeg',
        400,
        /truncated/,
      ],
      [
        'a truncated PNG',
        async () => {
          const png = await testImage('png', { width: 200, height: 150 })
          return png.subarray(0, png.length - 40)
        },
        'image/png',
        400,
        /truncated|damaged/,
      ],
      [
        'a decompression bomb (a tiny PNG claiming 9000×9000 pixels)',
        () => pngClaiming(9000, 9000),
        'image/png',
        413,
        /9000×9000 pixels \(81 megapixels\); the limit is 60 megapixels/,
      ],
      [
        'huge dimensions (20000×2)',
        () => pngClaiming(20000, 2),
        'image/png',
        413,
        /20000×2 pixels; neither side may be over 12000/,
      ],
      [
        'a JPEG that is also a web page (script appended)',
        async () =>
          Buffer.concat([await testImage('jpeg'), Buffer.from('<script>alert(document.cookie)</script>')]),
        'image/jpeg',
        400,
        /polyglot/,
      ],
      [
        'a PNG with a ZIP archive appended',
        async () =>
          Buffer.concat([await testImage('png'), Buffer.from('PK\x03\x04\x14\x00\x00\x00payload.jar')]),
        'image/png',
        400,
        /data after the end of the image/,
      ],
      [
        'a JPEG declared as a PNG',
        () => testImage('jpeg'),
        'image/png',
        400,
        /sent as image\/png but its content is image\/jpeg/,
      ],
      [
        'a text file declared as a JPEG',
        async () => Buffer.from('just some words, no pixels'),
        'image/jpeg',
        400,
        /is not a JPEG, PNG, WebP, AVIF or GIF/,
      ],
      [
        'an HTML page',
        async () => Buffer.from('<!doctype html><html><body>hi</body></html>'),
        'text/html',
        400,
        /HTML or XML text, not an image/,
      ],
      ['an empty file', async () => Buffer.alloc(0), 'image/png', 400, /is empty/],
      [
        'a file over the byte limit',
        async () => Buffer.concat([await testImage('jpeg'), Buffer.alloc(1024 * 1024 + 10)]),
        'image/jpeg',
        413,
        /larger than the 1 MB limit/,
      ],
    ]
    for (const [what, make, type, status, message] of cases) {
      it(`refuses ${what} with ${status} naming the problem`, async () => {
        const before = filesUnder(mediaDir())
        const rows = await t.ctx.handle.db.selectFrom('media').select('id').execute()
        const response = await upload(await make(), type)
        assert.equal(response.statusCode, status, response.body)
        const body = response.json<{ code: string; message: string; problems?: { field: string }[] }>()
        assert.match(body.message, message)
        assert.match(body.message, /^file: /)
        assert.equal(body.problems?.[0]?.field, 'file')
        assert.deepEqual(filesUnder(mediaDir()), before, 'no file was left behind')
        assert.equal((await t.ctx.handle.db.selectFrom('media').select('id').execute()).length, rows.length)
      })
    }

    it('refuses a form with no file, and a JSON body, naming what to send', async () => {
      const empty = await upload(undefined, undefined, { caption: 'No photo' })
      assert.equal(empty.statusCode, 400)
      assert.match(empty.json<{ message: string }>().message, /file: is required/)
      const json = await t.app.inject({
        method: 'POST',
        url: '/api/v1/media',
        payload: { file: 'x' },
        headers,
      })
      assert.equal(json.statusCode, 400)
      assert.match(json.json<{ message: string }>().message, /multipart\/form-data/)
    })
  })

  describe('who may upload', () => {
    it('refuses a signed-out upload and a cookie upload without the CSRF token', async () => {
      const form = uploadForm({ data: await testImage('png'), type: 'image/png' })
      const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/media', ...form })
      assert.equal(anonymous.statusCode, 401)
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: '/api/v1/media',
        payload: form.payload,
        headers: { ...form.headers, cookie: headers['cookie']! },
      })
      assert.equal(noCsrf.statusCode, 403)
    })

    it('takes an upload with an API token', async () => {
      const { headers: bearer } = await t.tokenFor('editor')
      const form = uploadForm({ data: await testImage('webp'), type: 'image/webp' }, { alt: 'A gradient' })
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/media',
        payload: form.payload,
        headers: { ...form.headers, ...bearer },
      })
      assert.equal(response.statusCode, 201, response.body)
      assert.equal(response.json<MediaJson>().alt, 'A gradient')
    })
  })
})
