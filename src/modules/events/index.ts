export type { ContentEvent, ContentEventType, NewContentEvent } from './event.js'
export { changesPublicPages } from './event.js'
export { findLatestEventId, listEventsAfter } from './event-queries.js'
export { createEventOutbox, type EventOutbox } from './event-outbox.js'
