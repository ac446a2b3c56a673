// The embedded demo: a Cloud API simulator, a relay and a console core, all in this process and on
// loopback, with scripted customers. It is what `npm start` shows where no relay is configured.
// The relay reaches the simulator over HTTP exactly as it would reach Meta's Graph API; the demo
// agent's token lives only in memory (demo mode never touches the keychain): the console is signed in
// from the start, and sign-in and sign-out are refused (DEMO_MODE).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OffsetClock } from '../shared/clock.ts';
import { startRelay, type Relay } from '../relay/index.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { startDemoCustomers } from '../simulator/demo-customers.ts';
import type { ConsoleApi, PolicyView } from '../shared/console-api.ts';
import type { Agent } from '../shared/domain.ts';
import { openConsoleCore, type ConsoleCore } from './core/console-core.ts';
import { DEFAULT_POLICY_VALUES } from './policy/index.ts';
import { demoConsole } from './session/demo-console.ts';

export interface DemoOptions {
  /**
   * Where the relay's log and the console's cache live: a fresh temp dir (removed on close) by default.
   * A given dir is wiped of the demo's databases first: every demo launch starts from the same story.
   */
  dataDir?: string;
  /** Scripted customers who write in and answer replies (default true). */
  customers?: boolean;
  /** The simulator posts sent/delivered/read by itself (default true); tests turn it off to release each one. */
  autoStatuses?: boolean;
  /** The machine policy the console shows (getPolicy) and prunes by; no policy by default. */
  policy?: () => PolicyView;
}

/** The demo's relay side: simulator, relay, scripted customers and the demo agent with its token. */
export interface DemoServices {
  simulator: Simulator;
  relay: Relay;
  agent: Agent;
  /** The demo agent's relay token (in memory only). */
  token: string;
  dataDir: string;
  close(): Promise<void>;
}

export interface Demo {
  /** The console as the UI sees it: signed in as the demo agent. */
  api: ConsoleApi;
  core: ConsoleCore;
  simulator: Simulator;
  relay: Relay;
  close(): Promise<void>;
}

/** The demo business: one WhatsApp Business account with one number. */
export const DEMO_BUSINESS = {
  wabaId: '102290129340398',
  phoneNumbers: [{ id: '106540352242922', displayPhoneNumber: '525550783881' }],
};

const DEMO_DATABASES = ['relay.sqlite', 'console.sqlite'];

const NO_POLICY: PolicyView = Object.freeze({ ...DEFAULT_POLICY_VALUES, locked: [], problems: [] });

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const services = await startDemoServices(options);
  const policy = options.policy ?? (() => NO_POLICY);
  let core: ConsoleCore;
  try {
    core = await openConsoleCore({
      cachePath: join(services.dataDir, DEMO_DATABASES[1]!),
      relayUrl: services.relay.url,
      token: services.token,
      clientId: 'demo-console',
      demo: true,
      retentionDays: policy().retentionDays,
    });
  } catch (error) {
    await services.close();
    throw error;
  }
  const api = demoConsole({
    core,
    session: { agent: services.agent, relayUrl: services.relay.url, demo: true },
    policy,
  });
  return {
    api,
    core,
    simulator: services.simulator,
    relay: services.relay,
    async close() {
      await core.close();
      await services.close();
    },
  };
}

/** Simulator, relay, customers and the demo agent, without a console (a console may sign in to it). */
export async function startDemoServices(options: Omit<DemoOptions, 'policy'> = {}): Promise<DemoServices> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ventana-demo-'));
  mkdirSync(dataDir, { recursive: true });
  for (const db of DEMO_DATABASES) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, db + suffix), { force: true });
  }
  const secret = () => randomBytes(24).toString('base64url');
  const appSecret = secret();
  const accessToken = secret();

  // One clock for Meta and the relay: the relay's time control (POST /_control/clock) moves both,
  // so a demo can show a window closing without waiting 24 hours.
  const clock = new OffsetClock();
  const simulator = await startSimulator({
    clock,
    appSecret,
    accessToken,
    wabaId: DEMO_BUSINESS.wabaId,
    phoneNumbers: DEMO_BUSINESS.phoneNumbers,
    autoStatuses: options.autoStatuses ?? true,
  });
  const relay = await startRelay(
    {
      host: '127.0.0.1',
      port: 0,
      dbPath: join(dataDir, DEMO_DATABASES[0]!),
      mediaDir: join(dataDir, 'media'),
      appSecret,
      verifyToken: secret(),
      accessToken,
      graphBaseUrl: simulator.url,
      graphVersion: simulator.graphVersion,
      wabaId: DEMO_BUSINESS.wabaId,
      maxWebhookBytes: 1024 * 1024,
      graphTimeoutMs: 15_000,
      eventHorizonDays: 30,
      controlEnabled: true,
      logLevel: 'warn',
    },
    { clock },
  );
  simulator.setWebhookUrl(`${relay.url}/webhook`);

  const { agent, token } = relay.createAgent({ name: 'Agente demo', role: 'supervisor', numbers: 'all' });
  const customers = options.customers === false ? null : startDemoCustomers(simulator);

  return {
    simulator,
    relay,
    agent,
    token,
    dataDir,
    async close() {
      customers?.stop();
      await relay.close();
      await simulator.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
