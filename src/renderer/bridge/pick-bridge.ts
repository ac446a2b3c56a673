// The renderer runs in two places: inside Electron, where the preload exposes window.ventana, and
// in a browser served by the web host, where it talks HTTP + WebSocket with the launch token.
import type { Clock } from '../../shared/clock.ts';
import type { ConsoleBridge } from '../../shared/console-api.ts';
import { createWebBridge } from './web-bridge.ts';
import { takeWebHostToken } from './web-token.ts';

declare global {
  interface Window {
    /** Set by the Electron preload (BRIDGE_GLOBAL in src/shared/console-api.ts). */
    ventana?: ConsoleBridge;
  }
}

export type BridgeChoice =
  | { kind: 'ready'; bridge: ConsoleBridge }
  /** Loaded from a file without the preload's bridge: the app shell is broken. */
  | { kind: 'missing'; reason: 'preload' }
  /** Served over HTTP without the launch token: the user opened a bare address. */
  | { kind: 'missing'; reason: 'token' };

export function pickBridge(clock: Clock): BridgeChoice {
  if (window.ventana) return { kind: 'ready', bridge: window.ventana };
  if (!window.location.protocol.startsWith('http')) return { kind: 'missing', reason: 'preload' };
  const token = takeWebHostToken();
  if (token === null) return { kind: 'missing', reason: 'token' };
  return { kind: 'ready', bridge: createWebBridge({ origin: window.location.origin, token, clock }) };
}
