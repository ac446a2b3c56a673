// A real install's session console for tests: its own user-data folder in the temp dir, the policy
// read from a real policy file when one is given, cores opened by the app's own openAccountCore.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicySettings } from '../../src/main/policy/index.ts';
import { JsonFilePolicySource } from '../../src/main/policy/sources/json-file-source.ts';
import { openAccountCore } from '../../src/main/session/open-account-core.ts';
import { startSessionConsole, type SessionConsole } from '../../src/main/session/session-console.ts';
import type { TokenVault } from '../../src/main/vault/token-vault.ts';
import type { ConsoleEvent } from '../../src/shared/console-api.ts';

export interface SessionSetup {
  userData: string;
  vault: TokenVault;
  /** A machine policy document (as IT writes policy.json); none by default. */
  policy?: Record<string, unknown>;
  relayUrlOverride?: string | null;
  clientId?: string;
}

export function freshUserData(): string {
  return mkdtempSync(join(tmpdir(), 'ventana-session-'));
}

export interface OpenedSession {
  api: SessionConsole;
  /** Every event the console emitted since it opened. */
  events: ConsoleEvent[];
}

export async function openSession(setup: SessionSetup): Promise<OpenedSession> {
  const sources = [];
  if (setup.policy) {
    const policyPath = join(setup.userData, 'machine-policy.json');
    writeFileSync(policyPath, JSON.stringify(setup.policy));
    sources.push(new JsonFilePolicySource(policyPath));
  }
  const policy = await PolicySettings.open({
    sources,
    userSettingsPath: join(setup.userData, 'settings.json'),
  });
  const api = await startSessionConsole({
    userData: setup.userData,
    vault: setup.vault,
    policy,
    clientId: setup.clientId ?? 'session-test-console',
    relayUrlOverride: setup.relayUrlOverride ?? null,
    openCore: openAccountCore,
    log: () => undefined,
  });
  const events: ConsoleEvent[] = [];
  api.onEvent((event) => events.push(event));
  return { api, events };
}
