import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decideVersion, type StoredVersion } from './wire-versions.js'

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
