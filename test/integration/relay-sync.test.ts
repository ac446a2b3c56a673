// The sync endpoint beyond plain replay: the log horizon (pruned events, reset + snapshot), a cursor
// ahead of the log, a large snapshot read slowly while customers keep writing, a slow console dropped
// and resuming, heartbeats, two business numbers with the same customer, and the relay's clock
// control. Consoles are raw `ws` clients that mirror what they receive like a console cache would.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, OffsetClock } from '../../src/shared/clock.ts';
import { WINDOW_MS } from '../../src/shared/domain.ts';
import { MAX_FRAME_BYTES, closeCodes } from '../../src/shared/protocol.ts';
import {
  NUMBER_A,
  NUMBER_B,
  startRelayStack,
  type RelayStack,
  type RelayStackOptions,
} from '../helpers/relay-stack.ts';
import {
  RelaySyncClient,
  mirrorState,
  type HelloOptions,
  type Mirror,
} from '../helpers/relay-sync-client.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const CUSTOMER = '5215512345678';

let stack: RelayStack;
let supervisorToken: string;
let clients: RelaySyncClient[] = [];

async function setUp(options: RelayStackOptions = {}): Promise<void> {
  stack = await startRelayStack(options);
  supervisorToken = stack.relay.createAgent({
    name: 'Supervisora',
    role: 'supervisor',
    numbers: 'all',
  }).token;
}

afterEach(async () => {
  for (const client of clients) client.close();
  clients = [];
  await stack.close();
});

async function connect(hello: HelloOptions = {}, mirror?: Mirror, token = supervisorToken) {
  const client = await RelaySyncClient.connect(stack.relay.url, token, hello, mirror);
  clients.push(client);
  return client;
}

async function open(token = supervisorToken, options: { autoPong?: boolean } = {}) {
  const client = await RelaySyncClient.open(stack.relay.url, token, options);
  clients.push(client);
  return client;
}

const headSeq = () =>
  stack.query<{ head: number }>('SELECT coalesce(max(seq), 0) AS head FROM events')[0]!.head;

const REBUILD = (reason: string) => ['welcome', `reset:${reason}`, 'snapshot', 'snapshot_done', 'caught_up'];

describe('log horizon', () => {
  it('prunes events older than the horizon at startup; an older cursor rebuilds to the state replay gives', async () => {
    await setUp({ config: { eventHorizonDays: 30 } });
    const live = await connect();
    await stack.customerWrites(CUSTOMER, 'Hola');
    const early = await connect();
    early.close();
    await early.closed;
    await stack.customerWrites(CUSTOMER, '¿Siguen abiertos?');
    await stack.customerWrites('5215599998888', 'Buenas', NUMBER_B);
    const oldHead = headSeq();

    stack.clock.advance(31 * DAY_MS);
    await stack.customerWrites(CUSTOMER, 'Un mes después');
    await live.waitForCursor(headSeq());
    await stack.restartRelay();

    // Everything logged a month ago is gone; the log goes on from where it was.
    const [kept] = stack.query<{ first: number; head: number }>(
      'SELECT min(seq) AS first, max(seq) AS head FROM events',
    );
    expect(kept!.first).toBe(oldHead + 1);
    const [horizon] = stack.query<{ pruned_through_seq: number }>(
      'SELECT pruned_through_seq FROM log_horizon',
    );
    expect(horizon!.pruned_through_seq).toBe(oldHead);

    // A console at the head resumes as usual.
    const resumed = await connect({ cursor: live.mirror.cursor }, live.mirror);
    expect(resumed.frameTypes()).toEqual(['welcome', 'caught_up']);

    // One whose cursor is older than the horizon, and a brand new one, rebuild from a snapshot.
    const behind = await connect({ cursor: early.mirror.cursor }, early.mirror);
    expect(behind.frameTypes()).toEqual(REBUILD('horizon'));
    expect(behind.mirror.cursor).toBe(headSeq());
    expect(mirrorState(behind.mirror)).toEqual(mirrorState(live.mirror));
    const fresh = await connect({ cursor: 0 });
    expect(fresh.frameTypes()).toEqual(REBUILD('horizon'));
    expect(mirrorState(fresh.mirror)).toEqual(mirrorState(live.mirror));

    // And all three follow the log live from there.
    await stack.customerWrites(CUSTOMER, 'Sigo por aquí');
    for (const client of [resumed, behind, fresh]) await client.waitForCursor(headSeq());
    expect(mirrorState(behind.mirror)).toEqual(mirrorState(resumed.mirror));
    expect(mirrorState(fresh.mirror)).toEqual(mirrorState(resumed.mirror));
  });

  it('rebuilds a console whose cursor is ahead of the log (another database) instead of replaying', async () => {
    await setUp();
    await stack.customerWrites(CUSTOMER, 'Hola');
    await stack.customerWrites('5215599998888', 'Buenas', NUMBER_B);
    const reference = await connect();
    const ahead = await connect({ cursor: headSeq() + 1000, epoch: 7 });
    expect(ahead.frameTypes()).toEqual(REBUILD('cursor_ahead'));
    expect(ahead.frames.find((frame) => frame.type === 'snapshot_done')).toEqual({
      type: 'snapshot_done',
      cursor: headSeq(),
    });
    expect(mirrorState(ahead.mirror)).toEqual(mirrorState(reference.mirror));
  });

  it('pages a large snapshot at the pace the console reads, and replays what raced it', async () => {
    await setUp({ config: { maxWebhookBytes: 2 * 1024 * 1024 } });
    // ~13 MB of messages: far more than one frame or the socket buffers hold.
    for (let batch = 0; batch < 16; batch++)
      await stack.customerFloods(`52155700${String(batch).padStart(4, '0')}`, 200, 4000, `bulk${batch}`);
    const reference = await connect();

    const slow = await open();
    slow.pause();
    slow.hello({ cursor: headSeq() + 1 });
    // While it does not read, the snapshot is stuck mid-way and customers keep writing.
    for (let i = 0; i < 10; i++) await stack.customerWrites(`52166${i}`, 'durante el snapshot');
    slow.resume();
    await slow.waitFor('caught_up');
    await slow.waitForCursor(headSeq());
    await reference.waitForCursor(headSeq());

    const snapshots = slow.frames.filter((frame) => frame.type === 'snapshot');
    expect(snapshots.length).toBeGreaterThan(10);
    expect(Math.max(...slow.frameBytes)).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    expect(slow.frameTypes().slice(0, 2)).toEqual(['welcome', 'reset:cursor_ahead']);
    expect(slow.mirror.messages.size).toBe(16 * 200 + 10);
    expect(mirrorState(slow.mirror)).toEqual(mirrorState(reference.mirror));
  });
});

describe('slow consoles and heartbeats', () => {
  it('drops a console whose send buffer stays full; it resumes from its cursor with nothing missed or doubled', async () => {
    await setUp({ config: { maxWebhookBytes: 2 * 1024 * 1024 } });
    const slow = await connect();
    const reference = await connect();
    slow.pause();
    // ~45 MB of live events: more than the socket buffers hold, so the relay's send buffer grows.
    for (let batch = 0; batch < 48; batch++)
      await stack.customerFloods(`52155800${String(batch).padStart(4, '0')}`, 200, 4000, `live${batch}`);
    slow.resume();
    expect((await slow.closed).code).toBe(closeCodes.slowConsumer);
    expect(slow.mirror.cursor).toBeLessThan(headSeq());

    const resumed = await connect({ cursor: slow.mirror.cursor }, slow.mirror);
    expect(resumed.frameTypes()[0]).toBe('welcome');
    expect(resumed.frameTypes()).not.toContain('reset:horizon');
    await reference.waitForCursor(headSeq());
    const seqs = [...slow.events(), ...resumed.events()].map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: headSeq() }, (_, i) => i + 1));
    expect(mirrorState(resumed.mirror)).toEqual(mirrorState(reference.mirror));
  });

  it('pings every console; one that answers stays, one that stops answering is cut off', async () => {
    await setUp({ heartbeatIntervalMs: 50 });
    const answering = await connect();
    const silent = await open(supervisorToken, { autoPong: false });
    silent.hello();
    await silent.waitFor('caught_up');
    await answering.waitForPings(5);
    expect(answering.isOpen).toBe(true);
    // Terminated without a closing handshake: the console sees an abnormal closure and reconnects.
    expect((await silent.closed).code).toBe(1006);
    expect(silent.pings).toBeGreaterThanOrEqual(1);
  });
});

describe('several business numbers', () => {
  it('keeps one conversation per (number, customer), each with its own window and visibility', async () => {
    await setUp();
    await stack.customerWrites(CUSTOMER, 'Hola tienda del centro', NUMBER_A);
    const wroteToA = stack.clock.now();
    stack.clock.advance(60 * 60 * 1000);
    await stack.customerWrites(CUSTOMER, 'Hola tienda del norte', NUMBER_B);
    const wroteToB = stack.clock.now();

    const supervisor = await connect();
    const second = (ms: number) => ms - (ms % 1000);
    const conversations = [...supervisor.mirror.conversations.values()].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    expect(conversations.map((c) => [c.id, c.phoneNumberId, c.customer.waId, c.windowExpiresAt])).toEqual([
      [`${NUMBER_A}:${CUSTOMER}`, NUMBER_A, CUSTOMER, second(wroteToA) + WINDOW_MS],
      [`${NUMBER_B}:${CUSTOMER}`, NUMBER_B, CUSTOMER, second(wroteToB) + WINDOW_MS],
    ]);
    expect([...supervisor.mirror.messages.values()].map((m) => [m.conversationId, m.text]).sort()).toEqual([
      [`${NUMBER_A}:${CUSTOMER}`, 'Hola tienda del centro'],
      [`${NUMBER_B}:${CUSTOMER}`, 'Hola tienda del norte'],
    ]);

    // An agent of number A sees and answers only A's conversation, and its reply leaves from number A.
    const { token } = stack.relay.createAgent({ name: 'Centro', role: 'agent', numbers: [NUMBER_A] });
    const agentOfA = await connect({}, undefined, token);
    expect([...agentOfA.mirror.conversations.keys()]).toEqual([`${NUMBER_A}:${CUSTOMER}`]);
    const refused = await agentOfA.command('mut_to_number_b', `${NUMBER_B}:${CUSTOMER}`, 'Hola');
    expect(refused.result).toMatchObject({ ok: false, error: { code: 'CONVERSATION_NOT_FOUND' } });
    const sent = await agentOfA.command('mut_to_number_a', `${NUMBER_A}:${CUSTOMER}`, 'Hola, aquí el centro');
    expect(sent.result).toEqual({ ok: true, messageId: 'mut_to_number_a' });
    // The send leaves through the relay's queue once the command is answered.
    while (stack.simulator.sends().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stack.simulator.sends().map((s) => [s.phoneNumberId, s.to, s.text])).toEqual([
      [NUMBER_A, CUSTOMER, 'Hola, aquí el centro'],
    ]);
  });
});

describe('the relay clock control', () => {
  const clockUrl = () => `${stack.relay.url}/_control/clock`;
  const advance = (body: unknown) =>
    fetch(clockUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('moves the relay’s time: a window closes after 24 hours and a free-form reply is refused', async () => {
    await setUp();
    await stack.customerWrites(CUSTOMER, '¿Tienen la talla M?');
    const console1 = await connect();
    const conversationId = `${NUMBER_A}:${CUSTOMER}`;
    expect((await console1.command('mut_clock_before', conversationId, 'Sí')).result.ok).toBe(true);

    const start = stack.clock.now();
    expect(await (await fetch(clockUrl())).json()).toEqual({ now: start, offsetMs: 0 });
    const moved = await advance({ advanceMs: WINDOW_MS });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toEqual({ now: start + WINDOW_MS, offsetMs: WINDOW_MS });

    const window = console1.mirror.conversations.get(conversationId)!.windowExpiresAt!;
    expect(window).toBeLessThanOrEqual(start + WINDOW_MS);
    const refused = await console1.command('mut_clock_after', conversationId, '¿Sigue ahí?');
    expect(refused.result).toMatchObject({ ok: false, error: { code: 'WINDOW_CLOSED' } });
    expect(stack.simulator.sends()).toHaveLength(1);

    // Consoles count down on the relay's time: it reaches them at connect and on /v1/me.
    const console2 = await connect();
    expect(console2.frames[0]).toMatchObject({ type: 'welcome', serverTime: start + WINDOW_MS });
    const me = await fetch(`${stack.relay.url}/v1/me`, {
      headers: { authorization: `Bearer ${supervisorToken}` },
    });
    expect(await me.json()).toMatchObject({ serverTime: start + WINDOW_MS });
  });

  it('moves the simulator too when they share the clock, so a customer writing after the jump reopens the window', async () => {
    // The relay takes an OffsetClock as its own clock; the simulator reads it as its base.
    const shared = new OffsetClock(new ManualClock(Date.UTC(2026, 10, 21, 12, 0, 0)));
    await setUp({ relayClock: shared, simulatorClock: shared });
    await stack.customerWrites(CUSTOMER, 'Hola');
    expect((await advance({ advanceMs: 2 * DAY_MS })).status).toBe(200);
    await stack.customerWrites(CUSTOMER, 'Hola otra vez, dos días después');
    const console1 = await connect();
    const conversation = console1.mirror.conversations.get(`${NUMBER_A}:${CUSTOMER}`)!;
    expect(conversation.lastInboundAt).toBe(Date.UTC(2026, 10, 23, 12, 0, 0));
    expect((await console1.command('mut_after_jump', conversation.id, 'Bienvenida de nuevo')).result.ok).toBe(
      true,
    );
  });

  it('refuses bad requests with a clear error and never moves time backwards', async () => {
    await setUp();
    const start = stack.clock.now();
    for (const body of [
      { advanceMs: -1000 },
      { advanceMs: 0 },
      { advanceMs: 1.5 },
      { advanceMs: '10' },
      { later: 1 },
    ]) {
      const answer = await advance(body);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ error: { code: 'INVALID_BODY' } });
    }
    const notJson = await fetch(clockUrl(), { method: 'POST', body: 'soon' });
    expect(notJson.status).toBe(400);
    expect((await fetch(clockUrl(), { method: 'PUT', body: '{}' })).status).toBe(405);
    expect(await (await fetch(clockUrl())).json()).toEqual({ now: start, offsetMs: 0 });
  });

  it('does not exist when the controls are off', async () => {
    await setUp({ config: { controlEnabled: false } });
    expect((await fetch(clockUrl())).status).toBe(404);
    const refused = await advance({ advanceMs: DAY_MS });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const me = await fetch(`${stack.relay.url}/v1/me`, {
      headers: { authorization: `Bearer ${supervisorToken}` },
    });
    expect(await me.json()).toMatchObject({ serverTime: stack.clock.now() });
  });
});
