import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import sharp from 'sharp'
import { createContext } from '../../src/main/context.js'
import { storeImage } from '../../src/modules/media/index.js'
import { countJobs } from '../../src/modules/queue/index.js'
import { publishArticle, updateArticle } from '../../src/modules/articles/index.js'
import { listEventsAfter } from '../../src/modules/events/index.js'
import { renderEventMessages } from '../../src/http/live/live-message.js'
import { anArticle, anEditor } from '../support/builders.js'
import { forEachDialect } from '../support/dialects.js'
import { tagAttributes, testApp, type TestApp } from '../support/http.js'
import { testImage, uploadForm } from '../support/images.js'

interface MediaJson {
  id: number
  src: string
  width: number
  srcset: string
  sources: { type: string; srcset: string }[]
  renditionStatus: string
  caption: string
  credit: string
  alt: string
  uses: { articleId: number; as: string; headline: string }[]
}

/** "url 480w, url 800w" → [[url, 480], [url, 800]] */
function entries(srcset: string): [string, number][] {
  return srcset
    .split(',')
    .filter((e) => e.trim() !== '')
    .map((e) => {
      const [url, width] = e.trim().split(' ')
      return [url!, Number(width!.slice(0, -1))]
    })
}

forEachDialect('media renditions and library', (dialect) => {
  let t: TestApp
  let editor: Record<string, string>

  before(async () => {
    t = await testApp(dialect)
    editor = (await t.login('editor')).headers
  })
  after(() => t.close())

  async function upload(
    image: Buffer,
    fields: Record<string, string> = {},
    headers: Record<string, string> = editor,
  ): Promise<MediaJson> {
    const form = uploadForm({ data: image, type: 'image/jpeg' }, fields)
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/media',
      payload: form.payload,
      headers: { ...headers, ...form.headers },
    })
    assert.equal(response.statusCode, 201, response.body)
    return response.json<MediaJson>()
  }

  const getMedia = async (id: number) =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/media/${id}`, headers: editor })).json<MediaJson>()

  describe('renditions', () => {
    it('makes 480/800/1200/1600 wide WebP and JPEG copies in the job; the original serves until then', async () => {
      const item = await upload(await testImage('jpeg', { width: 2000, height: 1000 }))
      assert.equal(item.renditionStatus, 'pending')
      assert.equal(item.srcset, '')
      assert.equal((await countJobs(t.ctx.handle.db, 'media.renditions')).open, 1)

      const totals = await t.ctx.jobs.runDue()
      assert.equal(totals.done, 1)
      const done = await getMedia(item.id)
      assert.equal(done.renditionStatus, 'done')
      const jpegs = entries(done.srcset)
      assert.deepEqual(
        jpegs.map(([, w]) => w),
        [480, 800, 1200, 1600],
      )
      assert.deepEqual(
        done.sources.map((s) => s.type),
        ['image/avif', 'image/webp'],
        'the smaller format first, as the browser takes the first it can show',
      )
      const [avif, webp] = done.sources
      for (const source of [avif, webp])
        assert.deepEqual(
          entries(source?.srcset ?? '').map(([, w]) => w),
          [480, 800, 1200, 1600],
        )
      for (const [url, width] of [...jpegs, ...entries(avif!.srcset), ...entries(webp!.srcset)]) {
        const file = await t.app.inject({ method: 'GET', url })
        assert.equal(file.statusCode, 200)
        assert.equal(file.headers['cache-control'], 'public, max-age=31536000, immutable')
        const meta = await sharp(file.rawPayload).metadata()
        assert.equal(meta.width, width)
        assert.equal(meta.height, width / 2)
        const type = { webp: 'image/webp', avif: 'image/avif', jpg: 'image/jpeg' }[url.split('.').pop()!]
        assert.equal(file.headers['content-type'], type)
        assert.equal(meta.format, { 'image/webp': 'webp', 'image/avif': 'heif', 'image/jpeg': 'jpeg' }[type!])
        assert.equal(meta.exif, undefined)
      }
    })

    it('never makes a copy larger than the original', async () => {
      const item = await upload(await testImage('jpeg', { width: 600, height: 400 }))
      await t.ctx.jobs.runDue()
      const done = await getMedia(item.id)
      assert.deepEqual(
        entries(done.srcset).map(([, w]) => w),
        [480],
      )
      assert.deepEqual(
        entries(done.sources[0]!.srcset).map(([, w]) => w),
        [480, 600],
      )
    })

    it('keeps the job across a restart: queued before the process stops, run by the next one', async () => {
      const first = await createContext(t.ctx.config, {
        handle: t.ctx.handle,
        migrate: false,
        clock: t.ctx.clock,
      })
      const stored = await storeImage(first.media, await testImage('jpeg', { width: 900, height: 600 }), {
        origin: 'upload',
        caption: 'Restart test',
      })
      await first.close()
      assert.equal((await countJobs(t.ctx.handle.db, 'media.renditions')).open, 1)

      const second = await createContext(t.ctx.config, {
        handle: t.ctx.handle,
        migrate: false,
        clock: t.ctx.clock,
      })
      try {
        const totals = await second.jobs.runDue()
        assert.equal(totals.done, 1)
      } finally {
        await second.close()
      }
      const done = await getMedia(stored.id)
      assert.equal(done.renditionStatus, 'done')
      assert.deepEqual(
        entries(done.srcset).map(([, w]) => w),
        [480, 800],
      )
    })
  })

  describe('the reader page', () => {
    it('shows a library hero with width, height, then srcset and WebP sources once the job has run', async () => {
      const item = await upload(await testImage('jpeg', { width: 1800, height: 1200 }), {
        caption: 'Waves break over the sea wall at high tide.',
        credit: 'Dateline Photo',
      })
      const again = await upload(await testImage('jpeg', { width: 1800, height: 1200 }), { caption: 'Other' })
      assert.equal(again.id, item.id, 'the same photo uploaded twice is one library item')
      assert.equal(again.caption, 'Waves break over the sea wall at high tide.')
      const actor = await anEditor(t.ctx)
      const story = await anArticle(t.ctx, actor, {
        hero: { src: item.src, width: item.width, height: 1200, alt: 'Waves over a sea wall' },
      })
      const published = await publishArticle(t.ctx.articles, actor, story.id, story.version)
      const url = `/${published.section.slug}/${published.slug}`

      const before = await t.app.inject({ method: 'GET', url })
      const img = tagAttributes(before.body, /<figure class="hero">[\s\S]*?<img[^>]*>/)
      assert.ok(img)
      const heroTag = before.body.match(/<figure class="hero">[\s\S]*?<\/figure>/)![0]
      assert.match(heroTag, /<img[^>]* width="1800" height="1200"/)
      assert.doesNotMatch(heroTag, /srcset/)
      assert.match(
        heroTag,
        /Waves break over the sea wall at high tide\. <span class="credit">\(Dateline Photo\)<\/span>/,
      )

      await t.ctx.jobs.runDue()
      await t.ctx.tail.catchUp()
      const after = await t.app.inject({ method: 'GET', url })
      const hero = after.body.match(/<figure class="hero">[\s\S]*?<\/figure>/)![0]
      assert.match(
        hero,
        /<picture><source type="image\/avif" srcset="[^"]+ 480w, [^"]+ 1600w" sizes="[^"]+"\/?><source type="image\/webp" srcset="[^"]+ 480w, [^"]+ 1600w" sizes="[^"]+"\/?>/,
      )
      const imgAttrs = tagAttributes(hero, /<img[^>]*>/)!
      assert.equal(imgAttrs['src'], item.src)
      assert.equal(imgAttrs['width'], '1800')
      assert.equal(imgAttrs['height'], '1200')
      assert.match(imgAttrs['srcset'] ?? '', / 480w, .* 1600w, \/media\/[^ ]+ 1800w$/)
      assert.ok(imgAttrs['sizes'])
      assert.equal(imgAttrs['alt'], 'Waves over a sea wall')
    })
  })

  it('lists the media routes in the OpenAPI document, the upload as a multipart form', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>
      >
    }>()
    assert.deepEqual(Object.keys(doc.paths['/media'] ?? {}).sort(), ['get', 'post'])
    assert.deepEqual(Object.keys(doc.paths['/media/{id}'] ?? {}).sort(), ['delete', 'get', 'patch'])
    const form = doc.paths['/media']?.['post']?.requestBody?.content['multipart/form-data']?.schema
    assert.deepEqual(Object.keys(form?.properties ?? {}), ['file', 'alt', 'caption', 'credit'])
  })

  describe('inline photos', () => {
    it('gives a library photo in the body its sizes once they exist, keeping caption and credit', async () => {
      const item = await upload(await testImage('jpeg', { width: 1300, height: 650 }))
      const actor = await anEditor(t.ctx)
      const story = await anArticle(t.ctx, actor, {
        headline: 'Inline photo story',
        bodyHtml:
          `<p>Before.</p><figure><img src="${item.src}" alt="The quay" width="1300" height="650">` +
          '<figcaption>Boats at the quay. <small>Dateline Photo</small></figcaption></figure>',
      })
      const published = await publishArticle(t.ctx.articles, actor, story.id, story.version)
      const url = `/${published.section.slug}/${published.slug}`
      const figureOf = async () =>
        (await t.app.inject({ method: 'GET', url })).body.match(/<div class="body">[\s\S]*?<\/figure>/)![0]

      const plain = await figureOf()
      assert.match(
        plain,
        new RegExp(`<figure><img src="${item.src}" alt="The quay" width="1300" height="650"`),
      )
      assert.doesNotMatch(plain, /srcset/)

      await t.ctx.jobs.runDue()
      await t.ctx.tail.catchUp()
      const sized = await figureOf()
      assert.match(
        sized,
        /<figure><picture><source type="image\/avif" srcset="\S+ 480w, \S+ 800w, \S+ 1200w, \S+ 1300w"[^>]*><source type="image\/webp" srcset="\S+ 480w, \S+ 800w, \S+ 1200w, \S+ 1300w"/,
      )
      const img = tagAttributes(sized, /<img[^>]*>/)!
      assert.equal(img['src'], item.src)
      assert.match(img['srcset'] ?? '', / 480w, .* 1200w, \/media\/\S+ 1300w$/)
      assert.deepEqual([img['width'], img['height'], img['alt']], ['1300', '650', 'The quay'])
      assert.match(
        sized,
        /<\/picture><figcaption>Boats at the quay\. <small>Dateline Photo<\/small><\/figcaption><\/figure>/,
      )

      // An open page redrawn by a live update gets the same body, renditions and all.
      const before = t.ctx.tail.lastEventId()
      await updateArticle(t.ctx.articles, actor, published.id, {
        version: published.version,
        keyPoints: ['The quay reopened'],
      })
      const [event] = await listEventsAfter(t.ctx.handle.db, before, 1)
      const frames = (await renderEventMessages(t.ctx.handle.db, event!)).map((m) => m.frame).join('')
      assert.match(frames, /The quay reopened/)
      assert.match(frames, /<figure><picture><source type=\\"image\/avif\\" srcset=\\"\S+ 480w/)
    })
  })

  describe('the library', () => {
    let photos: MediaJson[] = []
    before(async () => {
      photos = []
      for (const [width, caption, credit] of [
        [70, 'Lifeboat crew return to the quay', 'Ana Ruiz/Dateline'],
        [71, 'Council chamber before the vote', 'Pool photo'],
        [72, 'The 100% renewable ferry at 50_knots', 'Ana Ruiz/Dateline'],
      ] as const) {
        photos.push(await upload(await testImage('jpeg', { width }), { caption, credit, alt: 'A photo' }))
      }
    })

    const search = async (query: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/media?${query}`, headers: editor })).json<{
        items: MediaJson[]
        total: number
      }>()

    it('finds photos by caption or credit in any case, newest first', async () => {
      const byCredit = await search('q=ana%20ruiz')
      assert.deepEqual(
        byCredit.items.map((i) => i.id),
        [photos[2]!.id, photos[0]!.id],
      )
      const byCaption = await search('q=CHAMBER')
      assert.deepEqual(
        byCaption.items.map((i) => i.id),
        [photos[1]!.id],
      )
      assert.equal((await search('q=100%25')).total, 1, '% is a character to find, not a wildcard')
      assert.equal((await search('q=0_k')).total, 1)
      assert.equal((await search('q=x_x')).total, 0, '_ is not a wildcard either')
    })

    it('pages through everything, newest first', async () => {
      const all = await search('limit=100')
      const ids = all.items.map((i) => i.id)
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
      )
      const page = await search('limit=2&offset=1')
      assert.deepEqual(
        page.items.map((i) => i.id),
        ids.slice(1, 3),
      )
      assert.equal(page.total, all.total)
    })

    it('shows where a photo is used: as a hero and inside a story body', async () => {
      const actor = await anEditor(t.ctx)
      const [photo] = photos
      const hero = await anArticle(t.ctx, actor, {
        headline: 'Lifeboat called out twice in one night',
        hero: { src: photo!.src, width: 70, height: 48, alt: 'Lifeboat crew on the quay' },
      })
      const inline = await anArticle(t.ctx, actor, {
        headline: 'A year on the lifeboat',
        bodyHtml: `<p>Text.</p><figure><img src="${photo!.src}" alt="Crew" width="64" height="48"><figcaption>Crew <small>Ana Ruiz</small></figcaption></figure>`,
      })
      const found = await getMedia(photo!.id)
      assert.deepEqual(
        found.uses.map((u) => [u.articleId, u.as]).sort(),
        [
          [hero.id, 'hero'],
          [inline.id, 'inline'],
        ].sort(),
      )
      assert.equal(found.alt, 'Lifeboat crew on the quay', "the hero's alt text became the photo's")
      const listed = (await search('q=lifeboat')).items.find((i) => i.id === photo!.id)
      assert.equal(listed?.uses.length, 2)
    })

    it('counts each photo’s uses on its own: one photo in many stories hides none of another’s', async () => {
      const actor = await anEditor(t.ctx)
      const busy = await upload(await testImage('jpeg', { width: 76 }), {
        caption: 'Harbour wall, busy photo',
      })
      const rare = await upload(await testImage('jpeg', { width: 77 }), {
        caption: 'Harbour wall, rare photo',
      })
      const inline = (src: string) =>
        `<p>Text.</p><figure><img src="${src}" alt="Wall" width="64" height="48"><figcaption>Wall <small>Desk</small></figcaption></figure>`
      // The rare photo's story is older than more busy ones than two photos' worth of a shared cap.
      const only = await anArticle(t.ctx, actor, {
        headline: 'The one story with the rare photo',
        bodyHtml: inline(rare.src),
      })
      for (let i = 0; i < 110; i++)
        await anArticle(t.ctx, actor, { headline: `Busy photo story ${i}`, bodyHtml: inline(busy.src) })
      const page = (await search('q=harbour%20wall')).items
      assert.equal(page.find((i) => i.id === busy.id)?.uses.length, 50, 'at most 50 listed')
      assert.deepEqual(
        page.find((i) => i.id === rare.id)?.uses.map((u) => u.articleId),
        [only.id],
      )
    })

    it('edits caption, credit and alt; a contributor may not edit another person’s photo', async () => {
      const photo = photos[1]!
      const changed = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/media/${photo.id}`,
        headers: editor,
        payload: { caption: 'Council chamber <b>before</b> the vote', credit: 'Pool/Dateline' },
      })
      assert.equal(changed.statusCode, 200, changed.body)
      const body = changed.json<MediaJson>()
      assert.deepEqual([body.caption, body.credit], ['Council chamber before the vote', 'Pool/Dateline'])

      const contributor = (await t.login('contributor')).headers
      const refused = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/media/${photo.id}`,
        headers: contributor,
        payload: { caption: 'Mine now' },
      })
      assert.equal(refused.statusCode, 403)
      const mine = await upload(await testImage('jpeg', { width: 73 }), { caption: 'Draft' }, contributor)
      const edited = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/media/${mine.id}`,
        headers: contributor,
        payload: { alt: 'My own photo' },
      })
      assert.equal(edited.statusCode, 200)
      assert.equal((await getMedia(photo.id)).caption, 'Council chamber before the vote')
    })

    it('answers 404 for a photo that does not exist and refuses an over-long caption', async () => {
      assert.equal(
        (await t.app.inject({ method: 'GET', url: '/api/v1/media/999999', headers: editor })).statusCode,
        404,
      )
      const long = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/media/${photos[0]!.id}`,
        headers: editor,
        payload: { caption: 'x'.repeat(1001) },
      })
      assert.equal(long.statusCode, 400)
      assert.match(long.json<{ message: string }>().message, /caption/)
    })

    it('deletes an unused photo with its files, and refuses one a story shows, naming the story', async () => {
      const used = photos[0]!
      const inUse = await t.app.inject({ method: 'DELETE', url: `/api/v1/media/${used.id}`, headers: editor })
      assert.equal(inUse.statusCode, 409)
      assert.match(inUse.json<{ message: string }>().message, /Lifeboat called out twice in one night/)
      assert.equal((await t.app.inject({ method: 'GET', url: used.src })).statusCode, 200)

      const spare = await upload(await testImage('jpeg', { width: 900, height: 600 }), { caption: 'Spare' })
      await t.ctx.jobs.runDue()
      const files = [spare.src, ...entries((await getMedia(spare.id)).srcset).map(([url]) => url)]
      assert.ok(files.length > 1, 'renditions were made')
      const deleted = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/media/${spare.id}`,
        headers: editor,
      })
      assert.equal(deleted.statusCode, 204, deleted.body)
      for (const url of files) assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 404, url)
      assert.equal(
        (await t.app.inject({ method: 'GET', url: `/api/v1/media/${spare.id}`, headers: editor })).statusCode,
        404,
      )
      assert.equal((await search('q=spare')).total, 0)
    })

    it('lets a contributor delete only their own unused uploads, and needs the CSRF token', async () => {
      const contributor = (await t.login('contributor')).headers
      const theirs = await upload(await testImage('jpeg', { width: 74 }), { caption: 'Editor photo' })
      const refused = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/media/${theirs.id}`,
        headers: contributor,
      })
      assert.equal(refused.statusCode, 403)
      const { 'x-csrf-token': _token, ...withoutToken } = contributor
      const mine = await upload(await testImage('jpeg', { width: 75 }), { caption: 'Mine' }, contributor)
      const forged = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/media/${mine.id}`,
        headers: withoutToken,
      })
      assert.equal(forged.statusCode, 403)
      const done = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/media/${mine.id}`,
        headers: contributor,
      })
      assert.equal(done.statusCode, 204)
      assert.equal((await getMedia(theirs.id)).caption, 'Editor photo')
    })
  })
})
