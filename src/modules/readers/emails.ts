import {
  canonicalPath,
  findArticleById,
  isPublic,
  toArticleView,
  type ArticleView,
} from '../articles/index.js'
import type { Db } from '../../platform/database.js'
import { escapeHtml } from '../../platform/text.js'
import type { OutgoingEmail } from './ports.js'
import { followKey, SIGN_IN_LINK_LIFETIME_MS, type FollowTarget } from './reader.js'
import type { ReaderDeps } from './reader-deps.js'
import { findReaderWithUnsubscribeToken } from './reader-queries.js'
import { listFollowKeys } from './follows.js'

type Site = { publicUrl: string; name: string }

export function hostOf(site: Site): string {
  return new URL(site.publicUrl).hostname
}

export function htmlDocument(body: string): string {
  return (
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#16181d">' +
    `${body}</body></html>`
  )
}

export function composeSignInEmail(input: {
  site: Site
  to: string
  link: string
  followName?: string | undefined
}): OutgoingEmail {
  const { site, link } = input
  const minutes = SIGN_IN_LINK_LIFETIME_MS / 60_000
  const purpose = input.followName
    ? `sign in to ${site.name} and follow ${input.followName}`
    : `sign in to ${site.name}`
  const text = [
    `Use this link to ${purpose}:`,
    '',
    link,
    '',
    `The link works once, within ${minutes} minutes.`,
    'If you did not ask to sign in, ignore this email: nothing happens without the link.',
  ].join('\n')
  const html = htmlDocument(
    `<p>Use this link to ${escapeHtml(purpose)}:</p>` +
      `<p><a href="${escapeHtml(link)}">Sign in to ${escapeHtml(site.name)}</a></p>` +
      `<p>The link works once, within ${minutes} minutes.</p>` +
      '<p>If you did not ask to sign in, ignore this email: nothing happens without the link.</p>',
  )
  return { to: input.to, subject: `Sign in to ${site.name}`, text, html, primaryLink: link }
}

export interface NewStoryEmailInput {
  site: Site
  to: string
  headline: string
  keyPoint: string | undefined
  storyUrl: string
  /** What the reader follows that the story is about: "Shipping". */
  followName: string
  unsubscribeUrl: string
  messageId: string
  /** A breaking story updated rather than a new one. */
  update?: boolean | undefined
}

/** The email about a new story; List-Unsubscribe lets mail clients offer one-click unsubscribe (RFC 8058). */
export function composeNewStoryEmail(input: NewStoryEmailInput): OutgoingEmail {
  const { site } = input
  const accountUrl = `${site.publicUrl}/account`
  const lead = input.update ? 'Breaking news updated' : 'New'
  const text = [
    `${lead} on ${input.followName}, which you follow on ${site.name}:`,
    '',
    input.headline,
    ...(input.keyPoint ? [input.keyPoint] : []),
    '',
    `Read the story: ${input.storyUrl}`,
    '',
    '--',
    `You get this email because you follow ${input.followName} on ${site.name}.`,
    `Manage what you follow: ${accountUrl}`,
    `Unsubscribe from these emails: ${input.unsubscribeUrl}`,
  ].join('\n')
  const html = htmlDocument(
    `<p>${lead} on ${escapeHtml(input.followName)}, which you follow on ${escapeHtml(site.name)}:</p>` +
      `<h1 style="font-family:Georgia,serif;font-size:1.4rem"><a href="${escapeHtml(input.storyUrl)}">` +
      `${escapeHtml(input.headline)}</a></h1>` +
      (input.keyPoint ? `<p>${escapeHtml(input.keyPoint)}</p>` : '') +
      `<p><a href="${escapeHtml(input.storyUrl)}">Read the story</a></p>` +
      `<hr><p style="font-size:0.85rem;color:#4a4f59">You get this email because you follow ` +
      `${escapeHtml(input.followName)} on ${escapeHtml(site.name)}. ` +
      `<a href="${escapeHtml(accountUrl)}">Manage what you follow</a> or ` +
      `<a href="${escapeHtml(input.unsubscribeUrl)}">unsubscribe from these emails</a>.</p>`,
  )
  return {
    to: input.to,
    subject: `${input.update ? 'Update: ' : ''}${input.followName}: ${input.headline}`,
    text,
    html,
    messageId: input.messageId,
    headers: {
      'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  }
}

/** What a story can match among a reader's follows, in the order its email names them. */
export type FollowCandidate = FollowTarget & { name: string }

/** The story's topics first, then its authors, then its section. */
export function followCandidates(view: ArticleView): FollowCandidate[] {
  return [
    ...view.topics.map((t) => ({ kind: 'topic' as const, targetId: t.id, name: t.name })),
    ...view.authors.map((a) => ({ kind: 'author' as const, targetId: a.id, name: a.displayName })),
    { kind: 'section', targetId: view.section.id, name: view.section.name },
  ]
}

/** The first candidate among the reader's follows (keys from followKey), or undefined. */
export function followNameIn(candidates: FollowCandidate[], follows: Set<string>): string | undefined {
  return candidates.find((c) => follows.has(followKey(c)))?.name
}

/**
 * The name of what the reader follows that the story is about (a topic first, then an
 * author, then the section), or undefined when they no longer follow any of it.
 */
export async function matchedFollowName(
  db: Db,
  readerId: number,
  view: ArticleView,
): Promise<string | undefined> {
  return followNameIn(followCandidates(view), await listFollowKeys(db, readerId))
}

/** The reader a new-story email goes to. */
export interface NewStoryRecipient {
  readerId: number
  email: string
  unsubscribeToken: string
}

/**
 * One reader's new-story email about a story. The Message-ID is the same every time for
 * a reader and story (and, for an update, the story's update time), so a retried send
 * is recognisably the same message.
 */
export function newStoryEmailFor(
  site: Site,
  view: ArticleView,
  recipient: NewStoryRecipient,
  followName: string,
  update: boolean,
): OutgoingEmail {
  const { readerId } = recipient
  return composeNewStoryEmail({
    site,
    to: recipient.email,
    headline: view.headline,
    keyPoint: view.keyPoints[0],
    storyUrl: `${site.publicUrl}${canonicalPath(view, view.section.slug)}`,
    followName,
    unsubscribeUrl: `${site.publicUrl}/account/unsubscribe/${recipient.unsubscribeToken}`,
    messageId: update
      ? `<story-update.${readerId}.${view.id}.${view.publicUpdatedAt?.getTime() ?? 0}@${hostOf(site)}>`
      : `<new-story.${readerId}.${view.id}@${hostOf(site)}>`,
    update,
  })
}

/**
 * The new-story email for one reader, or undefined when it should no longer go: the
 * reader deleted their account, turned email off or stopped following what matched,
 * or the story was taken down. For one-reader jobs queued before story mailings.
 */
export async function loadNewStoryEmail(
  deps: ReaderDeps,
  readerId: number,
  articleId: number,
  update = false,
): Promise<OutgoingEmail | undefined> {
  const found = await findReaderWithUnsubscribeToken(deps.db, readerId)
  if (!found || found.reader.emailFrequency !== 'immediately') return undefined
  const article = await findArticleById(deps.db, articleId)
  if (!article || !isPublic(article)) return undefined
  const view = await toArticleView(deps.db, article)
  const followName = await matchedFollowName(deps.db, readerId, view)
  if (!followName) return undefined
  const recipient = { readerId, email: found.reader.email, unsubscribeToken: found.unsubscribeToken }
  return newStoryEmailFor(deps.site, view, recipient, followName, update)
}
