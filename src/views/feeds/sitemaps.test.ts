import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { monthFiles, monthsBetween, sitemapFile, SITEMAP_URL_LIMIT } from './sitemaps.js'

describe('sitemap files', () => {
  it('gives a month one file per 50,000 stories, and one even when it has none', () => {
    assert.deepEqual(monthFiles('2026-11', 0), ['2026-11'])
    assert.deepEqual(monthFiles('2026-11', SITEMAP_URL_LIMIT), ['2026-11'])
    assert.deepEqual(monthFiles('2026-11', SITEMAP_URL_LIMIT + 1), ['2026-11', '2026-11-2'])
    assert.equal(monthFiles('2026-11', 3 * SITEMAP_URL_LIMIT).length, 3)
  })

  it('reads a file name back as its month and page, and nothing else', () => {
    assert.deepEqual(sitemapFile('2026-11.xml'), {
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
      page: 1,
    })
    assert.equal(sitemapFile('2026-12-3.xml')?.page, 3)
    assert.equal(sitemapFile('2026-12.xml')?.to.toISOString(), '2027-01-01T00:00:00.000Z')
    for (const name of [
      '2026-13.xml',
      '2026-11-1.xml',
      '2026-11-0.xml',
      '2026-11',
      'pages.xml',
      '2026-11-2.xml.gz',
    ])
      assert.equal(sitemapFile(name), undefined, name)
  })

  it('names the months from the first story to the latest, newest first', () => {
    assert.deepEqual(monthsBetween(new Date('2025-11-20T00:00:00Z'), new Date('2026-02-03T00:00:00Z')), [
      '2026-02',
      '2026-01',
      '2025-12',
      '2025-11',
    ])
  })
})
