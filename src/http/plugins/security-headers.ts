import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply } from 'fastify'

/**
 * Every response carries a strict Content-Security-Policy: scripts only from our
 * origin, the inlined stylesheet allowed by its hash, no plugins, no <base>, and no
 * framing at all, except the routes that call allowFramingBySameOrigin (the newsroom's
 * preview, shown inside the newsroom app).
 */
export function registerSecurityHeaders(app: FastifyInstance, inlineCss: string): void {
  const headers = securityHeaders(inlineCss)
  const framable = securityHeaders(inlineCss, { framable: true })
  app.addHook('onSend', async (_request, reply, payload) => {
    // A route may ask for a stricter referrer policy (no-referrer on a page whose URL holds a token).
    const referrerPolicy = reply.getHeader('referrer-policy')
    reply.headers(reply.getHeader('x-frame-options') === 'SAMEORIGIN' ? framable : headers)
    if (referrerPolicy !== undefined) reply.header('referrer-policy', referrerPolicy)
    return payload
  })
}

/** Lets this one answer be framed by our own pages (frame-ancestors 'self'); all others refuse framing. */
export function allowFramingBySameOrigin(reply: FastifyReply): void {
  reply.header('x-frame-options', 'SAMEORIGIN')
}

/** The headers themselves, for the few answers Fastify gives before any hook runs. */
export function securityHeaders(
  inlineCss: string,
  options: { framable?: boolean } = {},
): Record<string, string> {
  const cssHash = createHash('sha256').update(inlineCss).digest('base64')
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'sha256-${cssHash}'`,
    "img-src 'self' https: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    options.framable ? "frame-ancestors 'self'" : "frame-ancestors 'none'",
  ].join('; ')
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': options.framable ? 'SAMEORIGIN' : 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  }
}
