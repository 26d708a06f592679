import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { createArticle, publishArticle } from '../modules/articles/index.js'
import { createUser, type Actor } from '../modules/auth/index.js'
import { createSection, listSections } from '../modules/taxonomy/index.js'
import { randomSecret } from '../platform/ids.js'
import type { AppContext } from '../main/context.js'

/** Fictional stories written for Dateline's sample site; no real events or people. */
const STORIES = [
  {
    section: 'world',
    headline: 'Harbour cities agree shared flood defence plan after record spring tides',
    keyPoints: [
      'Seven coastal cities will pool engineers and funding',
      'The first barrier upgrades start next autumn',
      'Residents will get flood alerts by text message',
    ],
    topics: ['Climate', 'Flooding'],
    hue: 200,
    caption: 'Sea walls at the northern harbour during a spring tide, in a file photo.',
    credit: 'Dateline Photo/File',
    body: [
      '<p>Mayors of seven harbour cities signed a joint plan on Tuesday to share engineers, sensors and money for flood defences, after spring tides reached the highest level on local records.</p>',
      '<h2>POOLED ENGINEERING</h2>',
      '<p>Under the plan, each city contributes to a common fund and a single team surveys sea walls along the whole coast, rather than each council hiring its own consultants.</p>',
      '<blockquote><p>"The water does not stop at the city limit, so neither can we," said the chair of the regional council.</p></blockquote>',
      '<h2>WHAT RESIDENTS WILL SEE</h2>',
      '<p>The first upgrades, raising low sections of the promenade, are due to begin next autumn. A text-message alert service will launch before the winter storm season.</p>',
    ],
  },
  {
    section: 'business',
    headline: 'Regional rail operator orders forty quieter electric trains',
    keyPoints: [
      'Deliveries begin in two years',
      'The trains replace diesel units on rural lines',
      'The order includes a local maintenance depot',
    ],
    topics: ['Transport', 'Rail'],
    hue: 30,
    caption: 'A test train at the depot, in a file photo.',
    credit: 'Dateline Photo/File',
    body: [
      '<p>The regional rail operator said on Monday it had ordered forty battery-electric trains to replace ageing diesel units on its rural branch lines.</p>',
      '<h2>LOWER RUNNING COSTS</h2>',
      '<p>The operator expects maintenance costs to fall by about a third, and said the new trains would be noticeably quieter for people living beside the tracks.</p>',
      '<p>A new depot near the main junction will service the fleet and employ about 120 people.</p>',
    ],
  },
  {
    section: 'science',
    headline: 'Volunteer astronomers spot fast-moving comet from a school rooftop',
    keyPoints: [
      'Two students made the first sighting',
      'The comet will be visible with binoculars next month',
    ],
    topics: ['Astronomy', 'Education'],
    hue: 260,
    caption: 'The school observatory dome at dusk.',
    credit: 'Dateline Photo',
    body: [
      '<p>Two students running a school telescope club recorded a faint comet on Friday night that professional surveys had not yet catalogued.</p>',
      '<h2>CONFIRMED OVERNIGHT</h2>',
      '<p>Observatories in three countries confirmed the object within hours. Astronomers expect it to brighten enough for binoculars by the middle of next month.</p>',
      '<ul><li>Best viewing: an hour before dawn</li><li>Look low in the eastern sky</li></ul>',
    ],
  },
  {
    section: 'sport',
    headline: 'Underdogs reach cup final with late winner in rain-soaked semi',
    keyPoints: ['The winning goal came in the 89th minute', 'It is the club’s first final in 31 years'],
    topics: ['Football'],
    hue: 120,
    caption: 'Players celebrate the late winner in heavy rain.',
    credit: 'Dateline Photo',
    body: [
      '<p>A header in the 89th minute sent the second-division side into the cup final on Saturday, ending a 31-year wait for a trip to the national stadium.</p>',
      '<h2>A WATERLOGGED PITCH</h2>',
      '<p>Play was halted twice for standing water. The home side’s coach said afterwards that the squad had "trained for exactly this kind of mud".</p>',
    ],
  },
  {
    section: 'world',
    headline: 'Mountain villages reconnected as snow-blocked pass reopens',
    keyPoints: [
      'The pass had been closed for eleven days',
      'Supplies reached two villages by helicopter during the closure',
    ],
    topics: ['Weather', 'Transport'],
    hue: 180,
    caption: 'Snowploughs clearing the upper road of the pass.',
    credit: 'Dateline Photo',
    body: [
      '<p>Road crews reopened the mountain pass on Sunday after eleven days of closure, reconnecting two villages that had relied on helicopter deliveries for food and medicine.</p>',
      '<h2>CLEARING CONTINUES</h2>',
      '<p>Authorities said the road would stay restricted to daylight hours while avalanche barriers were inspected.</p>',
    ],
  },
  {
    section: 'business',
    headline: 'Co-operative bakery chain opens its books to customers',
    keyPoints: ['Members can now read monthly accounts online', 'Flour costs rose 9% over the year'],
    topics: ['Retail', 'Food'],
    hue: 45,
    caption: 'Loaves cooling at the chain’s central bakery.',
    credit: 'Dateline Photo',
    body: [
      '<p>A co-operative bakery chain with 60 shops began publishing its monthly accounts to customer-members on Thursday, a step its board says will make price rises easier to explain.</p>',
      '<h2>COSTS IN THE OPEN</h2>',
      '<p>The first statement shows flour costs up 9% on the year and energy costs flat.</p>',
    ],
  },
  {
    section: 'science',
    headline: 'City trial finds street trees cut summer pavement heat by a third',
    keyPoints: [
      'Sensors recorded temperatures on 40 streets',
      'Shaded pavements stayed up to 12 degrees cooler',
    ],
    topics: ['Climate', 'Cities'],
    hue: 95,
    caption: 'A tree-lined street fitted with temperature sensors.',
    credit: 'Dateline Photo',
    body: [
      '<p>A two-year trial measuring pavement temperatures on 40 streets found that mature tree cover reduced peak surface heat by about a third.</p>',
      '<h2>PLANTING PLANS</h2>',
      '<p>The council said it would prioritise planting on streets near schools and care homes.</p>',
    ],
  },
  {
    section: 'sport',
    headline: 'Marathon organisers add night race as entries hit record',
    keyPoints: ['A 10km night race joins the programme', 'Entries passed 30,000 within a week'],
    topics: ['Athletics'],
    hue: 330,
    caption: 'Runners cross the river bridge at last year’s race.',
    credit: 'Dateline Photo/File',
    body: [
      '<p>Organisers of the city marathon added a 10km night race to next year’s programme after entries passed 30,000 in the first week.</p>',
      '<h2>ROUTE UNCHANGED</h2>',
      '<p>The main marathon keeps its riverside route; the night race will use the closed roads after the last finishers.</p>',
    ],
  },
]

const SECTIONS = [
  { slug: 'world', name: 'World', position: 1 },
  { slug: 'business', name: 'Business', position: 2 },
  { slug: 'science', name: 'Science', position: 3 },
  { slug: 'sport', name: 'Sport', position: 4 },
]

/** Fills an empty database with sections, two staff authors and published stories. */
export async function seedSampleContent(ctx: AppContext): Promise<{ created: number }> {
  if ((await listSections(ctx.handle.db)).length > 0) return { created: 0 }
  for (const section of SECTIONS) await createSection(ctx.taxonomy, section)
  const authors = [
    await createUser(ctx.auth, {
      email: 'desk@dateline.invalid',
      displayName: 'Dateline Desk',
      role: 'editor',
      password: randomSecret(),
    }),
    await createUser(ctx.auth, {
      email: 'maria.lind@dateline.invalid',
      displayName: 'Maria Lind',
      role: 'editor',
      password: randomSecret(),
    }),
  ]
  const mediaDir = path.join(ctx.config.dataDir, 'media', 'sample')
  mkdirSync(mediaDir, { recursive: true })
  let created = 0
  for (const [i, story] of STORIES.entries()) {
    const author = authors[i % authors.length]!
    const actor: Actor = { userId: author.id, role: 'editor', via: 'cli' }
    const file = `story-${i + 1}.jpg`
    const srcset = await writeSampleImages(mediaDir, `story-${i + 1}`, story.hue, i)
    const article = await createArticle(ctx.articles, actor, {
      headline: story.headline,
      section: story.section,
      keyPoints: story.keyPoints,
      bodyHtml: story.body.join('\n'),
      topics: story.topics,
      sourceCredit: 'Dateline',
      authorIds: [author.id],
      hero: {
        src: `/media/sample/${file}`,
        width: 1200,
        height: 675,
        srcset,
        alt: story.caption.replace(/, in a file photo\.$|\.$/, ''),
        caption: story.caption,
        credit: story.credit,
      },
    })
    await publishArticle(ctx.articles, actor, article.id)
    created++
  }
  return { created }
}

/** Writes the full-size stand-in photo and two smaller renditions; returns their srcset. */
async function writeSampleImages(dir: string, name: string, hue: number, seed: number): Promise<string> {
  // Loaded here, not with the CLI: every other command (ingest above all) starts quicker without it.
  const { default: sharp } = await import('sharp')
  const full = sharp(Buffer.from(sampleSvg(hue, seed)))
  await full
    .clone()
    .jpeg({ quality: 78, mozjpeg: true })
    .toFile(path.join(dir, `${name}.jpg`))
  const entries: string[] = []
  for (const width of [480, 800]) {
    await full
      .clone()
      .resize({ width })
      .jpeg({ quality: 78, mozjpeg: true })
      .toFile(path.join(dir, `${name}-${width}.jpg`))
    entries.push(`/media/sample/${name}-${width}.jpg ${width}w`)
  }
  return entries.join(', ')
}

/** An abstract landscape as a stand-in photo: sky, hills and a sun, tinted per story. */
function sampleSvg(hue: number, seed: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675">
  <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},55%,78%)"/><stop offset="1" stop-color="hsl(${hue},45%,52%)"/></linearGradient></defs>
  <rect width="1200" height="675" fill="url(#s)"/>
  <circle cx="${250 + seed * 110}" cy="190" r="70" fill="hsl(${(hue + 40) % 360},80%,88%)"/>
  <path d="M0 470 Q300 ${360 + seed * 8} 600 460 T1200 430 V675 H0Z" fill="hsl(${hue},35%,35%)"/>
  <path d="M0 560 Q400 500 800 570 T1200 540 V675 H0Z" fill="hsl(${hue},30%,24%)"/>
</svg>`
}
