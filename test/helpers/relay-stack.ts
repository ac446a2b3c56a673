// A relay with the Cloud API simulator as Meta, on loopback, sharing one manual clock, with its
// database in a temp dir: the setting of the relay's agent, sync and clock-control tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { ManualClock, type Clock } from '../../src/shared/clock.ts';
import { startRelay, type Relay, type RelayConfig } from '../../src/relay/index.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { testRelayConfig } from './relay-config.ts';

export const APP_SECRET = 'relay-stack-app-secret';
export const ACCESS_TOKEN = 'relay-stack-access-token';
export const WABA_ID = '310000000000001';
export const NUMBER_A = '420000000000001';
export const NUMBER_B = '420000000000002';

export interface RelayStackOptions {
  /** The relay's base clock (default: the stack's ManualClock). */
  relayClock?: Clock;
  /** The simulator's base clock (default: the stack's ManualClock). */
  simulatorClock?: Clock;
  heartbeatIntervalMs?: number;
  config?: Partial<RelayConfig>;
  /** Let the relay sync Meta's templates on its own (off by default: tests count the events they cause). */
  autoSyncTemplates?: boolean;
}

export interface RelayStack {
  readonly dir: string;
  readonly clock: ManualClock;
  readonly simulator: Simulator;
  readonly config: RelayConfig;
  relay: Relay;
  /** Stops the relay and starts it again on the same database (e.g. to prune at startup). */
  restartRelay(overrides?: Partial<RelayConfig>): Promise<Relay>;
  /** Runs a read-only query on the relay's database file. */
  query<T>(sql: string): T[];
  /** Customer `from` writes `text` to business number `phoneNumberId` (signed by the simulator). */
  customerWrites(from: string, text: string, phoneNumberId?: string): Promise<void>;
  /** Customer `from` writes `count` texts of about `bytes` each to number A in one signed webhook. */
  customerFloods(from: string, count: number, bytes: number, tag?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRelayStack(options: RelayStackOptions = {}): Promise<RelayStack> {
  const dir = mkdtempSync(join(tmpdir(), 'ventana-relay-stack-'));
  const clock = new ManualClock();
  const simulator = await startSimulator({
    appSecret: APP_SECRET,
    accessToken: ACCESS_TOKEN,
    wabaId: WABA_ID,
    phoneNumbers: [
      { id: NUMBER_A, displayPhoneNumber: '5215550001111' },
      { id: NUMBER_B, displayPhoneNumber: '5215550002222' },
    ],
    autoStatuses: false,
    clock: options.simulatorClock ?? clock,
  });
  const config = testRelayConfig(
    dir,
    {
      appSecret: APP_SECRET,
      accessToken: ACCESS_TOKEN,
      graphBaseUrl: simulator.url,
      graphVersion: simulator.graphVersion,
      wabaId: WABA_ID,
    },
    options.config,
  );
  const deps = {
    clock: options.relayClock ?? clock,
    logger: pino({ level: 'silent' }),
    autoSyncTemplates: options.autoSyncTemplates ?? false,
    ...(options.heartbeatIntervalMs === undefined
      ? {}
      : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
  };
  let counter = 0;
  const stack: RelayStack = {
    dir,
    clock,
    simulator,
    config,
    relay: await startRelay(config, deps),
    async restartRelay(overrides = {}) {
      await stack.relay.close();
      stack.relay = await startRelay({ ...config, ...overrides }, deps);
      simulator.setWebhookUrl(`${stack.relay.url}/webhook`);
      return stack.relay;
    },
    query<T>(sql: string): T[] {
      const db = new Database(config.dbPath, { readonly: true });
      try {
        return db.prepare<[], T>(sql).all();
      } finally {
        db.close();
      }
    },
    async customerWrites(from, text, phoneNumberId = NUMBER_A) {
      const { status } = await simulator.sendInboundText({
        from,
        text,
        phoneNumberId,
        name: `Cliente ${from}`,
      });
      if (status !== 200) throw new Error(`the relay answered ${status} to an inbound text`);
    },
    async customerFloods(from, count, bytes, tag = 'flood') {
      const timestamp = String(Math.floor(simulator.clock.now() / 1000));
      counter += 1;
      const body = {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: WABA_ID,
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '5215550001111', phone_number_id: NUMBER_A },
                  contacts: [{ profile: { name: `Cliente ${from}` }, wa_id: from }],
                  messages: Array.from({ length: count }, (_, i) => ({
                    from,
                    id: `wamid.${tag}-${counter}-${i}`,
                    timestamp,
                    type: 'text',
                    text: { body: `${i} ${'x'.repeat(bytes)}` },
                  })),
                },
              },
            ],
          },
        ],
      };
      const answer = await simulator.sendWebhook(body);
      if (answer.status !== 200) throw new Error(`the relay answered ${answer.status} to a webhook`);
    },
    async close() {
      await stack.relay.close();
      await simulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  simulator.setWebhookUrl(`${stack.relay.url}/webhook`);
  return stack;
}
