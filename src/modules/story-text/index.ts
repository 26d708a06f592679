// A story's text, apart from where it is stored: the rich-text subset a body may hold and
// the length of each field. It loads no database code, so the wire's parse threads, which
// clean agency bodies, stay small.
export { rememberCleanBodies, sanitizeAgencyBody, sanitizeBody, type BodyImage } from './sanitize-body.js'
export {
  MAX_BODY_LENGTH,
  MAX_DATELINE_LENGTH,
  MAX_HEADLINE_LENGTH,
  MAX_KEY_POINT_LENGTH,
  MAX_KEY_POINTS,
} from './text-limits.js'
