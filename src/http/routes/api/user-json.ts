import type { User } from '../../../modules/auth/index.js'

/** The API's shape of a newsroom user. */
export function userJson(user: User) {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    slug: user.slug,
    role: user.role,
    disabled: user.disabledAt !== null,
  }
}
