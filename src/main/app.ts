// Starts the console for this launch in plain Node (no electron, so it runs and is tested anywhere):
// the embedded demo, or the console core against the configured relay with the agent's token from
// the OS keychain.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CodedError } from '../shared/result.ts';
import { openConsoleCore } from './core/console-core.ts';
import type { AppPaths, RunningConsole } from './ports.ts';
import { KeytarVault } from './vault/keytar-vault.ts';

/** Demo: relay and simulator in-process, token in memory. Otherwise a real relay. */
export type ConsoleMode = { demo: true } | { demo: false; relayUrl: string };

const RELAY_URL_ENV = 'VENTANA_RELAY_URL';
const DEMO_FLAG = '--demo';

const relayUrlSchema = z.url({ protocol: /^https?$/, hostname: z.regexes.hostname });

/** Demo unless a relay is configured (VENTANA_RELAY_URL) and --demo was not asked for. */
export function consoleModeFrom(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ConsoleMode {
  const relayUrl = env[RELAY_URL_ENV]?.trim();
  if (argv.includes(DEMO_FLAG) || !relayUrl) return { demo: true };
  const parsed = relayUrlSchema.safeParse(relayUrl);
  if (!parsed.success) {
    throw new CodedError(
      'INVALID_CONFIG',
      `${RELAY_URL_ENV} must be the relay's http(s) address, such as https://relay.example.com (got "${relayUrl}"). ` +
        `Unset it, or start with ${DEMO_FLAG}, to run the demo.`,
    );
  }
  return { demo: false, relayUrl: parsed.data.replace(/\/+$/, '') };
}

export async function startConsole(options: { paths: AppPaths } & ConsoleMode): Promise<RunningConsole> {
  const { userData } = options.paths;
  if (options.demo) {
    // Loaded only for the demo: a console for a real relay never loads the relay and simulator.
    const { startDemo } = await import('./demo.ts');
    const demo = await startDemo({ dataDir: join(userData, 'demo') });
    return { api: demo.api, close: () => demo.close() };
  }

  const token = await new KeytarVault().get(options.relayUrl);
  if (token === null) {
    throw new CodedError(
      'NOT_SIGNED_IN',
      `There is no relay token for ${options.relayUrl} in this computer's keychain. Ask your administrator for one.`,
    );
  }
  const core = await openConsoleCore({
    cachePath: cachePathFor(userData, options.relayUrl, token),
    relayUrl: options.relayUrl,
    token,
    clientId: installationId(userData),
    demo: false,
  });
  return { api: core, close: () => core.close() };
}

/**
 * One cache file per relay and agent, so agents sharing a desktop never see each other's cache. Until
 * sign-in names the agent, the token stands for it (hashed: the file name must not reveal it).
 */
function cachePathFor(userData: string, relayUrl: string, token: string): string {
  const dir = join(userData, 'cache');
  mkdirSync(dir, { recursive: true });
  const key = createHash('sha256').update(`${relayUrl}\n${token}`).digest('hex').slice(0, 24);
  return join(dir, `${key}.sqlite`);
}

/** This installation's stable id (the relay tells consoles apart by it), created on first start. */
function installationId(userData: string): string {
  const file = join(userData, 'installation-id');
  const stored = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (z.uuid().safeParse(stored).success) return stored;
  const id = randomUUID();
  mkdirSync(userData, { recursive: true });
  writeFileSync(file, `${id}\n`);
  return id;
}
