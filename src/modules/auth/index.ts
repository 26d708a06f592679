export type { Actor, Permission, Role, User } from './user.js'
export { can, isRole, ROLES } from './user.js'
export { findUserById, findUserBySlug, listUsers, searchStaffNames, type StaffName } from './user-queries.js'
export {
  authenticate,
  changeUser,
  createApiToken,
  createUser,
  emailProblems,
  endSession,
  findActorBySession,
  findActorByToken,
  pruneExpiredSessions,
  pruneEndedRateLimits,
  SESSION_LIFETIME_MS,
  signIn,
  startSession,
  type AuthDeps,
  type CreateUserInput,
  type SignInInput,
} from './auth-service.js'
export { countRateLimitHit, type RateLimitWindow } from './rate-limit-queries.js'
export type { SignInLimits } from './sign-in-limits.js'
