import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { classifyAddress } from '../../../src/adapters/http-fetch/address-rules.js'
import {
  createSafeFetcher,
  DEFAULT_FETCH_OPTIONS,
  PICTURE_ACCEPT,
} from '../../../src/adapters/http-fetch/safe-fetcher.js'
import type { FetchResult } from '../../../src/modules/wire/index.js'
import { startFeedServer, type FeedServer } from '../../support/feed-server.js'
import { rssFeed } from '../../support/wire.js'

const feed = rssFeed([
  {
    guid: 'urn:x:1',
    title: 'Bridge reopens',
    body: '<p>Traffic flows.</p>',
    pubDate: 'Mon, 02 Mar 2026 08:00:00 GMT',
  },
])

function reasonOf(result: FetchResult): string {
  assert.equal(result.status, 'failed', JSON.stringify(result))
  return result.status === 'failed' ? result.reason : ''
}

describe('the safe HTTP fetcher', () => {
  let server: FeedServer
  const fetcher = createSafeFetcher({ ...DEFAULT_FETCH_OPTIONS, maxBytes: 64 * 1024, timeoutMs: 1000 })

  before(async () => {
    server = await startFeedServer()
    server.routes.set('/feed.xml', { body: feed, etag: '"v1"' })
  })
  after(() => server.close())

  it('refuses a loopback address unless the source allows private networks, sending nothing', async () => {
    const seen = server.requests.length
    const reason = reasonOf(
      await fetcher.fetch({ url: `${server.origin}/feed.xml`, allowPrivateNetwork: false }),
    )
    assert.match(reason, /^127\.0\.0\.1 is a loopback address; only public addresses are fetched/)
    assert.equal(server.requests.length, seen)
  })

  it('refuses a host name that resolves to a loopback address, checking the address it connects to', async () => {
    const seen = server.requests.length
    const url = `${server.origin.replace('127.0.0.1', 'localhost')}/feed.xml`
    const reason = reasonOf(await fetcher.fetch({ url, allowPrivateNetwork: false }))
    assert.match(reason, /^localhost resolves to (127\.0\.0\.1|::1), a loopback address/)
    assert.equal(server.requests.length, seen)
  })

  it('refuses the other spellings of inner addresses before connecting', async () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/',
    ]) {
      const reason = reasonOf(await fetcher.fetch({ url, allowPrivateNetwork: false }))
      assert.match(
        reason,
        /only public addresses are fetched unless the source allows private networks$/,
        url,
      )
    }
  })

  it('fetches from a private network when allowed, returning the validators', async () => {
    const result = await fetcher.fetch({ url: `${server.origin}/feed.xml`, allowPrivateNetwork: true })
    assert.equal(result.status, 'fetched')
    if (result.status !== 'fetched') return
    assert.deepEqual(result.bytes, feed)
    assert.equal(result.etag, '"v1"')
  })

  it('sends the validators and reports a 304 as not modified', async () => {
    const result = await fetcher.fetch({
      url: `${server.origin}/feed.xml`,
      allowPrivateNetwork: true,
      etag: '"v1"',
      lastModified: 'Mon, 02 Mar 2026 08:00:00 GMT',
    })
    assert.deepEqual(result, { status: 'not-modified' })
    const last = server.requests.at(-1)
    assert.equal(last?.headers['if-none-match'], '"v1"')
    assert.equal(last?.headers['if-modified-since'], 'Mon, 02 Mar 2026 08:00:00 GMT')
  })

  it('follows a few redirects and refuses a longer chain', async () => {
    for (let i = 1; i <= 6; i++) server.routes.set(`/hop${i}`, { status: 302, location: `/hop${i + 1}` })
    server.routes.set('/hop7', { body: feed })
    server.routes.set('/short', { status: 301, location: '/hop4' })
    const short = await fetcher.fetch({ url: `${server.origin}/short`, allowPrivateNetwork: true })
    assert.equal(short.status, 'fetched')
    const reason = reasonOf(await fetcher.fetch({ url: `${server.origin}/hop1`, allowPrivateNetwork: true }))
    assert.equal(reason, `more than 5 redirects from ${server.origin}/hop1`)
  })

  it('checks every redirect hop again: a public server cannot send the fetch inside', async () => {
    // This machine has no public server to start from, so the test rule takes 127.0.0.1 as public.
    const asIfPublic = createSafeFetcher({
      ...DEFAULT_FETCH_OPTIONS,
      classify: (address) => (address === '127.0.0.1' ? 'public' : classifyAddress(address)),
    })
    const port = new URL(server.origin).port
    server.routes.set('/public-feed', { status: 302, location: `http://127.0.0.2:${port}/feed.xml` })
    server.routes.set('/public-feed-v6', { status: 307, location: `http://[::ffff:169.254.169.254]/` })
    const direct = await asIfPublic.fetch({ url: `${server.origin}/feed.xml`, allowPrivateNetwork: false })
    assert.equal(direct.status, 'fetched')
    const seen = server.requests.length
    const reason = reasonOf(
      await asIfPublic.fetch({ url: `${server.origin}/public-feed`, allowPrivateNetwork: false }),
    )
    assert.match(reason, /^127\.0\.0\.2 is a loopback address; only public addresses/)
    const metadata = reasonOf(
      await asIfPublic.fetch({ url: `${server.origin}/public-feed-v6`, allowPrivateNetwork: false }),
    )
    assert.match(metadata, /^\[::ffff:a9fe:a9fe\] is a link-local address/)
    assert.equal(server.requests.length, seen + 2, 'only the first hops reached the server')
  })

  it('refuses a redirect to another scheme', async () => {
    server.routes.set('/to-file', { status: 302, location: 'file:///etc/passwd' })
    const reason = reasonOf(
      await fetcher.fetch({ url: `${server.origin}/to-file`, allowPrivateNetwork: true }),
    )
    assert.equal(reason, 'redirected to a file: address; only http and https URLs are fetched')
  })

  it('refuses URLs that are not http or https, and text that is no URL', async () => {
    for (const [url, expected] of [
      ['ftp://example.org/feed.xml', 'a ftp: address; only http and https URLs are fetched'],
      ['file:///etc/passwd', 'a file: address; only http and https URLs are fetched'],
      ['gopher://127.0.0.1:70/', 'a gopher: address; only http and https URLs are fetched'],
      ['not a url', 'not a valid URL'],
    ]) {
      assert.equal(reasonOf(await fetcher.fetch({ url: url!, allowPrivateNetwork: false })), expected)
    }
  })

  it('stops reading a body over the size limit, declared or streamed', async () => {
    const big = 'x'.repeat(100 * 1024)
    server.routes.set('/big', { body: big })
    server.routes.set('/big-chunked', (res) => {
      res.writeHead(200, { 'content-type': 'application/xml' })
      for (let i = 0; i < 100; i++) res.write('y'.repeat(1024))
      res.end()
    })
    for (const path of ['/big', '/big-chunked']) {
      const reason = reasonOf(
        await fetcher.fetch({ url: `${server.origin}${path}`, allowPrivateNetwork: true }),
      )
      assert.equal(reason, `${server.origin}${path} sent more than the 65536-byte limit`)
    }
  })

  it('gives up on a server that does not answer within the time limit', async () => {
    server.routes.set('/silent', () => undefined)
    const reason = reasonOf(
      await fetcher.fetch({ url: `${server.origin}/silent`, allowPrivateNetwork: true }),
    )
    assert.equal(reason, `${server.origin}/silent did not answer completely within 1 s`)
  })

  it('names the status of an error answer and keeps query strings out of the message', async () => {
    server.routes.set('/broken', { status: 500 })
    const reason = reasonOf(
      await fetcher.fetch({ url: `${server.origin}/broken?apikey=secret-key`, allowPrivateNetwork: true }),
    )
    assert.equal(reason, `${server.origin}/broken?… answered 500 Internal Server Error`)
  })

  it('names a refused connection', async () => {
    const reason = reasonOf(
      await fetcher.fetch({ url: 'http://127.0.0.1:1/feed', allowPrivateNetwork: true }),
    )
    assert.equal(reason, 'could not fetch http://127.0.0.1:1/feed: ECONNREFUSED')
  })

  it('says whether a failure may pass on a later try: no answer or a 5xx may, a guard or a 404 never will', async () => {
    server.routes.set('/busy', { status: 503 })
    server.routes.set('/gone', { status: 404 })
    const retryable = async (url: string, allowPrivateNetwork = true) => {
      const result = await fetcher.fetch({ url, allowPrivateNetwork })
      assert.equal(result.status, 'failed')
      return result.status === 'failed' && result.retryable === true
    }
    assert.equal(await retryable(`${server.origin}/busy`), true)
    assert.equal(await retryable('http://127.0.0.1:1/feed'), true)
    assert.equal(await retryable(`${server.origin}/gone`), false)
    assert.equal(await retryable(`${server.origin}/busy`, false), false)
    assert.equal(await retryable('ftp://example.org/a.jpg'), false)
  })

  it('asks for an image unencoded when fetching pictures, and refuses an encoded body', async () => {
    const pictures = createSafeFetcher({ ...DEFAULT_FETCH_OPTIONS, accept: PICTURE_ACCEPT, gzip: false })
    server.routes.set('/photo.jpg', { body: 'jpeg bytes', contentType: 'image/jpeg' })
    server.routes.set('/zipped.jpg', (res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-encoding': 'gzip' }).end('x')
    })
    const fetched = await pictures.fetch({ url: `${server.origin}/photo.jpg`, allowPrivateNetwork: true })
    assert.equal(fetched.status, 'fetched')
    const request = server.requests.findLast((r) => r.path === '/photo.jpg')
    assert.equal(request?.headers['accept'], PICTURE_ACCEPT)
    assert.equal(request.headers['accept-encoding'], 'identity')
    const reason = reasonOf(
      await pictures.fetch({ url: `${server.origin}/zipped.jpg`, allowPrivateNetwork: true }),
    )
    assert.equal(reason, `${server.origin}/zipped.jpg sent content encoding "gzip"; nothing encoded is taken`)
  })
})
