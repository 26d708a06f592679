/**
 * Word-level differences between two texts, for revision history and conflict merges.
 * Pure and shared with the newsroom app, so the server's tests cover what editors see.
 *
 * Myers' O(ND) algorithm over word tokens, after the common start and end are set aside
 * (most revisions change a little in the middle of a long story). A work budget, counted
 * in steps and not in time, stops the search on texts that differ too much: the diff then
 * falls back to whole paragraphs, and past that to "all removed, all added".
 */

export type DiffOpKind = 'same' | 'ins' | 'del'

export interface DiffOp {
  kind: DiffOpKind
  text: string
}

/** How fine the answer is: word by word, changed paragraphs only, or the whole text replaced. */
export type DiffGranularity = 'word' | 'paragraph' | 'whole'

export interface TextDiff {
  ops: DiffOp[]
  granularity: DiffGranularity
}

export interface DiffOptions {
  /** Steps of the search before it gives up on a finer level (default 500,000). */
  maxSteps?: number
}

const DEFAULT_MAX_STEPS = 500_000
/** Marks a paragraph break inside a text; bodies are diffed as paragraphs joined by it. */
export const PARAGRAPH_BREAK = '\n\n'

const WORD = /^[\p{L}\p{M}\p{N}]/u
/** Scripts written without spaces between words: each character is compared on its own. */
const UNSPACED =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}'
const TOKEN = new RegExp(
  [
    // A paragraph break, then any other run of white space.
    '\\n\\n',
    '\\s+?(?=\\n\\n)|\\s+',
    // One character of a script without spaces, with its combining marks.
    `[${UNSPACED}]\\p{M}*`,
    // A word: letters, marks and digits, with inner apostrophes ("don't", "l’école").
    `(?:(?![${UNSPACED}])[\\p{L}\\p{M}\\p{N}])+(?:['’](?:(?![${UNSPACED}])[\\p{L}\\p{M}\\p{N}])+)*`,
    // An emoji with its joiners, skin tones and variation selectors.
    '\\p{Extended_Pictographic}(?:\\u200d\\p{Extended_Pictographic}|\\u{FE0F}|\\p{Emoji_Modifier})*',
    // Anything else, one character at a time, with its combining marks.
    '[^]\\p{M}*',
  ].join('|'),
  'gu',
)

/**
 * Splits text into words, runs of white space (a paragraph break is its own token) and
 * single punctuation marks. Joining the tokens gives the text back exactly.
 */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? []
}

/** Whether a token is a word (letters or digits), as opposed to space or punctuation. */
export function isWordToken(token: string): boolean {
  return WORD.test(token)
}

/** The differences between two texts, word by word when the budget allows. */
export function diffText(before: string, after: string, options: DiffOptions = {}): TextDiff {
  const budget = { steps: options.maxSteps ?? DEFAULT_MAX_STEPS }
  // Only the changed middle is looked at: a long story edited in one place stays cheap.
  const [start, end] = sharedEdges(before, after)
  const a = before.slice(start, before.length - end)
  const b = after.slice(start, after.length - end)
  // Paragraphs first, then words inside each changed stretch of paragraphs: a story
  // edited in many places costs the sum of its small stretches, not its whole length.
  // Comparing whole paragraphs is cheap per step, so that pass gets a larger budget of its own.
  const paragraphs = diffTokens(splitParagraphs(a), splitParagraphs(b), { steps: budget.steps * 4 })
  if (!paragraphs) {
    const ops = merge([
      { kind: 'del', text: before },
      { kind: 'ins', text: after },
    ])
    return { ops, granularity: 'whole' }
  }
  let granularity: DiffGranularity = 'word'
  const ops: DiffOp[] = [{ kind: 'same', text: before.slice(0, start) }]
  for (const stretch of stretches(paragraphs)) {
    if (stretch.same !== undefined) {
      ops.push({ kind: 'same', text: stretch.same })
      continue
    }
    for (const [del, ins] of pairs(stretch.del, stretch.ins)) {
      const words = diffTokens(tokenize(del), tokenize(ins), budget)
      if (words) ops.push(...words)
      else {
        granularity = 'paragraph'
        ops.push({ kind: 'del', text: del }, { kind: 'ins', text: ins })
      }
    }
  }
  ops.push({ kind: 'same', text: before.slice(before.length - end) })
  return { ops: merge(ops), granularity }
}

/**
 * A changed stretch with as many paragraphs before as after is most likely each paragraph
 * edited in place: compared pair by pair, which costs far less than the stretch as a whole.
 */
function pairs(del: string, ins: string): [string, string][] {
  const before = splitParagraphs(del)
  const after = splitParagraphs(ins)
  if (before.length < 2 || before.length !== after.length) return [[del, ins]]
  return before.map((paragraph, i) => [paragraph, after[i]!])
}

type Stretch =
  { same: string; del?: undefined; ins?: undefined } | { same?: undefined; del: string; ins: string }

/** Unchanged runs, and between them what was removed and added there. */
function stretches(ops: DiffOp[]): Stretch[] {
  const result: Stretch[] = []
  let del = ''
  let ins = ''
  const flush = () => {
    if (del !== '' || ins !== '') result.push({ del, ins })
    del = ''
    ins = ''
  }
  for (const op of ops) {
    if (op.kind === 'same') {
      flush()
      result.push({ same: op.text })
    } else if (op.kind === 'del') del += op.text
    else ins += op.text
  }
  flush()
  return result
}

/**
 * How many characters both texts share at the start and at the end, cut back to where a
 * word starts after white space, so the words in between split exactly as in the whole text.
 */
function sharedEdges(a: string, b: string): [number, number] {
  const limit = Math.min(a.length, b.length)
  let start = 0
  while (start < limit && a.charCodeAt(start) === b.charCodeAt(start)) start++
  if (start < limit || a.length !== b.length) {
    while (start > 0 && !(isSpaceChar(a, start - 1) && !isSpaceChar(a, start))) start--
  }
  let end = 0
  while (end < limit - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++
  while (end > 0 && !(isSpaceChar(a, a.length - end - 1) && !isSpaceChar(a, a.length - end))) end--
  return [start, end]
}

function isSpaceChar(text: string, index: number): boolean {
  return /\s/.test(text.charAt(index))
}

/** Paragraphs with their breaks as tokens of their own, so joining gives the text back. */
function splitParagraphs(text: string): string[] {
  return text.split(/(\n\n)/).filter((part) => part !== '')
}

/**
 * The shortest edit from one token list to the other, or undefined when the search
 * would take more steps than the budget allows.
 */
export function diffTokens(a: string[], b: string[], budget: { steps: number }): DiffOp[] | undefined {
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const ids = new Map<string, number>()
  const idOf = (token: string) => {
    let id = ids.get(token)
    if (id === undefined) {
      id = ids.size
      ids.set(token, id)
    }
    return id
  }
  const middleA = Int32Array.from(a.slice(start, endA), idOf)
  const middleB = Int32Array.from(b.slice(start, endB), idOf)
  const script = myers(middleA, middleB, budget)
  if (!script) return undefined
  const ops: DiffOp[] = []
  if (start > 0) ops.push({ kind: 'same', text: a.slice(0, start).join('') })
  for (const step of script) {
    const source = step.kind === 'ins' ? b : a
    const offset = start + step.from
    ops.push({ kind: step.kind, text: source.slice(offset, offset + step.count).join('') })
  }
  if (endA < a.length) ops.push({ kind: 'same', text: a.slice(endA).join('') })
  return merge(ops)
}

interface Step {
  kind: DiffOpKind
  /** Index in a (same, del) or b (ins) of the first token of the run. */
  from: number
  count: number
}

/**
 * Myers' greedy search for the furthest-reaching path on each diagonal, keeping each
 * round's frontier (2d+1 entries) to walk the path back afterwards.
 */
function myers(a: Int32Array, b: Int32Array, budget: { steps: number }): Step[] | undefined {
  const n = a.length
  const m = b.length
  if (n === 0 && m === 0) return []
  if (n === 0) return [{ kind: 'ins', from: 0, count: m }]
  if (m === 0) return [{ kind: 'del', from: 0, count: n }]
  const max = n + m
  const trace: Int32Array[] = []
  let previous = new Int32Array(1)
  for (let d = 0; d <= max; d++) {
    const frontier = new Int32Array(2 * d + 1)
    for (let k = -d; k <= d; k += 2) {
      // previous holds diagonals -(d-1)..(d-1) at index k + d - 1.
      const down = k === -d || (k !== d && at(previous, d - 1, k - 1) < at(previous, d - 1, k + 1))
      const snakeStart = down ? at(previous, d - 1, k + 1) : at(previous, d - 1, k - 1) + 1
      let x = snakeStart
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      budget.steps -= 1 + x - snakeStart
      frontier[k + d] = x
      if (x >= n && y >= m) {
        trace.push(frontier)
        return backtrack(trace, n, m)
      }
    }
    if (budget.steps < 0) return undefined
    trace.push(frontier)
    previous = frontier
  }
  return undefined
}

function at(frontier: Int32Array, d: number, k: number): number {
  if (d < 0) return 0
  return frontier[k + d] ?? 0
}

function backtrack(trace: Int32Array[], n: number, m: number): Step[] {
  const steps: Step[] = []
  let x = n
  let y = m
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1]!
    const k = x - y
    const down = k === -d || (k !== d && at(previous, d - 1, k - 1) < at(previous, d - 1, k + 1))
    const prevK = down ? k + 1 : k - 1
    const prevX = at(previous, d - 1, prevK)
    const prevY = prevX - prevK
    const startX = down ? prevX : prevX + 1
    if (x > startX) steps.push({ kind: 'same', from: startX, count: x - startX })
    if (down) steps.push({ kind: 'ins', from: prevY, count: 1 })
    else steps.push({ kind: 'del', from: prevX, count: 1 })
    x = prevX
    y = prevY
  }
  if (x > 0) steps.push({ kind: 'same', from: 0, count: x })
  steps.reverse()
  return steps
}

/**
 * Joins neighbouring runs of one kind, and lets a lone space between two changes join
 * them, so "a b c" → "x y z" reads as one deletion and one insertion, not six.
 */
function merge(ops: DiffOp[]): DiffOp[] {
  const cleaned = ops.filter((op) => op.text !== '')
  const absorbed: DiffOp[] = []
  for (let i = 0; i < cleaned.length; i++) {
    const op = cleaned[i]!
    const prev = cleaned[i - 1]
    const next = cleaned[i + 1]
    if (
      op.kind === 'same' &&
      /^[ \t]+$/.test(op.text) &&
      prev &&
      next &&
      prev.kind !== 'same' &&
      next.kind !== 'same'
    ) {
      absorbed.push({ kind: 'del', text: op.text }, { kind: 'ins', text: op.text })
    } else absorbed.push(op)
  }
  // Deletions before insertions within a changed stretch, then neighbours of one kind joined.
  const ordered: DiffOp[] = []
  let dels: string[] = []
  let inss: string[] = []
  const flush = () => {
    if (dels.length) ordered.push({ kind: 'del', text: dels.join('') })
    if (inss.length) ordered.push({ kind: 'ins', text: inss.join('') })
    dels = []
    inss = []
  }
  for (const op of absorbed) {
    if (op.kind === 'del') dels.push(op.text)
    else if (op.kind === 'ins') inss.push(op.text)
    else {
      flush()
      const last = ordered[ordered.length - 1]
      if (last?.kind === 'same') last.text += op.text
      else ordered.push({ ...op })
    }
  }
  flush()
  return ordered
}

/** The text on one side of a diff: 'before' drops insertions, 'after' drops deletions. */
export function sideOf(ops: DiffOp[], side: 'before' | 'after'): string {
  const skip: DiffOpKind = side === 'before' ? 'ins' : 'del'
  return ops
    .filter((op) => op.kind !== skip)
    .map((op) => op.text)
    .join('')
}

const BLOCK_END = /<\/(p|h[1-6]|li|blockquote|figcaption|figure|ul|ol|div)>|<br\s*\/?>/gi
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

/**
 * The reading text of a story body (our sanitized subset): one paragraph per block,
 * joined by PARAGRAPH_BREAK, tags dropped and entities resolved. Subheads and list items
 * are paragraphs of their own, so a diff keeps the story's shape.
 */
export function bodyText(html: string): string {
  return html
    .replace(/<li[^>]*>/gi, '• ')
    .replace(BLOCK_END, '\u0000')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => decodeEntity(whole, name))
    .split('\u0000')
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .filter((block) => block !== '' && block !== '•')
    .join(PARAGRAPH_BREAK)
}

function decodeEntity(whole: string, name: string): string {
  if (name.startsWith('#x') || name.startsWith('#X')) return safeCodePoint(parseInt(name.slice(2), 16), whole)
  if (name.startsWith('#')) return safeCodePoint(parseInt(name.slice(1), 10), whole)
  return ENTITIES[name.toLowerCase()] ?? whole
}

function safeCodePoint(code: number, whole: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
}
