import { sql, type Kysely } from '#kysely'
import type { Database } from '../src/platform/database.js'
import { slugify } from '../src/platform/slug.js'
import { seededRandom, syntheticStory } from './synthetic-news.js'

const SECTIONS = ['World', 'Business', 'Politics', 'Science', 'Sport', 'Culture', 'Health', 'Technology']
const TOPICS = [
  'Transport',
  'Housing',
  'Flooding',
  'Energy',
  'Schools',
  'Hospitals',
  'Budget',
  'Elections',
  'Climate',
  'Rail',
  'Ports',
  'Farming',
  'Football',
  'Music',
  'Museums',
  'Broadband',
  'Water',
  'Planning',
  'Jobs',
  'Tourism',
  'Weather',
  'Courts',
  'Policing',
  'Universities',
  'Retail',
  'Cycling',
  'Libraries',
  'Theatre',
  'Fisheries',
  'Aviation',
  'Trade',
  'Research',
  'Wildlife',
  'Heritage',
  'Tax',
  'Pensions',
  'Startups',
  'Athletics',
  'Healthcare',
  'Local government',
]
const AUTHORS = [
  'Ada Kestrel',
  'Ben Marlowe',
  'Clara Voss',
  'Dev Anand Rao',
  'Esme Thornbury',
  'Felix Achebe',
  'Greta Solberg',
  'Hugo Lanier',
  'Ines Carvalho',
  'Jonah Whitlock',
  'Kaia Nakamura',
  'Leo Brannigan',
  'Mina Farouk',
  'Nils Ekdahl',
  'Olive Stroud',
  'Pavel Marek',
  'Rhea Castell',
  'Sol Ibarra',
]
// Short codes use the same unambiguous alphabet as the real ones (platform/ids.ts).
const SHORT_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'
const CHUNK = 400

export interface SeededSite {
  /** Reader URL path of every seeded article, oldest first: "/world/some-headline-42". */
  articlePaths: string[]
  sections: number
  topics: number
  authors: number
}

/**
 * Seeds a fresh database with `count` published articles, spread over sections, topics
 * and authors, each with three key points, a body of ~6 paragraphs with subheads and a
 * hero image record. It writes straight through Kysely in one transaction, bypassing
 * the article service (and so revisions and the event log), because creating 10,000
 * stories one by one through the service takes minutes; the reader pages read only
 * the tables written here.
 */
export async function seedArticles(db: Kysely<Database>, count: number): Promise<SeededSite> {
  const random = seededRandom(20_240_601)
  const now = Date.now()
  return db.transaction().execute(async (trx) => {
    const sections = await trx
      .insertInto('section')
      .values(SECTIONS.map((name, position) => ({ slug: slugify(name), name, position })))
      .returning(['id', 'slug'])
      .execute()
    const topics = await trx
      .insertInto('topic')
      .values(TOPICS.map((name) => ({ slug: slugify(name), name })))
      .returning('id')
      .execute()
    const authors = await trx
      .insertInto('user')
      .values(
        AUTHORS.map((name) => ({
          email: `${slugify(name)}@bench.invalid`,
          display_name: name,
          slug: slugify(name),
          role: 'contributor' as const,
          // Not a scrypt hash: these accounts exist only as bylines and can never sign in.
          password_hash: 'bench:no-login',
          bio: `${name} reports for the Dateline bench desk.`,
          created_at: new Date(now),
        })),
      )
      .returning('id')
      .execute()

    const articlePaths: string[] = []
    for (let start = 0; start < count; start += CHUNK) {
      const size = Math.min(CHUNK, count - start)
      const stories = Array.from({ length: size }, (_, k) => ({
        index: start + k,
        ...syntheticStory(random),
      }))
      const media = await trx
        .insertInto('media')
        .values(
          stories.map((s) => ({
            src: `/media/bench/hero-${s.index}.jpg`,
            width: 1600,
            height: 900,
            srcset: `/media/bench/hero-${s.index}-480.jpg 480w, /media/bench/hero-${s.index}-800.jpg 800w`,
            alt: s.heroAlt,
            caption: s.heroCaption,
            credit: 'Dateline Photo/File',
            created_at: new Date(now),
          })),
        )
        .returning(['id', 'src'])
        .execute()
      const mediaIdBySrc = new Map(media.map((m) => [m.src, m.id]))

      const rows = stories.map((s) => {
        const section = sections[s.index % sections.length]!
        const slug = `${slugify(s.headline).slice(0, 68).replace(/-+$/, '')}-${s.index}`
        // Oldest first, three minutes apart, the newest a minute ago.
        const published = new Date(now - 60_000 - (count - 1 - s.index) * 180_000)
        const authorId = authors[Math.floor(random() * authors.length)]!.id
        articlePaths.push(`/${section.slug}/${slug}`)
        return {
          slug,
          short_code: shortCode(s.index),
          headline: s.headline,
          key_points: JSON.stringify(s.keyPoints),
          body_html: s.bodyHtml,
          section_id: section.id,
          byline: '',
          source_credit: '',
          hero_media_id: mediaIdBySrc.get(`/media/bench/hero-${s.index}.jpg`) ?? null,
          status: 'published' as const,
          first_published_at: published,
          public_updated_at: published,
          scheduled_at: null,
          version: 2,
          created_at: published,
          modified_at: published,
          created_by: authorId,
        }
      })
      const inserted = await trx.insertInto('article').values(rows).returning(['id', 'created_by']).execute()
      await trx
        .insertInto('article_topic')
        .values(
          inserted.flatMap((a) =>
            pickDistinct(random, topics, 3).map((t, position) => ({
              article_id: a.id,
              topic_id: t.id,
              position,
            })),
          ),
        )
        .execute()
      await trx
        .insertInto('article_author')
        .values(
          inserted.flatMap((a) => {
            const second = random() < 0.3 ? authors[Math.floor(random() * authors.length)]!.id : undefined
            const ids =
              second === undefined || second === a.created_by ? [a.created_by!] : [a.created_by!, second]
            return ids.map((userId, position) => ({ article_id: a.id, user_id: userId, position }))
          }),
        )
        .execute()
    }
    return { articlePaths, sections: sections.length, topics: topics.length, authors: authors.length }
  })
}

/** Refreshes planner statistics after the bulk load, as autovacuum would on a live PostgreSQL. */
export async function analyzeAfterSeed(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql`analyze`.execute(db)
}

function shortCode(index: number): string {
  let value = index + 55 ** 5
  let code = ''
  while (value > 0) {
    code = SHORT_ALPHABET[value % SHORT_ALPHABET.length]! + code
    value = Math.floor(value / SHORT_ALPHABET.length)
  }
  return code.padStart(7, '2')
}

function pickDistinct<T>(random: () => number, list: readonly T[], count: number): T[] {
  const picked = new Set<T>()
  while (picked.size < count) picked.add(list[Math.floor(random() * list.length)]!)
  return [...picked]
}
