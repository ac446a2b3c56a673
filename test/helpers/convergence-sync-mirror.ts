// A read-only console: the real cache and the real sync client, without the core around them. It
// exists because the sync client takes a watchdog period (`watchdogMs`) and the console core does not
// pass one yet: a black-holed connection is only noticed by the watchdog, 45 s by default, too long
// for a test. Once ConsoleCoreOptions carries `watchdogMs`, a core can take this one's place.
import type { SyncStatus } from '../../src/shared/console-api.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { CacheRepository } from '../../src/main/cache/cache-repository.ts';
import { openCacheDatabase } from '../../src/main/cache/open-cache.ts';
import { SyncClient } from '../../src/main/sync/sync-client.ts';
import { seededRandom } from '../../src/simulator/seeded-random.ts';

export interface SyncMirror {
  readonly status: SyncStatus;
  /** Every error the sync status turned to, in order (why each connection ended). */
  readonly errors: readonly string[];
  close(): Promise<void>;
}

export function openSyncMirror(options: {
  cachePath: string;
  relayUrl: string;
  token: string;
  clientId: string;
  watchdogMs: number;
  seed: number;
}): SyncMirror {
  const db = openCacheDatabase(options.cachePath);
  /** Every error the status turned to (a repeat after a recovery counts again). */
  const errors: string[] = [];
  let lastError: string | null = null;
  const sync = new SyncClient({
    relayUrl: options.relayUrl,
    token: options.token,
    clientId: options.clientId,
    clock: systemClock,
    repo: new CacheRepository(db),
    random: seededRandom(options.seed),
    watchdogMs: options.watchdogMs,
    listener: {
      applied() {},
      statusChanged(status) {
        if (status.error !== null && status.error !== lastError) errors.push(status.error);
        lastError = status.error;
      },
      ready() {},
      commandResult() {},
    },
  });
  sync.start();
  let closing: Promise<void> | null = null;
  return {
    get status() {
      return sync.status;
    },
    errors,
    close() {
      closing ??= sync.stop().then(() => {
        db.close();
      });
      return closing;
    },
  };
}
