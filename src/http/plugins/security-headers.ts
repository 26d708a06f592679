import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'

/**
 * Every response carries a strict Content-Security-Policy: scripts only from our
 * origin, the inlined stylesheet allowed by its hash, no plugins, no <base>, no framing
 * by other sites.
 */
export function registerSecurityHeaders(app: FastifyInstance, inlineCss: string): void {
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
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', csp)
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'strict-origin-when-cross-origin')
    reply.header('x-frame-options', 'SAMEORIGIN')
    reply.header('cross-origin-opener-policy', 'same-origin')
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()')
    return payload
  })
}
