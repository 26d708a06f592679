import { MEDIA_KEY, type BlobStore } from '../../modules/media/index.js'
import { encodeRfc3986, signRequest } from './sigv4.js'

export interface S3StoreOptions {
  /** The service's origin: https://s3.eu-west-1.amazonaws.com, or a compatible store's. */
  endpoint: string
  bucket: string
  region: string
  accessKeyId: string
  secretAccessKey: string
}

/**
 * Media in an S3-compatible bucket, addressed path-style (endpoint/bucket/key), which
 * every compatible store understands. Requests are signed with SigV4 over fetch. A PUT
 * replaces an object whole, so readers never see part of one.
 */
export function createS3BlobStore(options: S3StoreOptions, now: () => Date = () => new Date()): BlobStore {
  const keys = {
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    region: options.region,
    service: 's3',
  }
  const base = options.endpoint.replace(/\/+$/, '')

  async function send(
    method: string,
    key: string,
    body?: Uint8Array,
    contentType?: string,
  ): Promise<Response> {
    if (!MEDIA_KEY.test(key)) throw new Error(`not a media key: ${key.slice(0, 80)}`)
    const url = new URL(
      `${base}/${encodeRfc3986(options.bucket)}/${key.split('/').map(encodeRfc3986).join('/')}`,
    )
    const headers = signRequest(
      keys,
      { method, url, headers: contentType ? { 'content-type': contentType } : {}, body },
      now(),
    )
    return fetch(url, { method, headers, ...(body && { body: new Uint8Array(body) }) })
  }

  async function fail(what: string, key: string, response: Response): Promise<never> {
    const text = await response.text().catch(() => '')
    const code = /<Code>([^<]{1,80})<\/Code>/.exec(text)?.[1] ?? ''
    throw new Error(`S3 ${what} ${key} answered ${response.status} ${code}`.trim())
  }

  return {
    async put(key, body, contentType) {
      const response = await send('PUT', key, body, contentType)
      if (!response.ok) await fail('PUT', key, response)
      await response.arrayBuffer()
    },
    async get(key) {
      const response = await send('GET', key)
      if (response.status === 404) {
        await response.arrayBuffer()
        return undefined
      }
      if (!response.ok) return fail('GET', key, response)
      return new Uint8Array(await response.arrayBuffer())
    },
    async has(key) {
      const response = await send('HEAD', key)
      await response.arrayBuffer()
      if (response.status === 404) return false
      if (!response.ok) return fail('HEAD', key, response)
      return true
    },
    async delete(key) {
      const response = await send('DELETE', key)
      if (!response.ok && response.status !== 404) await fail('DELETE', key, response)
      await response.arrayBuffer()
    },
  }
}
