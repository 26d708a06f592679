const DAY_MS = 24 * 60 * 60 * 1000

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n))

// Written out by hand rather than with Intl.DateTimeFormat: a page shows dozens of dates,
// and Intl's format() costs about 10 µs a call, a visible part of rendering a page.
const absolute = {
  format: (t: Date) => `${twoDigits(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`,
}
const absoluteWithTime = {
  format: (t: Date) =>
    `${absolute.format(t)} at ${twoDigits(t.getUTCHours())}:${twoDigits(t.getUTCMinutes())} UTC`,
}

/**
 * "5 sec ago", "12 min ago", "3 hours ago" within the first day; "04 March 2025" after.
 * The browser script (assets/site.js) applies the same rule so the label keeps ticking.
 */
export function formatRelative(time: Date, now: Date): string {
  const ms = Math.max(0, now.getTime() - time.getTime())
  if (ms >= DAY_MS) return absolute.format(time)
  const seconds = Math.floor(ms / 1000)
  if (seconds < 60) return `${seconds} sec ago`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  return `${hours} ${hours === 1 ? 'hour' : 'hours'} ago`
}

export function formatAbsolute(time: Date): string {
  return absolute.format(time)
}

export function formatAbsoluteWithTime(time: Date): string {
  return absoluteWithTime.format(time)
}
