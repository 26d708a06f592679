import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { composeNewStoryEmail, composeSignInEmail } from './emails.js'

const site = { publicUrl: 'https://news.example.org', name: 'The Courier' }

describe('composeSignInEmail', () => {
  it('carries the link, says how long it works, and names the follow it will complete', () => {
    const email = composeSignInEmail({
      site,
      to: 'reader@example.org',
      link: 'https://news.example.org/account/verify?token=abc',
      followName: 'Shipping',
    })
    assert.equal(email.subject, 'Sign in to The Courier')
    assert.match(email.text, /sign in to The Courier and follow Shipping/)
    assert.match(email.text, /https:\/\/news\.example\.org\/account\/verify\?token=abc/)
    assert.match(email.text, /within 15 minutes/)
    assert.equal(email.primaryLink, 'https://news.example.org/account/verify?token=abc')
  })
})

describe('composeNewStoryEmail', () => {
  const email = composeNewStoryEmail({
    site,
    to: 'reader@example.org',
    headline: 'Ferry <crews> rescue 40 & more',
    keyPoint: 'All 40 passengers are safe',
    storyUrl: 'https://news.example.org/world/ferry',
    followName: 'Shipping',
    unsubscribeUrl: 'https://news.example.org/account/unsubscribe/tok',
    messageId: '<new-story.1.2@news.example.org>',
  })

  it('offers one-click unsubscribe in the headers (RFC 8058)', () => {
    assert.deepEqual(email.headers, {
      'List-Unsubscribe': '<https://news.example.org/account/unsubscribe/tok>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
  })

  it('names what the reader follows, the headline and the link, and escapes the HTML part', () => {
    assert.equal(email.subject, 'Shipping: Ferry <crews> rescue 40 & more')
    assert.match(email.text, /Read the story: https:\/\/news\.example\.org\/world\/ferry/)
    assert.match(
      email.text,
      /Unsubscribe from these emails: https:\/\/news\.example\.org\/account\/unsubscribe\/tok/,
    )
    assert.match(email.html, /Ferry &lt;crews&gt; rescue 40 &amp; more/)
    assert.doesNotMatch(email.html, /<crews>/)
    assert.equal(email.messageId, '<new-story.1.2@news.example.org>')
  })
})
