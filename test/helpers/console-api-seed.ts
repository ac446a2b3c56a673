// For console API tests: a cache file filled directly (as a sync would have left it) and a core
// opened on it with the relay unreachable, so every answer comes from the cache alone; and a relay
// command sent over the REST API, as another agent's console or an integration would.
import { createServer } from 'node:net';
import { openConsoleCore, type ConsoleCore } from '../../src/main/core/console-core.ts';
import { CacheRepository } from '../../src/main/cache/cache-repository.ts';
import { openCacheDatabase } from '../../src/main/cache/open-cache.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import type { Command } from '../../src/shared/protocol.ts';
import type { ConsoleStack } from './console-stack.ts';

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Fills a new cache file with `fill`, then opens a core on it, offline, at `now` on its clock. */
export async function seededCore(
  path: string,
  now: number,
  fill: (repo: CacheRepository) => void,
): Promise<ConsoleCore> {
  const db = openCacheDatabase(path);
  try {
    const repo = new CacheRepository(db);
    repo.transaction(() => fill(repo));
  } finally {
    db.close();
  }
  return openConsoleCore({
    cachePath: path,
    relayUrl: `http://127.0.0.1:${await closedPort()}`,
    token: 'token-unused',
    clientId: 'console-api-seeded',
    demo: false,
    clock: new ManualClock(now),
  });
}

/** POST /v1/commands as the stack's agent; throws unless the relay carried it out. */
export async function relayCommand(stack: ConsoleStack, mutationId: string, command: Command): Promise<void> {
  const answer = await fetch(`${stack.relayUrl}/v1/commands`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mutationId, command }),
  });
  if (answer.status !== 200)
    throw new Error(`${command.kind} answered ${answer.status}: ${await answer.text()}`);
}
