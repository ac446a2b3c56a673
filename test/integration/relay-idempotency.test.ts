// At most once, whatever happens between the console and Meta: the same client mutation sent again
// and again, the relay stopped before or after the Graph call, and the relay killed (SIGKILL) in the
// middle of the Graph call. The simulator counts every Graph call it receives.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain.ts';
import type { Command, CommandResult } from '../../src/shared/protocol.ts';
import { startSimulator, type RecordedSend, type Simulator } from '../../src/simulator/index.ts';
import { relayCliEnv, runRelayCli, startRelayCli } from '../helpers/relay-cli-process.ts';
import { NUMBER_A, startRelayStack, type RelayStack } from '../helpers/relay-stack.ts';
import { RelaySyncClient } from '../helpers/relay-sync-client.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let counter = 0;

/** A new customer writes to `number` through the simulator; answers the customer's wa_id. */
async function customerWrites(simulator: Simulator, number = NUMBER_A): Promise<string> {
  const waId = `5215570${String(++counter).padStart(6, '0')}`;
  const { status } = await simulator.sendInboundText({ from: waId, text: 'Hola', phoneNumberId: number });
  expect(status).toBe(200);
  return waId;
}

const sendText = (conversationId: string, text: string): Command => ({
  kind: 'send_text',
  conversationId,
  text,
  previewUrl: false,
});

async function run(console_: RelaySyncClient, mutationId: string, command: Command): Promise<CommandResult> {
  const from = console_.frames.length;
  console_.send({ type: 'command', mutationId, command });
  return (await console_.waitFor('command_result', (frame) => frame.mutationId === mutationId, from)).result;
}

async function messageWhere(
  console_: RelaySyncClient,
  id: string,
  accept: (message: Message) => boolean,
): Promise<Message> {
  const holds = () => {
    const message = console_.mirror.messages.get(id);
    return message !== undefined && accept(message);
  };
  await console_.waitFor('events', holds);
  return console_.mirror.messages.get(id)!;
}

const callsTo = (simulator: Simulator, waId: string) =>
  simulator.attempts().filter((attempt) => attempt.to === waId);

describe('the same mutation, again and again', () => {
  let stack: RelayStack;
  let token: string;

  async function setUp(numberMessagesPerSecond?: number): Promise<RelaySyncClient> {
    stack = await startRelayStack(
      numberMessagesPerSecond === undefined ? {} : { config: { numberMessagesPerSecond } },
    );
    cleanups.push(() => stack.close());
    token = stack.relay.createAgent({ name: 'Sofía', role: 'supervisor', numbers: 'all' }).token;
    return connect();
  }

  async function connect(): Promise<RelaySyncClient> {
    const console_ = await RelaySyncClient.connect(stack.relay.url, token);
    cleanups.push(() => console_.close());
    return console_;
  }

  it('reaches Meta once when sent three times in a row, or three times at once', async () => {
    const console_ = await setUp();
    const ana = await customerWrites(stack.simulator);
    const beto = await customerWrites(stack.simulator);
    const inARow = sendText(`${NUMBER_A}:${ana}`, 'Sí, la tenemos');
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await run(console_, 'mut_idem_row_1', inARow));
    expect(results).toEqual(Array(3).fill({ ok: true, messageId: 'mut_idem_row_1' }));

    const atOnce = sendText(`${NUMBER_A}:${beto}`, 'Le escribo enseguida');
    const from = console_.frames.length;
    for (let i = 0; i < 3; i++)
      console_.send({ type: 'command', mutationId: 'mut_idem_burst_1', command: atOnce });
    await console_.waitFor(
      'command_result',
      () =>
        console_.frames
          .slice(from)
          .filter((f) => f.type === 'command_result' && f.mutationId === 'mut_idem_burst_1').length === 3,
    );
    const answers = console_.frames
      .slice(from)
      .flatMap((f) => (f.type === 'command_result' ? [f.result] : []));
    expect(answers).toEqual(Array(3).fill({ ok: true, messageId: 'mut_idem_burst_1' }));

    await messageWhere(console_, 'mut_idem_row_1', (m) => m.status === 'accepted');
    await messageWhere(console_, 'mut_idem_burst_1', (m) => m.status === 'accepted');
    expect(callsTo(stack.simulator, ana)).toHaveLength(1);
    expect(callsTo(stack.simulator, beto)).toHaveLength(1);
    expect(stack.simulator.sends().map((send) => send.bizOpaqueCallbackData)).toEqual([
      'mut_idem_row_1',
      'mut_idem_burst_1',
    ]);
  });

  it('reaches Meta once across restarts, whether the relay stopped before the Graph call or after it', async () => {
    // One send per second and a clock that only moves when told: the second send cannot leave
    // before the relay stops.
    let console_ = await setUp(1);
    const ana = await customerWrites(stack.simulator);
    const beto = await customerWrites(stack.simulator);
    const sent = sendText(`${NUMBER_A}:${ana}`, 'Primero');
    const held = sendText(`${NUMBER_A}:${beto}`, 'Segundo');
    expect(await run(console_, 'mut_idem_sent_1', sent)).toEqual({ ok: true, messageId: 'mut_idem_sent_1' });
    expect(await run(console_, 'mut_idem_held_1', held)).toEqual({ ok: true, messageId: 'mut_idem_held_1' });
    await messageWhere(console_, 'mut_idem_sent_1', (m) => m.status === 'accepted');
    expect(console_.mirror.messages.get('mut_idem_held_1')).toMatchObject({ status: 'queued' });
    expect(callsTo(stack.simulator, beto)).toEqual([]);

    await stack.restartRelay();
    console_ = await connect();
    // The queued one leaves after the restart, once; the one already sent is not sent again.
    await messageWhere(console_, 'mut_idem_held_1', (m) => m.status === 'accepted');
    for (let i = 0; i < 3; i++) {
      expect(await run(console_, 'mut_idem_sent_1', sent)).toEqual({
        ok: true,
        messageId: 'mut_idem_sent_1',
      });
      expect(await run(console_, 'mut_idem_held_1', held)).toEqual({
        ok: true,
        messageId: 'mut_idem_held_1',
      });
    }
    await stack.restartRelay();
    console_ = await connect();
    expect(await run(console_, 'mut_idem_held_1', held)).toEqual({ ok: true, messageId: 'mut_idem_held_1' });
    stack.clock.advance(60_000);
    // A send logged after everything above: the queue had nothing else left to send.
    const carol = await customerWrites(stack.simulator);
    await run(console_, 'mut_idem_last_1', sendText(`${NUMBER_A}:${carol}`, 'Último'));
    await messageWhere(console_, 'mut_idem_last_1', (m) => m.status === 'accepted');

    expect(callsTo(stack.simulator, ana).map((a) => a.outcome)).toEqual(['accepted']);
    expect(callsTo(stack.simulator, beto).map((a) => a.outcome)).toEqual(['accepted']);
    expect(stack.simulator.sends().map((send) => send.bizOpaqueCallbackData)).toEqual([
      'mut_idem_sent_1',
      'mut_idem_held_1',
      'mut_idem_last_1',
    ]);
  });
});

describe('a relay killed in the middle of a Graph call', () => {
  const APP_SECRET = 'idempotency-app-secret';
  const ACCESS_TOKEN = 'idempotency-access-token';
  const WABA_ID = '310000000000077';

  interface ServedRelay {
    url: string;
    kill(): Promise<void>;
  }

  /** `npm run relay -- serve` as a child process, until it says where it listens. */
  async function serve(env: Record<string, string>): Promise<ServedRelay> {
    const child: ChildProcess = startRelayCli(['serve'], env);
    const exited = once(child, 'exit');
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const listening = /listening at (http:\/\/\S+)/.exec(line);
        if (listening !== null) resolve(listening[1]!);
      });
      void exited.then(() => reject(new Error(`the relay exited before listening: ${stderr}`)));
    });
    return {
      url,
      async kill() {
        child.kill('SIGKILL');
        await exited;
      },
    };
  }

  it('marks the send unknown at the next start, never sends it again, and lets its status settle it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ventana-idempotency-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // Real time on both sides: the relay runs as its own program.
    const simulator = await startSimulator({
      appSecret: APP_SECRET,
      accessToken: ACCESS_TOKEN,
      wabaId: WABA_ID,
      phoneNumbers: [{ id: NUMBER_A, displayPhoneNumber: '5215550001111' }],
      autoStatuses: false,
    });
    cleanups.push(() => simulator.close());
    const env = relayCliEnv(join(dir, 'relay.sqlite'), {
      VENTANA_APP_SECRET: APP_SECRET,
      VENTANA_ACCESS_TOKEN: ACCESS_TOKEN,
      VENTANA_WABA_ID: WABA_ID,
      VENTANA_GRAPH_BASE_URL: simulator.url,
      VENTANA_GRAPH_VERSION: simulator.graphVersion,
      VENTANA_MEDIA_DIR: join(dir, 'media'),
      // The call hangs until the kill: no timeout may end it first.
      VENTANA_GRAPH_TIMEOUT_MS: '600000',
    });
    const added = await runRelayCli(
      ['agent', 'add', '--name', 'Sofía', '--role', 'supervisor', '--numbers', 'all'],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    const token = /^(vnt_[A-Za-z0-9_-]{43})$/m.exec(added.stdout)![1]!;

    let relay = await serve(env);
    simulator.setWebhookUrl(`${relay.url}/webhook`);
    const waId = await customerWrites(simulator);
    let console_ = await RelaySyncClient.connect(relay.url, token);
    cleanups.push(() => console_.close());

    // Meta takes the send but its answer never comes; the relay is killed while it waits.
    simulator.failNextSends({ to: waId, error: { hang: true } });
    const arrived = new Promise<RecordedSend>((resolve) => {
      const stop = simulator.onSend((send) => {
        if (send.to !== waId) return;
        stop();
        resolve(send);
      });
    });
    const command = sendText(`${NUMBER_A}:${waId}`, 'Su pedido sale hoy');
    expect(await run(console_, 'mut_idem_killed_1', command)).toEqual({
      ok: true,
      messageId: 'mut_idem_killed_1',
    });
    const send = await arrived;
    await relay.kill();
    console_.close();

    relay = await serve(env);
    simulator.setWebhookUrl(`${relay.url}/webhook`);
    console_ = await RelaySyncClient.connect(relay.url, token);
    expect(console_.mirror.messages.get('mut_idem_killed_1')).toMatchObject({
      status: 'unknown',
      waMessageId: null,
    });
    for (let i = 0; i < 3; i++) {
      expect(await run(console_, 'mut_idem_killed_1', command)).toEqual({
        ok: true,
        messageId: 'mut_idem_killed_1',
      });
    }
    // Meta did send it: its status webhook carries the mutation id back and settles the message.
    expect(send.bizOpaqueCallbackData).toBe('mut_idem_killed_1');
    expect((await simulator.sendStatus({ wamid: send.wamid, status: 'delivered' })).status).toBe(200);
    expect(await messageWhere(console_, 'mut_idem_killed_1', (m) => m.status === 'delivered')).toMatchObject({
      waMessageId: send.wamid,
    });
    expect(callsTo(simulator, waId)).toHaveLength(1);
  });
});
