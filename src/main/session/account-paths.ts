// Where one account's copy lives on this computer: one folder per (relay, agent), so agents sharing a
// desktop never open each other's cache, and signing out with "delete this computer's copy" removes
// exactly one folder. The folder name is a hash: it must not reveal the relay or the agent.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface AccountPaths {
  /** The account's folder: everything below it belongs to this relay and agent only. */
  dir: string;
  /** The SQLite cache (with its -wal and -shm beside it). */
  cachePath: string;
  /** Media downloaded for this account's messages. */
  mediaDir: string;
}

const ACCOUNTS_FOLDER = 'accounts';

export function accountPaths(userData: string, relayUrl: string, agentId: string): AccountPaths {
  const key = createHash('sha256').update(`${relayUrl}\n${agentId}`).digest('hex').slice(0, 24);
  const dir = join(userData, ACCOUNTS_FOLDER, key);
  return { dir, cachePath: join(dir, 'cache.sqlite'), mediaDir: join(dir, 'media') };
}
