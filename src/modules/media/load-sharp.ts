import type Sharp from 'sharp'

/**
 * sharp, loaded on first use rather than with the module: its native binding takes some
 * 50 ms to load, and most processes that import media (`dateline ingest` of copy without
 * pictures beside it, say) never touch an image.
 */
export async function loadSharp(): Promise<typeof Sharp> {
  return (await import('sharp')).default
}
