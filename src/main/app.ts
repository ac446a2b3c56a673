// Starts the console for this launch in plain Node (no electron, so it runs and is tested anywhere):
// the embedded demo, or a real install that signs in to a relay (token in the OS keychain, one cache
// per relay and agent), both under the machine policy IT may set.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CodedError } from '../shared/result.ts';
import { machinePolicySources, PolicySettings, runCommand } from './policy/index.ts';
import type { AppPaths, RunningConsole } from './ports.ts';
import { openAccountCore } from './session/open-account-core.ts';
import { policyViewOf } from './session/policy-view.ts';
import { startSessionConsole } from './session/session-console.ts';
import { KeytarVault } from './vault/keytar-vault.ts';

/**
 * Demo: relay and simulator in-process, token in memory. Otherwise a real install: the agent signs in;
 * `relayUrlOverride` (VENTANA_RELAY_URL, for development) prefills the relay unless policy locks it.
 */
export type ConsoleMode = { demo: true } | { demo: false; relayUrlOverride: string | null };

const RELAY_URL_ENV = 'VENTANA_RELAY_URL';
const DEMO_FLAG = '--demo';

const relayUrlSchema = z.url({ protocol: /^https?$/, hostname: z.regexes.hostname });

/** The demo with --demo (what `npm start` passes); otherwise the real console with its sign-in. */
export function consoleModeFrom(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ConsoleMode {
  if (argv.includes(DEMO_FLAG)) return { demo: true };
  const relayUrl = env[RELAY_URL_ENV]?.trim();
  if (!relayUrl) return { demo: false, relayUrlOverride: null };
  const parsed = relayUrlSchema.safeParse(relayUrl);
  if (!parsed.success) {
    throw new CodedError(
      'INVALID_CONFIG',
      `${RELAY_URL_ENV} must be the relay's http(s) address, such as https://relay.example.com (got "${relayUrl}"). ` +
        `Unset it, or start with ${DEMO_FLAG}, to run the demo.`,
    );
  }
  return { demo: false, relayUrlOverride: parsed.data.replace(/\/+$/, '') };
}

export async function startConsole(options: { paths: AppPaths } & ConsoleMode): Promise<RunningConsole> {
  const { userData } = options.paths;
  const policy = await openMachinePolicy(userData);

  if (options.demo) {
    // Loaded only for the demo: a console for a real relay never loads the relay and simulator.
    const { startDemo } = await import('./demo.ts');
    const demo = await startDemo({
      dataDir: join(userData, 'demo'),
      policy: () => policyViewOf(policy.effective, null),
    });
    return { api: demo.api, media: demo.core.media, close: () => demo.close() };
  }

  const api = await startSessionConsole({
    userData,
    vault: new KeytarVault(),
    policy,
    clientId: installationId(userData),
    relayUrlOverride: options.relayUrlOverride,
    openCore: openAccountCore,
  });
  return {
    api,
    get media() {
      return api.media;
    },
    close: () => api.close(),
  };
}

/** Machine policy for this platform over the user's settings.json; its problems are logged once here. */
async function openMachinePolicy(userData: string): Promise<PolicySettings> {
  const policy = await PolicySettings.open({
    sources: machinePolicySources({ platform: process.platform, env: process.env }, { run: runCommand }),
    userSettingsPath: join(userData, 'settings.json'),
  });
  for (const problem of policy.effective.problems) console.warn(`Ventana policy: ${problem}`);
  return policy;
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
