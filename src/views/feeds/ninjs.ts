import { canonicalPath, type ArticleView } from '../../modules/articles/index.js'
import { contentTypeOfKey } from '../../modules/media/index.js'
import { escapeHtml } from '../../platform/text.js'
import { absoluteAddresses, absoluteUrl } from './feed-formats.js'

/** The IPTC ninjs version we write; its schema checks our output in the tests. */
export const NINJS_STANDARD = {
  name: 'ninjs',
  version: '3.0',
  schema: 'https://www.iptc.org/std/ninjs/ninjs-schema_3.0.json',
}

export interface NinjsSite {
  publicUrl: string
  shortUrlBase: string
  name: string
}

/**
 * A story as IPTC ninjs 3.0, for partners and other systems to take in: the same story
 * our own ingest would read back (headline, key points as a summary list, body, topics,
 * byline, dateline, hero). Addresses are absolute; the id is the story's short URL.
 */
export function toNinjs(story: ArticleView, site: NinjsSite): Record<string, unknown> {
  const absolute = (address: string) => absoluteUrl(address, site.publicUrl)
  const hero = story.hero
  const byline = story.byline || story.authors.map((a) => a.displayName).join(', ')
  const status =
    story.status === 'unpublished' ? 'canceled' : story.status === 'published' ? 'usable' : 'withheld'
  return {
    standard: NINJS_STANDARD,
    uri: `${site.shortUrlBase}/s/${story.shortCode}`,
    type: 'text',
    representationType: 'full',
    version: String(story.version),
    firstCreated: story.createdAt.toISOString(),
    versionCreated: (story.publicUpdatedAt ?? story.modifiedAt).toISOString(),
    ...(story.firstPublishedAt && { contentCreated: story.firstPublishedAt.toISOString() }),
    ...(story.embargoUntil && { embargoedUntil: story.embargoUntil.toISOString() }),
    pubStatus: status,
    ...(story.breaking && { urgency: 1 }),
    copyrightHolder: story.sourceCredit || site.name,
    language: story.language,
    headlines: [{ role: 'main', contentType: 'text/plain', value: story.headline }],
    ...(story.keyPoints.length > 0 && {
      descriptions: [
        {
          role: 'summary',
          contentType: 'text/html',
          value: `<ul>${story.keyPoints.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`,
        },
      ],
    }),
    bodies: [
      {
        role: 'main',
        contentType: 'text/html',
        value: absoluteAddresses(story.bodyHtml, site.publicUrl),
      },
    ],
    subjects: story.topics.map((t) => ({ name: t.name, uri: `${site.publicUrl}/topic/${t.slug}` })),
    ...(byline && { by: byline }),
    ...(story.dateline && { located: story.dateline }),
    renditions: [
      {
        name: 'html',
        href: `${site.publicUrl}${canonicalPath(story, story.section.slug)}`,
        contentType: 'text/html',
      },
    ],
    ...(hero && {
      associations: [
        {
          name: 'featureimage',
          uri: absolute(hero.src),
          type: 'picture',
          ...(hero.alt && { headlines: [{ role: 'alternative', value: hero.alt }] }),
          ...(hero.caption && { descriptions: [{ role: 'caption', value: hero.caption }] }),
          ...(hero.credit && { by: hero.credit }),
          renditions: [
            {
              name: 'original',
              href: absolute(hero.src),
              contentType: contentTypeOfKey(hero.src) ?? 'image/jpeg',
              width: hero.width,
              height: hero.height,
            },
          ],
        },
      ],
    }),
  }
}
