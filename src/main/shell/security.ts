// The Electron security baseline (DESIGN.md): the app's page is the only page, no new windows or
// webviews, no permissions but notifications, and a strict CSP on every response.
import { app, type Session } from 'electron';
import { isAppUrl, type RendererLocation } from './renderer-location.ts';

const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

/** The renderer talks to main only over IPC: it loads its own files and nothing else. */
export function contentSecurityPolicy(location: RendererLocation): string {
  const page = new URL(location.url);
  // In development the dev server serves the page and pushes updates over a WebSocket.
  const devServer = page.protocol === 'file:' ? '' : ` ${page.origin} ${page.origin.replace(/^http/, 'ws')}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob: ventana-media:",
    "media-src 'self' blob: ventana-media:",
    "font-src 'self'",
    `connect-src 'self'${devServer}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function hardenSession(session: Session, location: RendererLocation): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
  const csp = contentSecurityPolicy(location);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

/** Applies to every web contents the app ever creates, not only the main window's. */
export function hardenAllWebContents(location: RendererLocation): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!isAppUrl(event.url, location)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
