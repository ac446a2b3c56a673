// Headers every answer of the web host carries. The CSP matches the one in the renderer's
// index.html, narrowed to this host's own origin for connections.
import type { ServerResponse } from 'node:http';

export function contentSecurityPolicy(origin: string): string {
  const websocketOrigin = origin.replace(/^http:/, 'ws:');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    // Videos and voice notes play from this host's /media/ route.
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self' ${origin} ${websocketOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function setSecurityHeaders(res: ServerResponse, origin: string): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(origin));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}
