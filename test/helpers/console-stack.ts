// The real system behind a console in tests: the Cloud API simulator and a relay on loopback with
// its event log in a temp dir, plus an admin agent and its token. The relay can be stopped and
// started again on the same port, database and clock, as after a crash or a deploy; both clocks can
// be moved forward (the relay's through its loopback control, as the demo does).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay, type Relay, type RelayConfig } from '../../src/relay/index.ts';
import { OffsetClock } from '../../src/shared/clock.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { testRelayConfig } from './relay-config.ts';
import type { Agent } from '../../src/shared/domain.ts';

export const STACK_PHONE_NUMBER_ID = '106540352242922';
/** A second business number of the same account, for stacks started with `twoNumbers`. */
export const STACK_SECOND_PHONE_NUMBER_ID = '106540352242923';
const APP_SECRET = 'test-app-secret';
const ACCESS_TOKEN = 'test-access-token';
const WABA_ID = '102290129340398';

export interface ConsoleStack {
  readonly dir: string;
  /** The relay's event log (SQLite); only touch it while the relay is stopped. */
  readonly relayDbPath: string;
  readonly simulator: Simulator;
  /** The running relay; throws while it is stopped. */
  readonly relay: Relay;
  readonly relayUrl: string;
  readonly agent: Agent;
  readonly token: string;
  /** Moves the relay's and the simulator's clocks forward together. */
  advanceClocks(ms: number): Promise<void>;
  stopRelay(): Promise<void>;
  startRelay(): Promise<void>;
  close(): Promise<void>;
}

export async function startConsoleStack(
  options: { statusDelayMs?: number; twoNumbers?: boolean } = {},
): Promise<ConsoleStack> {
  const dir = mkdtempSync(join(tmpdir(), 'ventana-console-stack-'));
  const phoneNumbers = [{ id: STACK_PHONE_NUMBER_ID, displayPhoneNumber: '+593 2 555 0100' }];
  if (options.twoNumbers)
    phoneNumbers.push({ id: STACK_SECOND_PHONE_NUMBER_ID, displayPhoneNumber: '+593 2 555 0101' });
  const simulator = await startSimulator({
    appSecret: APP_SECRET,
    accessToken: ACCESS_TOKEN,
    wabaId: WABA_ID,
    phoneNumbers,
    statusDelayMs: options.statusDelayMs ?? 20,
  });
  const config: RelayConfig = testRelayConfig(dir, {
    appSecret: APP_SECRET,
    accessToken: ACCESS_TOKEN,
    graphBaseUrl: simulator.url,
    graphVersion: simulator.graphVersion,
    wabaId: WABA_ID,
  });
  // One clock for every start: time moved forward stays moved across a restart.
  const relayClock = new OffsetClock();
  let relay: Relay | null = await startRelay(config, { clock: relayClock, autoSyncTemplates: false });
  // Later starts reuse the port, so a console configured with this url finds the relay again.
  config.port = relay.port;
  const relayUrl = relay.url;
  simulator.setWebhookUrl(`${relayUrl}/webhook`);
  const { agent, token } = relay.createAgent({ name: 'Ana', role: 'admin', numbers: 'all' });

  return {
    dir,
    relayDbPath: config.dbPath,
    simulator,
    relayUrl,
    agent,
    token,
    get relay(): Relay {
      if (!relay) throw new Error('the relay is stopped');
      return relay;
    },
    async advanceClocks(ms) {
      if (!relay) throw new Error('the relay is stopped');
      const answer = await fetch(`${relay.url}/_control/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceMs: ms }),
      });
      if (answer.status !== 200) throw new Error(`the relay's clock control answered ${answer.status}`);
      simulator.advanceClock(ms);
    },
    async stopRelay() {
      await relay?.close();
      relay = null;
    },
    async startRelay() {
      relay ??= await startRelay(config, { clock: relayClock, autoSyncTemplates: false });
    },
    async close() {
      await relay?.close();
      relay = null;
      await simulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
