// The relay under test, in its own process as in production: a fresh SQLite file (WAL,
// synchronous=FULL), no Graph traffic (the benchmark only sends inbound webhooks). It creates one
// supervisor for the fan-out consoles and reports its URL and token to run.ts over IPC.
import { join } from 'node:path';
import { startRelay } from '../../src/relay/index.ts';
import { relayStartSchema, serverReadySchema } from './ipc.ts';
import { BENCH_WABA_ID } from './webhook-bodies.ts';

process.once('message', (message: unknown) => {
  const { dir, appSecret } = relayStartSchema.parse(message);
  startRelay({
    host: '127.0.0.1',
    port: 0,
    dbPath: join(dir, 'relay.sqlite'),
    mediaDir: join(dir, 'media'),
    appSecret,
    verifyToken: 'bench-verify-token',
    accessToken: 'bench-access-token',
    // Never called: nothing in the benchmark sends through Graph or has media to download.
    graphBaseUrl: 'http://127.0.0.1:9',
    graphVersion: 'v23.0',
    wabaId: BENCH_WABA_ID,
    maxWebhookBytes: 1024 * 1024,
    graphTimeoutMs: 15_000,
    eventHorizonDays: 30,
    controlEnabled: false,
    logLevel: 'warn',
  }).then(
    (relay) => {
      const { token } = relay.createAgent({ name: 'Bench supervisor', role: 'supervisor', numbers: 'all' });
      process.send?.(serverReadySchema.parse({ type: 'ready', url: relay.url, token }));
    },
    (error: unknown) => {
      process.stderr.write(`bench relay: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
// The orchestrator is gone (or done): so is this process. Every answered webhook is already durable.
process.on('disconnect', () => process.exit(0));
