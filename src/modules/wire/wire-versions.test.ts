import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import type { ArticleView } from '../articles/index.js'
import { articleFingerprint, decideVersion, hasChangedSince, type StoredVersion } from './wire-versions.js'

const at = (iso: string) => new Date(iso)
const v = (version: number, contentHash: string, versionCreated: Date | null = null): StoredVersion => ({
  version,
  contentHash,
  versionCreated,
})

describe('decideVersion', () => {
  it('creates a story never seen, at the agency version or 1', () => {
    assert.deepEqual(decideVersion({ version: 4, contentHash: 'a', versionCreated: null }, []), {
      action: 'create',
      version: 4,
    })
    assert.deepEqual(decideVersion({ version: null, contentHash: 'a', versionCreated: null }, []), {
      action: 'create',
      version: 1,
    })
  })

  it('takes a higher agency version as an update', () => {
    assert.deepEqual(decideVersion({ version: 3, contentHash: 'b', versionCreated: null }, [v(2, 'a')]), {
      action: 'update',
      version: 3,
    })
  })

  it('ignores an agency version below the newest one taken', () => {
    assert.deepEqual(
      decideVersion({ version: 2, contentHash: 'b', versionCreated: null }, [v(1, 'x'), v(3, 'a')]),
      { action: 'older', latest: 3 },
    )
  })

  it('calls the same version with the same content a duplicate', () => {
    assert.deepEqual(decideVersion({ version: 2, contentHash: 'a', versionCreated: null }, [v(2, 'a')]), {
      action: 'duplicate',
      version: 2,
    })
  })

  it('refuses the same version number with different content', () => {
    const decision = decideVersion({ version: 2, contentHash: 'b', versionCreated: null }, [v(2, 'a')])
    assert.equal(decision.action, 'conflict')
  })

  it('numbers new feed contents after the last one and ignores feed content dated before it', () => {
    const stored = [v(1, 'a', at('2026-03-02T08:00:00Z')), v(2, 'b', at('2026-03-02T09:00:00Z'))]
    assert.deepEqual(
      decideVersion({ version: null, contentHash: 'c', versionCreated: at('2026-03-02T10:00:00Z') }, stored),
      {
        action: 'update',
        version: 3,
      },
    )
    assert.deepEqual(
      decideVersion({ version: null, contentHash: 'c', versionCreated: at('2026-03-02T08:30:00Z') }, stored),
      {
        action: 'older',
        latest: 2,
      },
    )
    assert.deepEqual(decideVersion({ version: null, contentHash: 'a', versionCreated: null }, stored), {
      action: 'duplicate',
      version: 1,
    })
  })
})

/** A published wire story as the wire left it. */
function wireStory(overrides: Partial<ArticleView> = {}): ArticleView {
  const filed = new Date('2026-03-02T08:00:00Z')
  return {
    id: 7,
    slug: 'harbour-wall-breached',
    shortCode: 'abc123',
    headline: 'Harbour wall breached',
    keyPoints: ['Sea water reached the high street'],
    bodyHtml: '<p>Storms breached the harbour wall.</p>',
    sectionId: 1,
    byline: 'Sam Reporter',
    sourceCredit: 'Example Agency',
    heroMediaId: null,
    status: 'published',
    firstPublishedAt: filed,
    publicUpdatedAt: filed,
    scheduledAt: null,
    version: 2,
    createdAt: filed,
    modifiedAt: filed,
    createdBy: null,
    breaking: true,
    dateline: 'LONDON',
    language: 'en',
    embargoUntil: null,
    submittedAt: null,
    submittedBy: null,
    reviewNote: '',
    reviewNoteAt: null,
    reviewNoteBy: null,
    section: { id: 1, slug: 'world', name: 'World' },
    topics: [{ id: 1, slug: 'weather', name: 'Weather' }],
    authors: [],
    hero: null,
    corrections: [],
    ...overrides,
  }
}

/** The fingerprint wire rows stored before it covered more than the text. */
function textOnly(view: ArticleView): string {
  const text = {
    headline: view.headline,
    keyPoints: view.keyPoints,
    bodyHtml: view.bodyHtml,
    byline: view.byline,
    sourceCredit: view.sourceCredit,
    topics: view.topics.map((t) => t.slug),
  }
  return createHash('sha256').update(JSON.stringify(text)).digest('hex')
}

describe('hasChangedSince', () => {
  const asLeft = wireStory()
  const stored = articleFingerprint(asLeft)

  it('sees an editor change to any field the wire sets', () => {
    assert.equal(hasChangedSince(asLeft, stored), false)
    const edits: Partial<ArticleView>[] = [
      { headline: 'Desk headline' },
      { byline: 'Desk' },
      { topics: [] },
      { breaking: false },
      { dateline: 'WESTMINSTER' },
      { language: 'cy' },
      { embargoUntil: new Date('2026-03-03T00:00:00Z') },
    ]
    for (const edit of edits)
      assert.equal(hasChangedSince(wireStory(edit), stored), true, JSON.stringify(edit))
  })

  it('does not count publishing, scheduling or saving as a change', () => {
    const later = new Date('2026-03-02T10:00:00Z')
    const moved = wireStory({ status: 'scheduled', scheduledAt: later, version: 5, modifiedAt: later })
    assert.equal(hasChangedSince(moved, stored), false)
  })

  it('compares a fingerprint stored before the format mark with the text alone', () => {
    const old = textOnly(asLeft)
    assert.notEqual(old, stored)
    assert.equal(hasChangedSince(asLeft, old), false)
    assert.equal(hasChangedSince(wireStory({ headline: 'Desk headline' }), old), true)
  })
})
