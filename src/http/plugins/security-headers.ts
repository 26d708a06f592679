import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'

/**
 * Every response carries a strict Content-Security-Policy: scripts only from our
 * origin, the inlined stylesheet allowed by its hash, no plugins, no <base>, no framing
 * by other sites.
 */
export function registerSecurityHeaders(app: FastifyInstance, inlineCss: string): void {
  const headers = securityHeaders(inlineCss)
  app.addHook('onSend', async (_request, reply, payload) => {
    // A route may ask for a stricter referrer policy (no-referrer on a page whose URL holds a token).
    const referrerPolicy = reply.getHeader('referrer-policy')
    reply.headers(headers)
    if (referrerPolicy !== undefined) reply.header('referrer-policy', referrerPolicy)
    return payload
  })
}

/** The headers themselves, for the few answers Fastify gives before any hook runs. */
export function securityHeaders(inlineCss: string): Record<string, string> {
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
    "frame-ancestors 'self'",
  ].join('; ')
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'SAMEORIGIN',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  }
}
