import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatAbsolute, formatAbsoluteWithTime, formatRelative } from './time-format.js'

describe('formatRelative', () => {
  const now = new Date('2025-03-05T12:00:00Z')
  const ago = (ms: number) => new Date(now.getTime() - ms)

  it('counts seconds for a story updated moments ago', () => {
    assert.equal(formatRelative(ago(5_000), now), '5 sec ago')
  })
  it('counts minutes within the hour', () => {
    assert.equal(formatRelative(ago(12 * 60_000), now), '12 min ago')
  })
  it('counts hours within the day, singular for one', () => {
    assert.equal(formatRelative(ago(60 * 60_000), now), '1 hour ago')
    assert.equal(formatRelative(ago(3 * 60 * 60_000), now), '3 hours ago')
  })
  it('gives the date once a day has passed', () => {
    assert.equal(formatRelative(new Date('2025-03-04T09:30:00Z'), now), '04 March 2025')
  })
  it('never shows a negative age for a clock slightly ahead', () => {
    assert.equal(formatRelative(new Date(now.getTime() + 3000), now), '0 sec ago')
  })
})

describe('absolute dates', () => {
  it('writes the day, month and year in UTC, with the time where asked, as en-GB readers expect', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      day: '2-digit',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'UTC',
      timeZoneName: 'short',
    })
    for (const iso of [
      '2025-03-04T09:05:00Z',
      '2026-12-31T23:59:59Z',
      '2026-01-01T00:00:00Z',
      '1999-07-15T12:30:00Z',
    ]) {
      const time = new Date(iso)
      assert.equal(formatAbsoluteWithTime(time), intl.format(time), iso)
    }
    assert.equal(formatAbsolute(new Date('2026-01-01T00:00:00+02:00')), '31 December 2025')
  })
})
