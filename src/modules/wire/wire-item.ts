/** The formats agency copy arrives in. "auto" on a source means: tell from the bytes. */
export type WireFormat = 'ninjs' | 'newsml-g2' | 'rss' | 'atom'
export const WIRE_FORMATS: readonly WireFormat[] = ['ninjs', 'newsml-g2', 'rss', 'atom']

/** A photo an item offers for the hero, with the rights text that must travel with it. */
export interface PictureCandidate {
  href: string
  width: number | null
  height: number | null
  caption: string
  credit: string
  copyright: string
}

/**
 * One story as an agency sent it, normalised from any format. Text fields are clean
 * plain text, bodyHtml is already sanitised to our body subset.
 */
export interface WireItem {
  format: WireFormat
  /** The agency's id for the story, the same across its versions (ninjs uri, G2 guid, feed guid/id). */
  guid: string
  /** The agency's version number; null when the format has none (feeds). */
  version: number | null
  headline: string
  keyPoints: string[]
  bodyHtml: string
  byline: string
  /** Who to credit: the provider or copyright holder named in the item. */
  credit: string
  copyright: string
  topics: string[]
  /** Urgency 1-2 (ninjs, NewsML-G2) or an agency "flash"/"urgent" marker. */
  breaking: boolean
  firstCreated: Date | null
  versionCreated: Date | null
  /** Not before this time (NewsML-G2 embargoed). */
  embargoedUntil: Date | null
  language: string
  /** The dateline place, e.g. "Berlin, Germany". */
  located: string
  pictures: PictureCandidate[]
  /**
   * Set when the agency withdrew the story (a kill or withhold notice): the story must come
   * down. A feed item that merely disappears from its feed is not a withdrawal.
   */
  withdrawn: 'canceled' | 'withheld' | null
}

/** One entry of a parsed document: an item, or the refusal of one item in a batch. */
export type ParsedEntry =
  /** `contentHash` is the item's (wire-versions.ts), worked out with the parse, wherever that ran. */
  | { kind: 'item'; item: WireItem; raw: Uint8Array; label: string; contentHash: string }
  | { kind: 'refused'; reason: string; raw: Uint8Array; label: string }
