// Where the console's page and preload are, found from the built main bundle (out/main/index.js),
// and which URLs count as the app's own page (for navigation and IPC sender checks).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { CodedError } from '../../shared/result.ts';

export interface RendererLocation {
  /** file:// URL of out/renderer/index.html, or the electron-vite dev server's URL in development. */
  url: string;
  /** The preload: ONE CommonJS file, since a sandboxed preload cannot load ES modules. */
  preloadPath: string;
}

const devServerUrlSchema = z.url({ protocol: /^https?$/, hostname: z.regexes.hostname });

/**
 * `mainDir` is the folder of the built main bundle (out/main). `devServerUrl` is electron-vite's
 * ELECTRON_RENDERER_URL; pass it only when the app is not packaged, so an environment variable can
 * never point a shipped console (and its IPC) at another page.
 */
export function rendererLocation(mainDir: string, devServerUrl: string | undefined): RendererLocation {
  const preloadPath = join(mainDir, '..', 'preload', 'index.cjs');
  if (!devServerUrl)
    return { url: pathToFileURL(join(mainDir, '..', 'renderer', 'index.html')).href, preloadPath };
  const parsed = devServerUrlSchema.safeParse(devServerUrl);
  if (!parsed.success) {
    throw new CodedError(
      'INVALID_CONFIG',
      `ELECTRON_RENDERER_URL must be the dev server's http(s) URL (got "${devServerUrl}")`,
    );
  }
  return { url: parsed.data, preloadPath };
}

/** True for the app's own page (any query or #fragment): same file, or same origin as the dev server. */
export function isAppUrl(candidate: string, location: RendererLocation): boolean {
  if (!URL.canParse(candidate)) return false;
  const url = new URL(candidate);
  const app = new URL(location.url);
  if (app.protocol === 'file:')
    return url.protocol === 'file:' && url.host === app.host && url.pathname === app.pathname;
  return url.origin === app.origin;
}
