/**
 * Security headers for every answer. The Content-Security-Policy allows only this site's own
 * scripts, styles and images; SurveyJS needs inline style attributes (style-src 'unsafe-inline'),
 * and Remix's hydration needs its inline scripts, which carry no nonce in the classic compiler
 * ('unsafe-inline' for scripts is limited to that; no eval, no remote origins).
 */
import type { RequestHandler } from "express";

export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders({ secure }: { secure: boolean }): RequestHandler {
  const csp = contentSecurityPolicy();
  return (_req, res, next) => {
    res.setHeader("Content-Security-Policy", csp);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}
