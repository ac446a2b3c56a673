// Electron's side of media: `ventana-media://message/<id>` (MEDIA_SCHEME) answered from the console's
// media cache, so <img>, <video> and <audio> in the sandboxed page load media without the page ever
// holding the relay token. The answers themselves are built in plain Node (src/main/media).
import { protocol } from 'electron';
import { MEDIA_SCHEME } from '../../shared/console-api.ts';
import { answerMediaFetch } from '../media/media-fetch-handler.ts';
import type { MediaSource } from '../ports.ts';

/**
 * Call before the app is ready (Electron takes privileged schemes once, before ready). Standard: URLs
 * parse like http ones; secure: no mixed-content blocking on the page; stream: <video> and <audio>
 * play while bytes arrive and seek with Range requests instead of waiting for the whole file.
 */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true } },
  ]);
}

/**
 * Call once the app is ready. `media` is asked on every request, so a sign-in or sign-out (another
 * agent's cache, or none) takes effect at once; null answers MEDIA_UNAVAILABLE.
 */
export function handleMediaProtocol(media: () => MediaSource | null): void {
  protocol.handle(MEDIA_SCHEME, (request) => answerMediaFetch(media(), request));
}
