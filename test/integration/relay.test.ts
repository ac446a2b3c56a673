// The relay over real HTTP and WebSocket on loopback, with its event log in a SQLite file in a temp
// dir and the Cloud API simulator as Meta. Consoles are played by plain `ws` clients that validate
// every frame against the shared protocol.
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startRelay, type Relay, type RelayConfig } from '../../src/relay/index.ts';
import { startSimulator, type RecordedSend, type Simulator } from '../../src/simulator/index.ts';
import { testRelayConfig } from '../helpers/relay-config.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import type { Message } from '../../src/shared/domain.ts';
import {
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  SYNC_PATH,
  closeCodes,
  parseFrame,
  serverFrameSchema,
  type ClientFrame,
  type RelayEvent,
  type ServerFrame,
} from '../../src/shared/protocol.ts';

const APP_SECRET = 'relay-test-app-secret';
const ACCESS_TOKEN = 'relay-test-access-token';
const VERIFY_TOKEN = 'relay-test-verify-token';
const WABA_ID = '310000000000001';
const NUMBER_A = '420000000000001';
const NUMBER_B = '420000000000002';
const CUSTOMER = '5215512345678';
const MAX_WEBHOOK_BYTES = 64 * 1024;

const fixture = (name: string): Buffer =>
  readFileSync(join(import.meta.dirname, '../fixtures/webhooks', name));
const sign = (body: Buffer, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

// ---------------------------------------------------------------------------------------------------
// A console played by a ws client: collects every frame (validated), and waits for the ones a test needs.

type Frame<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

class SyncClient {
  readonly frames: ServerFrame[] = [];
  /** Size of every frame received, in bytes. */
  readonly frameBytes: number[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #ws: WebSocket;
  #waiters: (() => void)[] = [];
  #isClosed = false;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data: Buffer) => {
      this.frameBytes.push(data.length);
      const parsed = parseFrame(serverFrameSchema, data.toString('utf8'));
      if (!parsed.ok) throw new Error(`the relay sent a frame outside the protocol: ${parsed.reason}`);
      this.frames.push(parsed.frame);
      this.#wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.#isClosed = true;
        this.#wake();
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  static async open(relay: Relay, token: string): Promise<SyncClient> {
    const ws = new WebSocket(`${relay.url.replace(/^http/, 'ws')}${SYNC_PATH}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await once(ws, 'open');
    return new SyncClient(ws);
  }

  /** Opens, says hello and waits until the replay has caught up. */
  static async connect(relay: Relay, token: string, cursor = 0): Promise<SyncClient> {
    const client = await SyncClient.open(relay, token);
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION, clientId: 'test-console', cursor });
    await client.waitFor('caught_up');
    return client;
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.#ws.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer): void {
    this.#ws.send(data);
  }

  /** The first frame of this type (after `from`) that satisfies `accept`; fails if the socket closes first. */
  async waitFor<T extends ServerFrame['type']>(
    type: T,
    accept: (frame: Frame<T>) => boolean = () => true,
    from = 0,
  ): Promise<Frame<T>> {
    for (;;) {
      const found = this.frames
        .slice(from)
        .find((frame): frame is Frame<T> => frame.type === type && accept(frame as Frame<T>));
      if (found !== undefined) return found;
      if (this.#isClosed)
        throw new Error(`socket closed before a ${type} frame; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Waits until the stream has covered `seq`. */
  waitForCursor(seq: number): Promise<Frame<'events'>> {
    return this.waitFor('events', (frame) => frame.cursor >= seq);
  }

  async command(mutationId: string, conversationId: string, text: string): Promise<Frame<'command_result'>> {
    const from = this.frames.length;
    this.send({ type: 'command', mutationId, command: { kind: 'send_text', conversationId, text } });
    return this.waitFor('command_result', (frame) => frame.mutationId === mutationId, from);
  }

  events(): RelayEvent[] {
    return this.frames.flatMap((frame) => (frame.type === 'events' ? frame.events : []));
  }

  /** The latest state of a message as streamed so far. */
  message(id: string): Message | undefined {
    return this.events()
      .flatMap((event) =>
        event.type === 'message.upserted' && event.message.id === id ? [event.message] : [],
      )
      .at(-1);
  }

  /** Stops reading from the socket, like a console too busy to keep up. */
  pause(): void {
    this.#ws.pause();
  }

  resume(): void {
    this.#ws.resume();
  }

  close(): void {
    this.#ws.close();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

// ---------------------------------------------------------------------------------------------------
// One relay + simulator per test, sharing a manual clock (Meta's timestamps and the relay's window).

interface Stack {
  relay: Relay;
  simulator: Simulator;
  clock: ManualClock;
  config: RelayConfig;
  supervisorToken: string;
  /** Stops the relay and starts a new one on the same database file (optionally configured otherwise). */
  restartRelay(overrides?: Partial<RelayConfig>): Promise<Relay>;
  /** Counts rows in the relay's database (read-only), e.g. unrecognized webhooks. */
  count(table: 'unrecognized_webhooks' | 'events' | 'messages'): number;
  postWebhook(body: Buffer, headers?: Record<string, string>): Promise<Response>;
}

let dir: string;
let stack: Stack;
let cleanups: (() => Promise<void> | void)[] = [];

async function startStack(
  options: { graphBaseUrl?: string; start?: number; maxWebhookBytes?: number; graphTimeoutMs?: number } = {},
): Promise<Stack> {
  const clock = new ManualClock(options.start);
  const simulator = await startSimulator({
    appSecret: APP_SECRET,
    accessToken: ACCESS_TOKEN,
    wabaId: WABA_ID,
    phoneNumbers: [
      { id: NUMBER_A, displayPhoneNumber: '5215550001111' },
      { id: NUMBER_B, displayPhoneNumber: '5215550002222' },
    ],
    autoStatuses: false,
    clock,
  });
  const config: RelayConfig = testRelayConfig(
    dir,
    {
      appSecret: APP_SECRET,
      accessToken: ACCESS_TOKEN,
      graphBaseUrl: options.graphBaseUrl ?? simulator.url,
      graphVersion: simulator.graphVersion,
      wabaId: WABA_ID,
    },
    {
      dbPath: join(dir, `relay-${cleanups.length}.sqlite`),
      mediaDir: join(dir, `media-${cleanups.length}`),
      verifyToken: VERIFY_TOKEN,
      maxWebhookBytes: options.maxWebhookBytes ?? MAX_WEBHOOK_BYTES,
      ...(options.graphTimeoutMs === undefined ? {} : { graphTimeoutMs: options.graphTimeoutMs }),
    },
  );
  const logger = pino({ level: 'silent' });
  const deps = { clock, logger, autoSyncTemplates: false };
  let relay = await startRelay(config, deps);
  simulator.setWebhookUrl(`${relay.url}/webhook`);
  const { token: supervisorToken } = relay.createAgent({
    name: 'Supervisora',
    role: 'supervisor',
    numbers: 'all',
  });
  const current: Stack = {
    relay,
    simulator,
    clock,
    config,
    supervisorToken,
    async restartRelay(overrides = {}) {
      await relay.close();
      relay = await startRelay({ ...config, ...overrides }, deps);
      simulator.setWebhookUrl(`${relay.url}/webhook`);
      current.relay = relay;
      return relay;
    },
    count(table) {
      const db = new Database(config.dbPath, { readonly: true });
      try {
        return db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!;
      } finally {
        db.close();
      }
    },
    postWebhook(body, headers = { 'x-hub-signature-256': sign(body) }) {
      return fetch(`${relay.url}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    },
  };
  cleanups.push(async () => {
    await current.relay.close();
    await simulator.close();
  });
  return current;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-relay-'));
  cleanups = [];
  stack = await startStack();
});

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const conversationOf = (customer: string, number = NUMBER_A) => `${number}:${customer}`;

/** Meta's envelope around webhook `value`s of number A, as raw bytes ready to sign. */
function envelope(value: Record<string, unknown>): Buffer {
  return Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA_ID,
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '5215550001111', phone_number_id: NUMBER_A },
                ...value,
              },
              field: 'messages',
            },
          ],
        },
      ],
    }),
  );
}

function inboundWebhook(from: string, messages: { id: string; text: string }[]): Buffer {
  const timestamp = String(Math.floor(stack.clock.now() / 1000));
  return envelope({
    contacts: [{ profile: { name: 'Cliente' }, wa_id: from }],
    messages: messages.map(({ id, text }) => ({ from, id, timestamp, type: 'text', text: { body: text } })),
  });
}

// ---------------------------------------------------------------------------------------------------

describe('webhook endpoint', () => {
  it('answers Meta’s verification handshake with the challenge as plain text, and 403 otherwise', async () => {
    const url = (token: string, mode = 'subscribe') =>
      `${stack.relay.url}/webhook?hub.mode=${mode}&hub.verify_token=${token}&hub.challenge=1158201444`;
    const good = await fetch(url(VERIFY_TOKEN));
    expect(good.status).toBe(200);
    expect(good.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await good.text()).toBe('1158201444');
    expect((await fetch(url('wrong-token'))).status).toBe(403);
    expect((await fetch(url(VERIFY_TOKEN, 'unsubscribe'))).status).toBe(403);
  });

  it('refuses bodies over the limit with 413, with or without Content-Length', async () => {
    const big = Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 0x20);
    expect((await stack.postWebhook(big)).status).toBe(413);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(MAX_WEBHOOK_BYTES / 2));
        controller.close();
      },
    });
    const response = await fetch(`${stack.relay.url}/webhook`, {
      method: 'POST',
      headers: { 'x-hub-signature-256': sign(Buffer.alloc(0)) },
      body: chunked,
      duplex: 'half',
    });
    expect(response.status).toBe(413);
    expect(stack.count('unrecognized_webhooks')).toBe(0);
  });

  it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
    const body = fixture('text.json');
    expect((await stack.postWebhook(body, {})).status).toBe(401);
    expect(
      (await stack.postWebhook(body, { 'x-hub-signature-256': sign(body, 'not-the-secret') })).status,
    ).toBe(401);
    expect((await stack.postWebhook(body, { 'x-hub-signature-256': 'sha256=abc' })).status).toBe(401);
    expect(stack.count('events')).toBe(0);
    expect(stack.count('unrecognized_webhooks')).toBe(0);
  });

  it('keeps a correctly signed body it cannot read, raw, raises an alert for it, and answers 200', async () => {
    const garbage = Buffer.from('this is not json \u00ff');
    expect((await stack.postWebhook(garbage)).status).toBe(200);
    const unknownShape = Buffer.from(JSON.stringify({ object: 'instagram', entry: [{ id: '1' }] }));
    expect((await stack.postWebhook(unknownShape)).status).toBe(200);
    // A known envelope with a field the relay does not apply yet is kept raw too.
    expect((await stack.postWebhook(fixture('field-user-preferences.json'))).status).toBe(200);

    const db = new Database(stack.config.dbPath, { readonly: true });
    const rows = db
      .prepare<[], { body: Buffer; reason: string }>(
        'SELECT body, reason FROM unrecognized_webhooks ORDER BY id',
      )
      .all();
    db.close();
    expect(rows.map((row) => row.body)).toEqual([
      garbage,
      unknownShape,
      fixture('field-user-preferences.json'),
    ]);
    expect(rows.map((row) => row.reason)).toEqual([
      'body is not JSON',
      expect.stringContaining('not a WhatsApp webhook'),
      expect.stringContaining('user_preferences'),
    ]);
    // Each kept body is surfaced to admins as one alert event.
    expect(stack.count('events')).toBe(3);
  });

  it('applies a message delivered twice only once', async () => {
    const body = fixture('text.json');
    expect((await stack.postWebhook(body)).status).toBe(200);
    expect((await stack.postWebhook(body)).status).toBe(200);
    expect(stack.count('messages')).toBe(1);
    // The business number's first sighting, the message and its conversation; nothing for the repeat.
    expect(stack.count('events')).toBe(3);
  });

  it('reads every change of a signed webhook into its own conversation', async () => {
    expect((await stack.postWebhook(fixture('two-changes.json'))).status).toBe(200);
    const client = await SyncClient.connect(stack.relay, stack.supervisorToken);
    const conversations = client
      .events()
      .flatMap((event) => (event.type === 'conversation.upserted' ? [event.conversation] : []));
    expect(conversations.map((c) => [c.id, c.customer.name, c.lastMessagePreview])).toEqual([
      [conversationOf('5215522223333', NUMBER_A), 'Mateo Ruiz', 'Primer mensaje'],
      [conversationOf('5215544445555', NUMBER_B), 'Sofía Gómez', 'Segundo mensaje, otro número'],
    ]);
    client.close();
  });
});

describe('REST', () => {
  it('GET /v1/me answers the agent and the relay clock for a valid token only', async () => {
    const me = await fetch(`${stack.relay.url}/v1/me`, {
      headers: { authorization: `Bearer ${stack.supervisorToken}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      agent: { id: expect.any(String) as unknown, name: 'Supervisora', role: 'supervisor', numbers: 'all' },
      serverTime: stack.clock.now(),
    });
    expect((await fetch(`${stack.relay.url}/v1/me`)).status).toBe(401);
    const wrong = await fetch(`${stack.relay.url}/v1/me`, {
      headers: { authorization: 'Bearer vnt_not-a-real-token' },
    });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${stack.relay.url}/healthz`)).status).toBe(200);
  });
});

describe('sync', () => {
  it('streams inbound messages live, and replays them from cursor 0 and from a middle cursor', async () => {
    const live = await SyncClient.connect(stack.relay, stack.supervisorToken);
    expect(live.frames[0]).toMatchObject({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      headSeq: 0,
      serverTime: stack.clock.now(),
    });

    for (const text of ['Hola', '¿Tienen envío a Monterrey?', 'Gracias']) {
      expect(
        (
          await stack.simulator.sendInboundText({
            from: CUSTOMER,
            name: 'Lucía',
            text,
            phoneNumberId: NUMBER_A,
          })
        ).status,
      ).toBe(200);
    }
    await live.waitForCursor(7);
    const liveEvents = live.events();
    expect(liveEvents.map((e) => [e.seq, e.type])).toEqual([
      [1, 'phone_number.upserted'],
      [2, 'message.upserted'],
      [3, 'conversation.upserted'],
      [4, 'message.upserted'],
      [5, 'conversation.upserted'],
      [6, 'message.upserted'],
      [7, 'conversation.upserted'],
    ]);
    expect(liveEvents[1]).toMatchObject({
      message: {
        direction: 'in',
        status: 'received',
        text: 'Hola',
        conversationId: conversationOf(CUSTOMER),
      },
    });
    expect(liveEvents[6]).toMatchObject({
      conversation: {
        id: conversationOf(CUSTOMER),
        customer: { key: CUSTOMER, waId: CUSTOMER, name: 'Lucía' },
        lastInboundAt: stack.clock.now() - (stack.clock.now() % 1000),
        lastMessagePreview: 'Gracias',
      },
    });

    const fromStart = await SyncClient.connect(stack.relay, stack.supervisorToken, 0);
    expect(fromStart.events()).toEqual(liveEvents);
    expect(await fromStart.waitFor('caught_up')).toEqual({ type: 'caught_up', cursor: 7 });

    const fromMiddle = await SyncClient.connect(stack.relay, stack.supervisorToken, 2);
    expect(fromMiddle.events()).toEqual(liveEvents.slice(2));
    for (const client of [live, fromStart, fromMiddle]) client.close();
  });

  it('misses and repeats nothing when events arrive while a slow console is still replaying', async () => {
    await stack.relay.close();
    stack = await startStack({ maxWebhookBytes: 1024 * 1024 });
    // A log far larger than the socket buffers (~16 MB): the replay must wait for the console to read.
    const long = 'x'.repeat(4000);
    for (let batch = 0; batch < 16; batch++) {
      const messages = Array.from({ length: 200 }, (_, i) => ({
        id: `wamid.bulk-${batch}-${i}`,
        text: `${batch}-${i} ${long}`,
      }));
      expect(
        (await stack.postWebhook(inboundWebhook(`5215570000${String(batch).padStart(3, '0')}`, messages)))
          .status,
      ).toBe(200);
    }
    // Two events per message, plus the business number's first sighting.
    const logged = 16 * 200 * 2 + 1;

    const client = await SyncClient.open(stack.relay, stack.supervisorToken);
    client.pause();
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION, clientId: 'slow-console', cursor: 0 });
    // While it is not reading, the replay is stuck mid-log and new customers write in.
    for (let i = 0; i < 10; i++)
      await stack.simulator.sendInboundText({ from: `52166${i}`, text: 'durante la repetición' });
    client.resume();
    await client.waitFor('caught_up');
    await client.waitForCursor(logged + 20);

    expect(client.events().map((event) => event.seq)).toEqual(
      Array.from({ length: logged + 20 }, (_, i) => i + 1),
    );
    expect(Math.max(...client.frameBytes)).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    client.close();
  });

  it('drops a live console that stops reading, with the slowConsumer close code', async () => {
    await stack.relay.close();
    stack = await startStack({ maxWebhookBytes: 1024 * 1024 });
    const client = await SyncClient.connect(stack.relay, stack.supervisorToken);
    client.pause();
    // ~45 MB of live events: more than the socket buffers hold, so the relay's send buffer grows.
    const long = 'x'.repeat(4000);
    for (let batch = 0; batch < 48; batch++) {
      const messages = Array.from({ length: 200 }, (_, i) => ({
        id: `wamid.live-${batch}-${i}`,
        text: long,
      }));
      expect(
        (await stack.postWebhook(inboundWebhook(`5215580000${String(batch).padStart(3, '0')}`, messages)))
          .status,
      ).toBe(200);
    }
    client.resume();
    expect((await client.closed).code).toBe(closeCodes.slowConsumer);
    // Whatever it did receive is a gapless prefix of the log, so it resumes from its cursor.
    const seqs = client.events().map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it('refuses a bad or missing token with HTTP 401 before upgrading', async () => {
    for (const headers of [{ authorization: 'Bearer vnt_wrong' }, {}]) {
      const ws = new WebSocket(`${stack.relay.url.replace(/^http/, 'ws')}${SYNC_PATH}`, { headers });
      const [request, response] = (await once(ws, 'unexpected-response')) as [ClientRequest, IncomingMessage];
      expect(response.statusCode).toBe(401);
      request.destroy();
    }
  });

  it('answers a protocol mismatch with an error frame and the protocolMismatch close code', async () => {
    const client = await SyncClient.open(stack.relay, stack.supervisorToken);
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION + 1, clientId: 'future-console', cursor: 0 });
    expect(await client.waitFor('error')).toMatchObject({ error: { code: 'PROTOCOL_MISMATCH' } });
    expect((await client.closed).code).toBe(closeCodes.protocolMismatch);
  });

  it('answers bad frames with BAD_FRAME and carries on', async () => {
    const client = await SyncClient.open(stack.relay, stack.supervisorToken);
    client.sendRaw('{not json');
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION, clientId: '', cursor: -1 });
    client.sendRaw(Buffer.from([1, 2, 3]));
    client.send({
      type: 'command',
      mutationId: 'mut_before_hello',
      command: { kind: 'send_text', conversationId: 'x', text: 'hi' },
    });
    await client.waitFor('error', () => client.frames.length >= 4);
    expect(client.frames.map((frame) => (frame.type === 'error' ? frame.error.code : frame.type))).toEqual([
      'BAD_FRAME',
      'BAD_FRAME',
      'BAD_FRAME',
      'BAD_FRAME',
    ]);
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION, clientId: 'test-console', cursor: 0 });
    expect(await client.waitFor('caught_up')).toEqual({ type: 'caught_up', cursor: 0 });
    expect(stack.count('events')).toBe(0);
    client.close();
  });

  it('shows an agent only its own numbers, while its cursor still advances past the others', async () => {
    const { token } = stack.relay.createAgent({ name: 'Agente A', role: 'agent', numbers: [NUMBER_A] });
    const live = await SyncClient.connect(stack.relay, token);
    expect(live.frames[0]).toMatchObject({ type: 'welcome', agent: { role: 'agent', numbers: [NUMBER_A] } });

    await stack.simulator.sendInboundText({ from: '5215599990000', text: 'para B', phoneNumberId: NUMBER_B });
    await stack.simulator.sendInboundText({ from: CUSTOMER, text: 'para A', phoneNumberId: NUMBER_A });
    await stack.simulator.sendInboundText({
      from: '5215599990000',
      text: 'otra vez B',
      phoneNumberId: NUMBER_B,
    });
    // Seq 1 and 4 are the first sightings of numbers B and A.
    await live.waitForCursor(8);
    expect(live.events().map((e) => [e.seq, e.phoneNumberId])).toEqual([
      [4, NUMBER_A],
      [5, NUMBER_A],
      [6, NUMBER_A],
    ]);

    const replay = await SyncClient.connect(stack.relay, token, 0);
    expect(replay.events()).toEqual(live.events());
    expect(await replay.waitFor('caught_up')).toEqual({ type: 'caught_up', cursor: 8 });

    // Its commands cannot reach number B's conversations either.
    const refused = await live.command('mut_agent_a_to_b', conversationOf('5215599990000', NUMBER_B), 'hola');
    expect(refused.result).toMatchObject({ ok: false, error: { code: 'CONVERSATION_NOT_FOUND' } });
    expect(stack.simulator.sends()).toEqual([]);
    live.close();
    replay.close();
  });
});

describe('send_text', () => {
  /** Sends leave through the relay's durable queue after the command is answered: wait for them. */
  async function sendsReach(count: number): Promise<RecordedSend[]> {
    while (stack.simulator.sends().length < count) await new Promise((resolve) => setTimeout(resolve, 10));
    return stack.simulator.sends();
  }

  async function customerWrites(): Promise<string> {
    await stack.simulator.sendInboundText({
      from: CUSTOMER,
      name: 'Lucía',
      text: '¿Tienen la talla M?',
      phoneNumberId: NUMBER_A,
    });
    return conversationOf(CUSTOMER);
  }

  it('sends once per mutation id, however often it is repeated, also after a relay restart', async () => {
    const conversationId = await customerWrites();
    const client = await SyncClient.connect(stack.relay, stack.supervisorToken);
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push((await client.command('mut_once_0001', conversationId, 'Sí, la tenemos')).result);
    // Sent at once, without waiting for answers, the same mutation still goes out once.
    client.send({
      type: 'command',
      mutationId: 'mut_once_0002',
      command: { kind: 'send_text', conversationId, text: 'Dos' },
    });
    client.send({
      type: 'command',
      mutationId: 'mut_once_0002',
      command: { kind: 'send_text', conversationId, text: 'Dos' },
    });
    await client.waitFor(
      'command_result',
      (f) =>
        f.mutationId === 'mut_once_0002' &&
        client.frames.filter((g) => g.type === 'command_result' && g.mutationId === 'mut_once_0002')
          .length === 2,
    );

    expect(results).toEqual([
      { ok: true, messageId: 'mut_once_0001' },
      { ok: true, messageId: 'mut_once_0001' },
      { ok: true, messageId: 'mut_once_0001' },
    ]);
    const sends = await sendsReach(2);
    expect(sends.map((s) => [s.text, s.to, s.bizOpaqueCallbackData, s.phoneNumberId])).toEqual([
      ['Sí, la tenemos', CUSTOMER, 'mut_once_0001', NUMBER_A],
      ['Dos', CUSTOMER, 'mut_once_0002', NUMBER_A],
    ]);
    await client.waitFor('events', () => client.message('mut_once_0001')?.status === 'accepted');
    expect(client.message('mut_once_0001')).toMatchObject({
      direction: 'out',
      status: 'accepted',
      waMessageId: sends[0]!.wamid,
      text: 'Sí, la tenemos',
      authorId: expect.stringMatching(/^agt_/) as unknown,
    });
    client.close();

    const relay = await stack.restartRelay();
    const again = await SyncClient.connect(relay, stack.supervisorToken);
    expect((await again.command('mut_once_0001', conversationId, 'Sí, la tenemos')).result).toEqual({
      ok: true,
      messageId: 'mut_once_0001',
    });
    expect(stack.simulator.sends()).toHaveLength(2);
    again.close();
  });

  it('ends with the right wamid and status when the sent status overtakes the send’s answer', async () => {
    const conversationId = await customerWrites();
    stack.simulator.configure({ statusBeforeResponse: true });
    const client = await SyncClient.connect(stack.relay, stack.supervisorToken);
    expect((await client.command('mut_overtaken_1', conversationId, 'Enseguida')).result.ok).toBe(true);

    const [send] = await sendsReach(1);
    await client.waitFor('events', () => client.message('mut_overtaken_1')?.waMessageId === send!.wamid);
    const replay = await SyncClient.connect(stack.relay, stack.supervisorToken);
    expect(replay.message('mut_overtaken_1')).toMatchObject({ status: 'sent', waMessageId: send!.wamid });
    client.close();
    replay.close();
  });

  it('never moves a status back when read arrives before delivered', async () => {
    const conversationId = await customerWrites();
    const client = await SyncClient.connect(stack.relay, stack.supervisorToken);
    await client.command('mut_out_of_order', conversationId, 'Listo');
    const [send] = await sendsReach(1);
    await client.waitFor('events', () => client.message('mut_out_of_order')?.status === 'accepted');
    for (const status of ['sent', 'read', 'delivered'] as const) {
      expect((await stack.simulator.sendStatus({ wamid: send!.wamid, status })).status).toBe(200);
    }
    const replay = await SyncClient.connect(stack.relay, stack.supervisorToken);
    expect(replay.message('mut_out_of_order')).toMatchObject({
      status: 'read',
      pricing: { billable: false, category: 'service', type: 'free_customer_service', model: 'PMP' },
    });
    client.close();
    replay.close();
  });

  it('records Meta’s error when a status says the message failed', async () => {
    const conversationId = await customerWrites();
    const client = await SyncClient.connect(stack.relay, stack.supervisorToken);
    await client.command('mut_failed_later', conversationId, '¿Sigue ahí?');
    const [send] = await sendsReach(1);
    await stack.simulator.sendStatus({
      wamid: send!.wamid,
      status: 'failed',
      error: { code: 131026, title: 'Message undeliverable', details: 'Unable to deliver message.' },
    });
    await client.waitFor('events', () => client.message('mut_failed_later')?.status === 'failed');
    expect(client.message('mut_failed_later')?.error).toMatchObject({
      code: 131026,
      title: 'Message undeliverable',
      details: 'Unable to deliver message.',
    });
    client.close();
  });

  it('refuses with WINDOW_CLOSED once the customer’s last message is over 24 h old, and sends nothing', async () => {
    const conversationId = await customerWrites();
    stack.clock.advance(24 * 60 * 60 * 1000 + 1000);
    const client = await SyncClient.connect(stack.relay, stack.supervisorToken);
    const refused = await client.command('mut_window_closed', conversationId, '¿Sigue interesada?');
    expect(refused.result).toMatchObject({
      ok: false,
      error: { code: 'WINDOW_CLOSED', message: expect.stringContaining('24 hours') as unknown },
    });
    expect(stack.simulator.sends()).toEqual([]);

    // The refusal is the stored outcome of that mutation, even after the customer reopens the window.
    await customerWrites();
    expect((await client.command('mut_window_closed', conversationId, '¿Sigue interesada?')).result).toEqual(
      refused.result,
    );
    expect(stack.simulator.sends()).toEqual([]);
    client.close();
  });

  it('marks a send whose outcome is lost as unknown, never resends it, and lets later statuses settle it', async () => {
    // Meta takes the send but never answers: past the timeout the outcome is unknown.
    await stack.relay.close();
    stack = await startStack({ start: Date.UTC(2025, 10, 21, 12, 1, 0), graphTimeoutMs: 300 });
    stack.simulator.failNextSends({ count: 1, error: { hang: true, accepted: false } });

    expect((await stack.postWebhook(fixture('text.json'))).status).toBe(200);
    const conversationId = conversationOf(CUSTOMER);
    let client = await SyncClient.connect(stack.relay, stack.supervisorToken);
    const answer = { ok: true, messageId: 'mut_lost_answer' };
    expect((await client.command('mut_lost_answer', conversationId, 'Hola Lucía')).result).toEqual(answer);
    await client.waitFor('events', () => client.message('mut_lost_answer')?.status === 'unknown');
    client.close();

    // After a restart the same mutation is answered from the log and never resent.
    const relay = await stack.restartRelay();
    client = await SyncClient.connect(relay, stack.supervisorToken);
    expect((await client.command('mut_lost_answer', conversationId, 'Hola Lucía')).result).toEqual(answer);
    expect(stack.simulator.sends()).toEqual([]);

    // Meta did send it after all. A status without the tracker names a wamid the relay never heard of: parked.
    const statusOf = (status: string, tracker?: string) =>
      envelope({
        statuses: [
          {
            id: 'wamid.settled-later',
            status,
            timestamp: String(Math.floor(stack.clock.now() / 1000)),
            recipient_id: CUSTOMER,
            ...(tracker === undefined ? {} : { biz_opaque_callback_data: tracker }),
          },
        ],
      });
    expect((await stack.postWebhook(statusOf('read'))).status).toBe(200);
    expect(client.message('mut_lost_answer')?.status).toBe('unknown');
    // The next one carries the mutation id back as biz_opaque_callback_data: the wamid is revealed,
    // and the parked read applies on top of it.
    const status = statusOf('delivered', 'mut_lost_answer');
    expect((await stack.postWebhook(status)).status).toBe(200);
    await client.waitFor('events', () => client.message('mut_lost_answer')?.status === 'read');
    expect(client.message('mut_lost_answer')?.waMessageId).toBe('wamid.settled-later');
    client.close();
  });
});
