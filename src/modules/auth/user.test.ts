import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { can, isRole, ROLES, type Permission } from './user.js'

describe('can', () => {
  it('lets a contributor write only their own drafts', () => {
    assert.equal(can('contributor', 'article:write-own-draft'), true)
    for (const permission of [
      'article:write-any',
      'article:publish',
      'taxonomy:manage',
      'user:manage',
    ] as const) {
      assert.equal(can('contributor', permission), false, permission)
    }
  })

  it('lets an editor write and publish any story and manage taxonomy, but not users', () => {
    for (const permission of [
      'article:write-own-draft',
      'article:write-any',
      'article:publish',
      'taxonomy:manage',
    ] as const) {
      assert.equal(can('editor', permission), true, permission)
    }
    assert.equal(can('editor', 'user:manage'), false)
  })

  it('lets an admin do everything', () => {
    const all: Permission[] = [
      'article:write-own-draft',
      'article:write-any',
      'article:publish',
      'taxonomy:manage',
      'user:manage',
    ]
    for (const permission of all) assert.equal(can('admin', permission), true, permission)
  })
})

describe('isRole', () => {
  it('accepts exactly the three staff roles', () => {
    assert.deepEqual([...ROLES], ['contributor', 'editor', 'admin'])
    for (const role of ROLES) assert.equal(isRole(role), true)
  })

  it('rejects anything else, including near misses', () => {
    for (const value of ['', 'Editor', 'reader', 'administrator', 'admin '])
      assert.equal(isRole(value), false, value)
  })
})
