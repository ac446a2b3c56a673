// Opens the console core of one signed-in account inside its own folder (accounts/<hash>/).
import { mkdirSync } from 'node:fs';
import { openConsoleCore, type ConsoleCore, type SyncHooks } from '../core/console-core.ts';
import type { AccountCoreOptions } from './session-console.ts';

export function openAccountCore(options: AccountCoreOptions & { hooks?: SyncHooks }): Promise<ConsoleCore> {
  mkdirSync(options.paths.mediaDir, { recursive: true });
  return openConsoleCore({
    cachePath: options.paths.cachePath,
    relayUrl: options.relayUrl,
    token: options.token,
    clientId: options.clientId,
    demo: false,
    retentionDays: options.retentionDays,
    mediaDir: options.paths.mediaDir,
    ...(options.hooks ? { hooks: options.hooks } : {}),
  });
}
