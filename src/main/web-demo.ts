// `npm run start:web`: the embedded demo served to a browser by the web host on 127.0.0.1.
// Flags: --port N (console port, default any free one), --no-customers, --manual-statuses
// (the simulator waits to be told to post each status), --json (print one JSON line with the URLs,
// for tests that start the demo as a child process), --sign-in (start signed out, like a real install:
// the page asks for the relay address and the printed demo token, kept in memory only), --policy FILE
// (a machine policy file, e.g. one that locks relayUrl, applied as IT would).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { ConsoleApi } from '../shared/console-api.ts';
import { CodedError } from '../shared/result.ts';
import { startDemo, startDemoServices } from './demo.ts';
import { PolicySettings } from './policy/index.ts';
import type { MediaSource } from './ports.ts';
import { JsonFilePolicySource } from './policy/sources/json-file-source.ts';
import { openAccountCore } from './session/open-account-core.ts';
import { policyViewOf } from './session/policy-view.ts';
import { startSessionConsole } from './session/session-console.ts';
import { MemoryVault } from './vault/memory-vault.ts';
import { startWebHost } from './web-host/index.ts';

const usage =
  'usage: npm run start:web -- [--port N] [--no-customers] [--manual-statuses] [--sign-in] [--policy FILE] [--json]';

function readFlags() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        'no-customers': { type: 'boolean', default: false },
        'manual-statuses': { type: 'boolean', default: false },
        'sign-in': { type: 'boolean', default: false },
        policy: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const port = z.coerce.number().int().min(0).max(65535).safeParse(values.port);
    if (!port.success) throw new Error(`--port must be a port number (0-65535), got "${values.port}"`);
    return { ...values, port: port.data };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
}

const flags = readFlags();
const rendererDir = join(import.meta.dirname, '../../out/renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error(
    'The console UI is not built yet (out/renderer/index.html is missing). Run `npm run start:web`, which builds it first.',
  );
  process.exit(1);
}

// The console's own folder for this run (settings, accounts): gone when the demo stops.
const userData = mkdtempSync(join(tmpdir(), 'ventana-web-demo-'));
const policy = await PolicySettings.open({
  sources: flags.policy ? [new JsonFilePolicySource(flags.policy)] : [],
  userSettingsPath: join(userData, 'settings.json'),
});
for (const problem of policy.effective.problems) console.error(`Ventana policy: ${problem}`);

const demoOptions = { customers: !flags['no-customers'], autoStatuses: !flags['manual-statuses'] };
let api: ConsoleApi;
let media: () => MediaSource | null;
let services: { relay: { url: string }; simulator: { url: string }; close(): Promise<void> };
let agentToken: string | null = null;
if (flags['sign-in']) {
  const demo = await startDemoServices(demoOptions);
  const session = await startSessionConsole({
    userData,
    vault: new MemoryVault(),
    policy,
    clientId: 'web-demo-console',
    // Prefilled on the sign-in screen, as VENTANA_RELAY_URL does on a developer's machine.
    relayUrlOverride: demo.relay.url,
    openCore: openAccountCore,
  });
  api = session;
  media = () => session.media;
  agentToken = demo.token;
  services = {
    relay: demo.relay,
    simulator: demo.simulator,
    async close() {
      await session.close();
      await demo.close();
    },
  };
} else {
  const demo = await startDemo({ ...demoOptions, policy: () => policyViewOf(policy.effective, null) });
  api = demo.api;
  media = () => demo.core.media;
  services = demo;
}
// The signed-in agent's media, asked on every request (signing in as someone else changes it).
const currentMedia: MediaSource = {
  file: (messageId) => {
    const source = media();
    return source
      ? source.file(messageId)
      : Promise.reject(new CodedError('MEDIA_UNAVAILABLE', 'Sign in to see media.'));
  },
};
const host = await startWebHost({ api, rendererDir, port: flags.port, media: currentMedia });

if (flags.json) {
  console.log(
    JSON.stringify({
      consoleUrl: host.url,
      relayUrl: services.relay.url,
      simulatorUrl: services.simulator.url,
      ...(agentToken === null ? {} : { agentToken }),
    }),
  );
} else {
  console.log(`
Ventana demo is running (relay, Cloud API simulator and console on this machine).

  Console:    ${host.url}
  Relay:      ${services.relay.url}
  Simulator:  ${services.simulator.url}
${agentToken === null ? '' : `  Token:      ${agentToken}   (sign in with this relay and token)\n`}
Open the console URL in a browser. Press Ctrl+C to stop.`);
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (!flags.json) console.log(`\n${signal}: stopping the demo…`);
  await host.close();
  await services.close();
  rmSync(userData, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
