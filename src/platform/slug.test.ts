import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isValidSlug, slugify } from './slug.js'

describe('slugify', () => {
  it('turns a headline into lower-case words joined by dashes', () => {
    assert.equal(slugify('Ministers meet in Helsinki'), 'ministers-meet-in-helsinki')
  })

  it('drops accents instead of the letters that carry them', () => {
    assert.equal(
      slugify('Café owners in Zürich protest rent rises'),
      'cafe-owners-in-zurich-protest-rent-rises',
    )
  })

  it('spells out letters that have no accent-free form', () => {
    assert.equal(slugify('Øresund bridge reopens near Tromsø'), 'oresund-bridge-reopens-near-tromso')
    assert.equal(slugify('Straße closed in Łódź'), 'strasse-closed-in-lodz')
  })

  it('writes an ampersand as "and" and removes apostrophes without splitting the word', () => {
    assert.equal(slugify("Farmers' markets & food banks"), 'farmers-markets-and-food-banks')
    assert.equal(slugify('Council’s budget'), 'councils-budget')
  })

  it('collapses punctuation and trims dashes at both ends', () => {
    assert.equal(slugify('  -- Breaking: storm hits coast!! --  '), 'breaking-storm-hits-coast')
  })

  it('returns an empty string when nothing in the text can be spelled in ASCII', () => {
    assert.equal(slugify('日本語'), '')
  })

  it('shortens long text at a word boundary to at most 80 characters', () => {
    const slug = slugify('word '.repeat(40))
    assert.ok(slug.length <= 80, `length ${slug.length}`)
    assert.ok(!slug.endsWith('-'))
    assert.match(slug, /^(word-)*word$/)
  })

  it('cuts one long word at 80 characters when there is no boundary to cut at', () => {
    assert.equal(slugify('a'.repeat(120)), 'a'.repeat(80))
  })

  it('always produces a slug isValidSlug accepts, or an empty one', () => {
    for (const text of ['Hello, world', 'São Paulo 2026', '---', 'A & B', 'x'.repeat(200), 'Ærø']) {
      const slug = slugify(text)
      assert.ok(slug === '' || isValidSlug(slug), `${text} → ${slug}`)
    }
  })
})

describe('isValidSlug', () => {
  it('accepts lower-case words and digits joined by single dashes', () => {
    assert.equal(isValidSlug('world'), true)
    assert.equal(isValidSlug('g7-summit-2026'), true)
  })

  it('rejects empty, upper-case, spaced, doubled or edge dashes and over-long slugs', () => {
    for (const slug of ['', 'World', 'two words', 'double--dash', '-lead', 'trail-', 'a/b', 'x'.repeat(81)]) {
      assert.equal(isValidSlug(slug), false, slug)
    }
  })
})
