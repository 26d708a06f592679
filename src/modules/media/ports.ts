/**
 * Where media bytes live. Keys are content-addressed paths such as "3f/3f9a…c2.webp":
 * the same key always holds the same bytes, so a put of a key that exists changes
 * nothing and every URL made from a key may be cached for ever. The adapters in
 * adapters/storage keep them on local disk or in an S3-compatible bucket.
 */
export interface BlobStore {
  /** Stores the bytes under the key, all or nothing: a reader never sees part of a file. */
  put(key: string, body: Uint8Array, contentType: string): Promise<void>
  /** The bytes under the key, or undefined when there are none. */
  get(key: string): Promise<Uint8Array | undefined>
  has(key: string): Promise<boolean>
  /** Removes the key; removing a key that is not there is not an error. */
  delete(key: string): Promise<void>
}
