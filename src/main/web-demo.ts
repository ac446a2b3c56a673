// `npm run start:web`: the embedded demo served to a browser by the web host on 127.0.0.1.
// Flags: --port N (console port, default any free one), --no-customers, --manual-statuses
// (the simulator waits to be told to post each status), --json (print one JSON line with the URLs,
// for tests that start the demo as a child process).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startDemo } from './demo.ts';
import { startWebHost } from './web-host/index.ts';

const usage = 'usage: npm run start:web -- [--port N] [--no-customers] [--manual-statuses] [--json]';

function readFlags() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        'no-customers': { type: 'boolean', default: false },
        'manual-statuses': { type: 'boolean', default: false },
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

const demo = await startDemo({ customers: !flags['no-customers'], autoStatuses: !flags['manual-statuses'] });
const host = await startWebHost({ api: demo.api, rendererDir, port: flags.port });

if (flags.json) {
  console.log(
    JSON.stringify({ consoleUrl: host.url, relayUrl: demo.relay.url, simulatorUrl: demo.simulator.url }),
  );
} else {
  console.log(`
Ventana demo is running (relay, Cloud API simulator and console on this machine).

  Console:    ${host.url}
  Relay:      ${demo.relay.url}
  Simulator:  ${demo.simulator.url}

Open the console URL in a browser. Press Ctrl+C to stop.`);
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (!flags.json) console.log(`\n${signal}: stopping the demo…`);
  await host.close();
  await demo.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
