// A relay in a child process, for tests that SIGKILL it (relay-crash.test.ts). Argument: one JSON
// object (relayChildArgsSchema). Prints one JSON line when listening: {"type":"ready","url",...}.
// Exits when its stdin closes, so a dying test never leaves it behind.
import { pino } from 'pino';
import { z } from 'zod';
import { startRelay } from '../../src/relay/index.ts';
import { testRelayConfig } from './relay-config.ts';

export const relayChildArgsSchema = z.object({
  dir: z.string(),
  dbPath: z.string(),
  appSecret: z.string(),
  wabaId: z.string(),
  /** Create a supervisor and print its token (the first start); later starts reuse it from the database. */
  createSupervisor: z.boolean(),
});
export type RelayChildArgs = z.infer<typeof relayChildArgsSchema>;

export const relayChildReadySchema = z.object({
  type: z.literal('ready'),
  url: z.string(),
  supervisorToken: z.string().nullable(),
});

// Only when run as the child, not when the parent imports the schemas above.
if (import.meta.filename === process.argv[1]) {
  const args = relayChildArgsSchema.parse(JSON.parse(process.argv[2] ?? 'null'));
  const config = testRelayConfig(
    args.dir,
    {
      appSecret: args.appSecret,
      accessToken: 'relay-child-access-token',
      // Never reached: the crash test only sends inbound text messages.
      graphBaseUrl: 'http://127.0.0.1:9',
      graphVersion: 'v23.0',
      wabaId: args.wabaId,
    },
    { dbPath: args.dbPath },
  );
  const relay = await startRelay(config, { logger: pino({ level: 'silent' }), autoSyncTemplates: false });
  const supervisorToken = args.createSupervisor
    ? relay.createAgent({ name: 'Crash supervisor', role: 'supervisor', numbers: 'all' }).token
    : null;
  process.stdout.write(`${JSON.stringify({ type: 'ready', url: relay.url, supervisorToken })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => process.exit(0));
}
