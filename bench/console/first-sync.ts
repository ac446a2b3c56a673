// The first sync: a fresh console cache filled from a running relay over loopback WebSocket, timed
// from opening the console core to its cursor reaching the relay's head.
import { join } from 'node:path';
import { openConsoleCore, type ConsoleCore } from '../../src/main/core/console-core.ts';
import { startRelay } from '../../src/relay/index.ts';
import type { Clock } from '../../src/shared/clock.ts';
import type { SyncStatus } from '../../src/shared/console-api.ts';

export interface FirstSyncResult {
  durationMs: number;
  /** Events the console applied (its cursor at the end). */
  events: number;
}

/** Starts a relay on `relayDbPath` (already filled), syncs a new cache at `cachePath`, stops both. */
export async function firstSync(options: {
  dir: string;
  relayDbPath: string;
  cachePath: string;
  headSeq: number;
  clock: Clock;
  timeoutMs: number;
}): Promise<FirstSyncResult> {
  const relay = await startRelay(
    {
      host: '127.0.0.1',
      port: 0,
      dbPath: options.relayDbPath,
      mediaDir: join(options.dir, 'relay-media'),
      appSecret: 'bench-app-secret',
      verifyToken: 'bench-verify-token',
      accessToken: 'bench-access-token',
      // Never called: templates are not synced on their own and nothing is sent.
      graphBaseUrl: 'http://127.0.0.1:9',
      graphVersion: 'v23.0',
      wabaId: 'bench-waba',
      maxWebhookBytes: 1024 * 1024,
      graphTimeoutMs: 5_000,
      eventHorizonDays: 30,
      controlEnabled: false,
      logLevel: 'silent',
    },
    { clock: options.clock, autoSyncTemplates: false },
  );
  try {
    const { token } = relay.createAgent({ name: 'Bench', role: 'admin', numbers: 'all' });
    const started = performance.now();
    const core = await openConsoleCore({
      cachePath: options.cachePath,
      relayUrl: relay.url,
      token,
      clientId: 'bench-console',
      demo: false,
      clock: options.clock,
    });
    try {
      const status = await caughtUp(core, options.headSeq, options.timeoutMs);
      return { durationMs: performance.now() - started, events: status.cursor };
    } finally {
      await core.close();
    }
  } finally {
    await relay.close();
  }
}

function caughtUp(core: ConsoleCore, headSeq: number, timeoutMs: number): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    const done = (status: SyncStatus): boolean => {
      if (status.state === 'error') {
        finish(() => reject(new Error(`the console's sync failed: ${status.error ?? 'no reason given'}`)));
        return true;
      }
      if (status.state !== 'connected' || status.cursor < headSeq) return false;
      finish(() => resolve(status));
      return true;
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`the first sync did not finish within ${timeoutMs} ms`))),
      timeoutMs,
    );
    const unsubscribe = core.onEvent((event) => {
      if (event.type === 'sync.status') done(event.status);
    });
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      unsubscribe();
      settle();
    };
    // The status may have moved before we subscribed.
    core.getSyncStatus({}).then(done, reject);
  });
}
