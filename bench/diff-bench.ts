import { performance } from 'node:perf_hooks'
import { diffText, PARAGRAPH_BREAK, type TextDiff } from '../src/platform/word-diff.js'
import { describeMachine } from './report.js'

/**
 * The revision diff the newsroom runs in the editor's tab: how long the worst inputs take
 * (the longest body the API accepts, edited lightly, heavily, or replaced outright), and
 * at what granularity the step budget lets each finish. Target: every case under 100 ms,
 * so comparing two revisions never freezes the tab.
 */
const TARGET_MS = 100
const RUNS = 7
const BODY_CHARS = 200_000

const WORDS = [
  'council',
  'harbour',
  'storm',
  'ferry',
  'voted',
  'closed',
  'the',
  'a',
  'on',
  'Tuesday',
  'crews',
]

function body(seed: number): string {
  let state = seed
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state
  }
  const paragraphs: string[] = []
  let length = 0
  while (length < BODY_CHARS) {
    const words = Array.from({ length: 40 + (next() % 40) }, () => WORDS[next() % WORDS.length])
    const paragraph = `${words.join(' ')}.`
    paragraphs.push(paragraph)
    length += paragraph.length + PARAGRAPH_BREAK.length
  }
  return paragraphs.join(PARAGRAPH_BREAK).slice(0, BODY_CHARS)
}

/** Every n-th word replaced: an editor's heavy rewrite of the same story. */
function edited(text: string, every: number): string {
  let i = 0
  return text.replace(/\p{L}+/gu, (word) => (++i % every === 0 ? `${word}x` : word))
}

function measure(before: string, after: string): { ms: number; diff: TextDiff } {
  const times: number[] = []
  let diff: TextDiff = { ops: [], granularity: 'word' }
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now()
    diff = diffText(before, after)
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return { ms: times[Math.floor(times.length / 2)]!, diff }
}

function main(): void {
  const original = body(1)
  const cases: [string, string, string][] = [
    ['one word changed in a 200,000-character body', original, original.replace(' storm ', ' gale ')],
    ['every 200th word changed', original, edited(original, 200)],
    ['every 20th word changed', original, edited(original, 20)],
    ['two unrelated 200,000-character bodies', original, body(2)],
    ['a headline, one word changed', 'Storm closes coastal road', 'Storm closes mountain road'],
  ]
  console.log(describeMachine())
  console.log(
    `parameters : median of ${RUNS} runs per case, default step budget; command: npm run bench -- diff\n`,
  )
  console.log(
    ['case'.padEnd(48), 'median ms'.padStart(10), 'granularity'.padStart(12), 'changes'.padStart(8)].join(
      ' ',
    ),
  )
  let slowest = 0
  for (const [name, before, after] of cases) {
    const { ms, diff } = measure(before, after)
    slowest = Math.max(slowest, ms)
    const changes = diff.ops.filter((op) => op.kind !== 'same').length
    console.log(
      [
        name.padEnd(48),
        ms.toFixed(2).padStart(10),
        diff.granularity.padStart(12),
        String(changes).padStart(8),
      ].join(' '),
    )
  }
  console.log(
    `\ntarget: every case under ${TARGET_MS} ms: slowest ${slowest.toFixed(1)} ms: ${slowest < TARGET_MS ? 'PASS' : 'MISS'}`,
  )
}

main()
