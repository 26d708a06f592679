export type Role = 'contributor' | 'editor' | 'admin'
export const ROLES: readonly Role[] = ['contributor', 'editor', 'admin']

/** A newsroom account (staff). Readers are a separate kind of account. */
export interface User {
  id: number
  email: string
  displayName: string
  slug: string
  role: Role
  bio: string
  createdAt: Date
  disabledAt: Date | null
}

/** Who is acting: the signed-in user, or a script holding one of their API tokens. */
export interface Actor {
  userId: number
  role: Role
  via: 'session' | 'token' | 'cli'
}

export type Permission =
  | 'article:write-own-draft'
  | 'article:write-any'
  | 'article:publish'
  | 'taxonomy:manage'
  | 'user:manage'
  /** Wire sources: feeds, watch folders, push tokens. */
  | 'wire:configure'

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  contributor: ['article:write-own-draft'],
  editor: ['article:write-own-draft', 'article:write-any', 'article:publish', 'taxonomy:manage'],
  admin: [
    'article:write-own-draft',
    'article:write-any',
    'article:publish',
    'taxonomy:manage',
    'user:manage',
    'wire:configure',
  ],
}

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].includes(permission)
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}
