// The ConsoleBridge over the web host: calls are POST /api/call/:method with the bearer token,
// events come over one WebSocket (/api/events?token=) that reconnects with jittered backoff, and
// media loads from /media/<id> with the HttpOnly cookie the host sets on the first call.
// Each (re)connection and each loss of that socket is reported as a sync status, so the agent
// sees it in the status line and the UI reloads what it may have missed.
import { z } from 'zod';
import type { Clock } from '../../shared/clock.ts';
import {
  CONSOLE_METHODS,
  WEB_MEDIA_PREFIX,
  type ConsoleBridge,
  type ConsoleEvent,
  type ConsoleEventListener,
  type ConsoleMethod,
  type SyncStatus,
} from '../../shared/console-api.ts';
import { errorInfoSchema, fail, type Result } from '../../shared/result.ts';
import { consoleEventSchema, syncStatusSchema } from './event-schema.ts';

const resultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorInfoSchema }),
]);

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15_000;

export interface WebBridgeOptions {
  /** The web host's origin, e.g. http://127.0.0.1:5123 (the page's own when served by it). */
  origin: string;
  token: string;
  clock: Clock;
}

export function createWebBridge(options: WebBridgeOptions): ConsoleBridge {
  async function call(method: ConsoleMethod, input: unknown): Promise<Result<unknown>> {
    let response: Response;
    try {
      response = await fetch(`${options.origin}/api/call/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch (error) {
      return fail('HOST_UNREACHABLE', error instanceof Error ? error.message : String(error));
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return fail('BAD_RESPONSE', `The web host answered HTTP ${response.status} without JSON`);
    }
    const parsed = resultSchema.safeParse(body);
    if (!parsed.success)
      return fail('BAD_RESPONSE', `The web host answered HTTP ${response.status} with an unexpected body`);
    return parsed.data;
  }

  const listeners = new Set<ConsoleEventListener>();
  let socket: WebSocket | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let attempts = 0;
  let lastStatus: SyncStatus | null = null;
  let linkLost = false;

  function emit(event: ConsoleEvent): void {
    if (event.type === 'sync.status') lastStatus = event.status;
    for (const listener of listeners) listener(event);
  }

  function connect(): void {
    reconnectTimer = null;
    const url = new URL('/api/events', options.origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', options.token);
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      attempts = 0;
      linkLost = false;
      // Listening starts now; events may have been missed before (or while the link was down):
      // a fresh status tells listeners the stream is live and lets the UI reload after a gap.
      void call('getSyncStatus', {}).then((result) => {
        const status = result.ok ? syncStatusSchema.safeParse(result.value) : null;
        if (status?.success && socket === ws) emit({ type: 'sync.status', status: status.data });
      });
    });
    ws.addEventListener('message', (message: { data: unknown }) => {
      if (typeof message.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(message.data);
      } catch {
        console.error('Ventana: the web host sent an event that is not JSON');
        return;
      }
      const parsed = consoleEventSchema.safeParse(json);
      if (parsed.success) emit(parsed.data);
      else console.error('Ventana: the web host sent an unexpected event', z.prettifyError(parsed.error));
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      if (listeners.size === 0) return;
      if (!linkLost) {
        linkLost = true;
        emit({
          type: 'sync.status',
          status: {
            state: 'offline',
            cursor: lastStatus?.cursor ?? 0,
            headSeq: lastStatus?.headSeq ?? 0,
            offlineSince: options.clock.now(),
            error: null,
            clockOffsetMs: lastStatus?.clockOffsetMs ?? 0,
          },
        });
      }
      const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempts);
      attempts += 1;
      reconnectTimer = setTimeout(connect, ceiling / 2 + Math.random() * (ceiling / 2));
    });
  }

  function disconnect(): void {
    if (reconnectTimer !== null) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    const ws = socket;
    socket = null;
    ws?.close();
  }

  const methods = Object.fromEntries(
    CONSOLE_METHODS.map((method) => [method, (input: unknown) => call(method, input)]),
  );
  return {
    // Every method answers exactly what the web host's dispatch() answered for it.
    ...(methods as Omit<ConsoleBridge, 'onEvent' | 'mediaUrl'>),
    mediaUrl: (messageId) => `${options.origin}${WEB_MEDIA_PREFIX}${encodeURIComponent(messageId)}`,
    onEvent(listener) {
      listeners.add(listener);
      if (socket === null && reconnectTimer === null) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) disconnect();
      };
    },
  };
}
