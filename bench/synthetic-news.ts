/**
 * Invented news copy for the bench: fictional places, people and events assembled
 * from word lists by a seeded generator, so every run seeds the same site and no real
 * article is copied. Sizes follow a typical short news story: a headline of 8-14
 * words, three key points, about six paragraphs with two subheads.
 */
export interface SyntheticStory {
  headline: string
  keyPoints: [string, string, string]
  bodyHtml: string
  heroAlt: string
  heroCaption: string
}

const PLACES = [
  'Northbridge',
  'Calder Bay',
  'Port Aldric',
  'Wexmoor',
  'Hallow Reach',
  'Linden Falls',
  'Oresby',
  'Saltmarsh',
  'Kestrel Point',
  'Amberley Vale',
  'Drumlow',
  'Fenwick Cross',
  'Greystone',
  'Marrow Hill',
  'Tollbridge',
  'Upper Asham',
  'Brindle Quay',
  'Corran Heights',
  'Eastwater',
  'Juniper Flats',
]
const SUBJECTS = [
  'council',
  'transit authority',
  'harbour board',
  'school district',
  'hospital trust',
  'water company',
  'farmers co-operative',
  'university',
  'port operator',
  'library service',
  'fire brigade',
  'energy utility',
  'housing association',
  'regional parliament',
  'chamber of commerce',
  'football club',
  'orchestra',
]
const ACTIONS = [
  'approves',
  'delays',
  'unveils',
  'scraps',
  'expands',
  'reviews',
  'funds',
  'pauses',
  'backs',
  'rethinks',
  'launches',
  'defends',
  'trims',
  'doubles',
]
const OBJECTS = [
  'night bus network',
  'flood barrier upgrade',
  'four-day school week',
  'solar canopy project',
  'riverside housing plan',
  'free museum Sundays',
  'cycle lane extension',
  'new maternity ward',
  'tram depot',
  'coastal path repairs',
  'rooftop garden scheme',
  'rural broadband rollout',
  'ferry timetable',
  'youth apprenticeship fund',
  'heat pump grants',
  'market hall restoration',
]
const TAILS = [
  'after months of debate',
  'as costs climb',
  'despite resident objections',
  'ahead of winter',
  'following a public vote',
  'after a surprise budget surplus',
  'amid staff shortages',
  'in a late-night session',
  'as ridership recovers',
  'after an independent review',
]
const PEOPLE = [
  'Mara Delacroix',
  'Tobias Renn',
  'Ilse Varga',
  'Quentin Oduya',
  'Priya Halvorsen',
  'Elias Montfort',
  'Noor Castellan',
  'Bram Okafor',
  'Saskia Lindqvist',
  'Dario Feyn',
  'Hollis Grange',
  'Yara Pemberton',
]
const ROLES = [
  'the council leader',
  'a spokesperson for the operator',
  'the finance director',
  'a local shopkeeper',
  'the head of the residents association',
  'an independent planning consultant',
  'the chief engineer',
  'a union representative',
  'the deputy mayor',
  'a retired schoolteacher',
]
const FIGURES = ['12', '18', '24', '35', '40', '57', '64', '120', '250', '1,400', '3.2 million', '9 million']
const UNITS = ['per cent', 'jobs', 'homes', 'kilometres', 'households', 'stops', 'classrooms', 'beds']
const TIMES = ['next spring', 'within two years', 'by the end of the decade', 'this autumn', 'next month']
const SUBHEADS = [
  'WHAT CHANGES',
  'THE COST',
  'WHO IS AFFECTED',
  'WHAT COMES NEXT',
  'A LONG ROAD',
  'OPPOSITION',
  'THE NUMBERS',
  'LOCAL REACTION',
]

/** A small, fast PRNG (mulberry32) so the seeded site is identical on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function syntheticStory(random: () => number): SyntheticStory {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const place = pick(PLACES)
  const subject = pick(SUBJECTS)
  const object = pick(OBJECTS)
  const headline = `${place} ${subject} ${pick(ACTIONS)} ${object} ${pick(TAILS)}`
  const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)
  const figure = () => `${pick(FIGURES)} ${pick(UNITS)}`
  const quote = () =>
    `"${capital(pick(['we', 'residents', 'the city', 'our staff']))} ${pick([
      'have waited long enough for this',
      'need to see the detailed figures first',
      'cannot afford another year of delay',
      'will judge it by what changes on the ground',
    ])}," said ${pick(PEOPLE)}, ${pick(ROLES)}.`
  const sentence = () =>
    pick([
      `The ${object} would affect about ${figure()} across ${place} and ${pick(PLACES)}.`,
      `Officials said the first phase could begin ${pick(TIMES)}, subject to final approval.`,
      `An earlier version of the plan was withdrawn after estimates rose by ${pick(FIGURES)} per cent.`,
      `Critics argue the money would be better spent on the ${pick(OBJECTS)}.`,
      `Supporters point to a similar scheme in ${pick(PLACES)} that added ${figure()}.`,
      `The ${pick(SUBJECTS)} said it had not been consulted on the timetable.`,
      `A public meeting is planned at the ${pick(['town hall', 'community centre', 'old library'])} ${pick(TIMES)}.`,
    ])
  const paragraph = (count: number) => Array.from({ length: count }, sentence).join(' ')
  const [first, second] = [pick(SUBHEADS), pick(SUBHEADS)]
  const body = [
    `<p>The ${subject} in ${place} on ${pick(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])} ${pick(ACTIONS).replace(/s$/, 'd')} the ${object}, ${pick(TAILS)}. ${paragraph(2)}</p>`,
    `<p>${paragraph(3)}</p>`,
    `<h2>${first}</h2>`,
    `<p>${paragraph(3)} ${quote()}</p>`,
    `<p>${paragraph(4)}</p>`,
    `<h2>${second === first ? 'WHAT COMES NEXT' : second}</h2>`,
    `<p>${paragraph(3)}</p>`,
    `<p>${quote()} ${paragraph(2)}</p>`,
  ]
  return {
    headline: capital(headline),
    keyPoints: [
      `The ${object} covers about ${figure()}`,
      `Work could start ${pick(TIMES)}`,
      `The ${pick(SUBJECTS)} in ${pick(PLACES)} is watching closely`,
    ],
    bodyHtml: body.join(''),
    heroAlt: `Residents walk past the site of the proposed ${object} in ${place}`,
    heroCaption: `The site of the ${object} in ${place}, in a file photo.`,
  }
}
