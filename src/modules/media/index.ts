export type { BlobStore } from './ports.js'
export {
  contentTypeOfKey,
  DEFAULT_IMAGE_LIMITS,
  MEDIA_KEY,
  mediaUrl,
  type ImageFormat,
  type ImageLimits,
  type ImageSource,
  type MediaItem,
  type MediaUse,
  type Rendition,
  type RenditionStatus,
} from './media.js'
export { withBodyRenditions } from './body-renditions.js'
export { RENDITION_WIDTHS, renditionWidths } from './make-renditions.js'
export { prepareImage, type PreparedImage } from './prepare-image.js'
export { sniffImage } from './sniff-image.js'
export { findMediaById } from './media-queries.js'
export {
  deleteMedia,
  getMedia,
  makeRenditions,
  MAX_ALT_LENGTH,
  MAX_CAPTION_LENGTH,
  MAX_CREDIT_LENGTH,
  MEDIA_RENDITIONS_JOB,
  searchMedia,
  storeImage,
  updateMedia,
  type MediaDeps,
  type MediaTextInput,
  type RenditionOutcome,
  type StoreImageInput,
} from './media-service.js'
