// Every webhook shape through a running relay: the project's signed fixtures are POSTed over real HTTP,
// and consoles played by raw `ws` clients (every frame validated against the protocol) show what an
// admin, a supervisor and an agent receive. The Cloud API simulator stands in for Meta's Graph API
// where the relay sends.
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startRelay, type Relay, type RelayConfig } from '../../src/relay/index.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import type { Alert, Message, Role } from '../../src/shared/domain.ts';
import {
  PROTOCOL_VERSION,
  SYNC_PATH,
  parseFrame,
  serverFrameSchema,
  type RelayEvent,
  type ServerFrame,
} from '../../src/shared/protocol.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { testRelayConfig } from '../helpers/relay-config.ts';

const APP_SECRET = 'webhooks-test-app-secret';
const ACCESS_TOKEN = 'webhooks-test-access-token';
const WABA_ID = '310000000000001';
const NUMBER_A = '420000000000001';
const NUMBER_B = '420000000000002';
const LUCIA = `${NUMBER_A}:5215512345678`;
// After every fixture's Meta timestamp, well inside the customers' 24-hour windows.
const START = Date.UTC(2025, 10, 21, 12, 30);

const FIXTURES = join(import.meta.dirname, '../fixtures/webhooks');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const sign = (body: Buffer, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

// ---------------------------------------------------------------------------------------------------
// A console: says hello, collects every frame (validated), and waits for what a test needs.

class Console {
  readonly frames: ServerFrame[] = [];
  readonly #ws: WebSocket;
  #waiters: (() => void)[] = [];
  #closed = false;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data: Buffer) => {
      const parsed = parseFrame(serverFrameSchema, data.toString('utf8'));
      if (!parsed.ok) throw new Error(`the relay sent a frame outside the protocol: ${parsed.reason}`);
      this.frames.push(parsed.frame);
      this.#wake();
    });
    ws.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
  }

  /** Connects, says hello from cursor 0 and waits until the replay has caught up. */
  static async connect(relay: Relay, token: string): Promise<Console> {
    const ws = new WebSocket(`${relay.url.replace(/^http/, 'ws')}${SYNC_PATH}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await once(ws, 'open');
    const console = new Console(ws);
    ws.send(
      JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, clientId: 'webhooks-test', cursor: 0 }),
    );
    await console.until(() => console.frames.some((frame) => frame.type === 'caught_up'));
    return console;
  }

  /** Resolves once `done()` holds; fails if the socket closes first. */
  async until(done: () => boolean): Promise<void> {
    while (!done()) {
      if (this.#closed) throw new Error(`socket closed; frames: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Waits until the stream has covered `seq` (events it may not see included). */
  covered(seq: number): Promise<void> {
    return this.until(() => this.cursor() >= seq);
  }

  cursor(): number {
    return Math.max(
      0,
      ...this.frames.map((frame) =>
        frame.type === 'events' || frame.type === 'caught_up' ? frame.cursor : 0,
      ),
    );
  }

  events(): RelayEvent[] {
    return this.frames.flatMap((frame) => (frame.type === 'events' ? frame.events : []));
  }

  /** The latest state of each message streamed so far, by id. */
  messages(): Map<string, Message> {
    const latest = new Map<string, Message>();
    for (const event of this.events())
      if (event.type === 'message.upserted') latest.set(event.message.id, event.message);
    return latest;
  }

  alerts(): Alert[] {
    return this.events().flatMap((event) => (event.type === 'alert.raised' ? [event.alert] : []));
  }

  command(mutationId: string, conversationId: string, text: string): Promise<void> {
    this.#ws.send(
      JSON.stringify({ type: 'command', mutationId, command: { kind: 'send_text', conversationId, text } }),
    );
    return this.until(() =>
      this.frames.some((frame) => frame.type === 'command_result' && frame.mutationId === mutationId),
    );
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

let dir: string;
let simulator: Simulator;
let relay: Relay;
let config: RelayConfig;
const tokens = {} as Record<Role, string>;
let consoles: Console[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-relay-webhooks-'));
  const clock = new ManualClock(START);
  simulator = await startSimulator({
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
  config = testRelayConfig(dir, {
    appSecret: APP_SECRET,
    accessToken: ACCESS_TOKEN,
    graphBaseUrl: simulator.url,
    graphVersion: simulator.graphVersion,
    wabaId: WABA_ID,
  });
  relay = await startRelay(config, { clock, logger: pino({ level: 'silent' }), autoSyncTemplates: false });
  simulator.setWebhookUrl(`${relay.url}/webhook`);
  tokens.admin = relay.createAgent({ name: 'Admin', role: 'admin', numbers: 'all' }).token;
  tokens.supervisor = relay.createAgent({ name: 'Supervisora', role: 'supervisor', numbers: 'all' }).token;
  tokens.agent = relay.createAgent({ name: 'Agente A', role: 'agent', numbers: [NUMBER_A] }).token;
});

afterEach(async () => {
  for (const console of consoles) console.close();
  consoles = [];
  await relay.close();
  await simulator.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(role: Role): Promise<Console> {
  const console = await Console.connect(relay, tokens[role]);
  consoles.push(console);
  return console;
}

async function post(body: Buffer, signature: string | null = sign(body)): Promise<number> {
  const response = await fetch(`${relay.url}/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

async function postAll(...names: string[]): Promise<void> {
  for (const name of names) expect(await post(fixture(name)), name).toBe(200);
}

/** Reads the relay's database (read-only) while it runs. */
function query<T>(sql: string): T[] {
  const db = new Database(config.dbPath, { readonly: true });
  try {
    return db.prepare<[], T>(sql).all();
  } finally {
    db.close();
  }
}
const count = (table: string): number => query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;
const headSeq = (): number =>
  query<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM events')[0]!.seq;

/** Every (wamid, type) of the messages in a fixture, as Meta sent them. */
function messagesIn(name: string): [string, string][] {
  const body = JSON.parse(fixture(name).toString('utf8')) as {
    entry: { changes: { value: { messages?: { id: string; type: string }[] } }[] }[];
  };
  return body.entry.flatMap((entry) =>
    entry.changes.flatMap((change) =>
      (change.value.messages ?? []).map((m): [string, string] => [m.id, m.type]),
    ),
  );
}

const MESSAGE_FIXTURES = [
  'text.json',
  'two-changes.json',
  'batch-entries.json',
  'numeric-timestamp.json',
  'message-image.json',
  'message-audio-voice.json',
  'message-video-forwarded.json',
  'message-document-reply.json',
  'message-sticker-animated.json',
  'message-location.json',
  'message-contacts.json',
  'message-interactive-list.json',
  'message-interactive-flow.json',
  'message-interactive-without-object.json',
  'message-button.json',
  'message-reaction.json',
  'message-reaction-removed.json',
  'message-order.json',
  'system-no-contacts.json',
  'message-system-identity.json',
  'message-referral.json',
  'message-revoke.json',
  'message-edit.json',
  'unknown-types.json',
  'username-contact.json',
  'message-user-id-only.json',
  'message-user-id-then-wa-id.json',
];

describe('every message shape', () => {
  it('reaches an admin console with its type, text, media, reply marks and conversation', async () => {
    await postAll(...MESSAGE_FIXTURES);
    const admin = await connect('admin');
    const streamed = admin.messages();

    const expected = MESSAGE_FIXTURES.flatMap(messagesIn);
    expect(expected).toHaveLength(33);
    for (const [id, type] of expected) expect(streamed.get(id), id).toMatchObject({ type, direction: 'in' });

    expect(streamed.get('wamid.image-1')).toMatchObject({
      text: '¿Este modelo lo tienen en negro?',
      media: { id: '1180000000000001', mimeType: 'image/jpeg' },
    });
    expect(streamed.get('wamid.document-1')).toMatchObject({
      media: { filename: 'factura-0042.pdf' },
      context: { replyTo: 'wamid.out-quoted-1' },
    });
    expect(streamed.get('wamid.video-1')?.context).toEqual({
      replyTo: null,
      forwarded: true,
      frequentlyForwarded: false,
    });
    expect(streamed.get('wamid.order-1')?.payload).toMatchObject({ catalog_id: '880000000000001' });
    expect(streamed.get('wamid.unsupported-1')).toMatchObject({ error: { code: 131051 } });

    const conversations = new Map(
      admin
        .events()
        .flatMap((event) => (event.type === 'conversation.upserted' ? [event.conversation] : []))
        .map((conversation) => [conversation.id, conversation]),
    );
    expect(conversations.get(`${NUMBER_A}:5215533334444`)).toMatchObject({
      customer: { name: 'Camila Ortega' },
      referral: { sourceType: 'ad', headline: 'Camisas 2x1' },
    });
    expect(conversations.get(`${NUMBER_A}:5215566667777`)?.lastMessagePreview).toBe(
      '🛒 Lo quiero para el viernes',
    );
    expect(conversations.get(`${NUMBER_B}:5215566667777`)?.lastMessagePreview).toBe('Sigo aquí');
    expect(conversations.get(`${NUMBER_A}:MX.1234567890123456789`)?.customer.waId).toBeNull();
    expect(conversations.get(`${NUMBER_A}:MX.5550001112223334445`)?.customer).toMatchObject({
      waId: '5215577778888',
      userId: 'MX.5550001112223334445',
    });
    // Lucía's window runs from her last message (the edit); the later system notice did not refresh it.
    expect(conversations.get(LUCIA)).toMatchObject({
      lastInboundAt: 1763727170_000,
      windowExpiresAt: 1763727170_000 + 24 * 60 * 60 * 1000,
    });

    // Both business numbers, with their display numbers.
    expect(
      admin
        .events()
        .flatMap((e) =>
          e.type === 'phone_number.upserted' ? [[e.phoneNumber.id, e.phoneNumber.displayPhoneNumber]] : [],
        ),
    ).toEqual([
      [NUMBER_A, '5215550001111'],
      [NUMBER_B, '5215550002222'],
    ]);
    // The interactive reply that came without its object also carried a delivery-level error.
    expect(admin.alerts().map((alert) => [alert.kind, alert.title])).toEqual([
      ['webhook_error', 'Something went wrong'],
    ]);
  });

  it('stores a duplicate delivery once and streams nothing for it', async () => {
    await postAll('text.json', 'template-status-update.json', 'account-update.json', 'value-errors.json');
    const admin = await connect('admin');
    const head = headSeq();
    await postAll('text.json', 'template-status-update.json', 'account-update.json', 'value-errors.json');
    expect(headSeq()).toBe(head);
    expect(count('messages')).toBe(1);
    expect(count('templates')).toBe(1);
    expect(count('alerts')).toBe(2);
    // A marker after the duplicates: once it arrives, anything the duplicates had logged would have too.
    await postAll('message-reaction.json');
    await admin.covered(headSeq());
    expect(
      admin
        .events()
        .filter((e) => e.seq > head)
        .map((e) => e.type),
    ).toEqual(['message.upserted', 'conversation.upserted']);
  });
});

describe('statuses', () => {
  it('settles a send whose sent status overtook the answer, then only moves forward, whatever the order', async () => {
    await postAll('text.json');
    const admin = await connect('admin');
    simulator.configure({ statusBeforeResponse: true });
    await admin.command('mut_statuses_001', LUCIA, 'Sí, la tenemos en azul');
    await admin.until(() => admin.messages().get('mut_statuses_001')?.waMessageId != null);
    const sent = admin.messages().get('mut_statuses_001')!;
    expect(sent).toMatchObject({ direction: 'out', status: 'sent' });
    const wamid = sent.waMessageId!;

    const statuses = (items: Record<string, unknown>[]) =>
      Buffer.from(
        JSON.stringify({
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
                    statuses: items.map((item) => ({ id: wamid, recipient_id: '5215512345678', ...item })),
                  },
                },
              ],
            },
          ],
        }),
      );
    const pricing = {
      billable: false,
      pricing_model: 'PMP',
      type: 'free_customer_service',
      category: 'service',
    };
    const delivered = statuses([{ status: 'delivered', timestamp: '1763728802', pricing }]);
    expect(await post(statuses([{ status: 'read', timestamp: '1763728810' }]))).toBe(200);
    expect(await post(delivered)).toBe(200);
    expect(await post(statuses([{ status: 'sent', timestamp: '1763728801' }]))).toBe(200);
    const settled = headSeq();
    expect(await post(delivered)).toBe(200);
    expect(headSeq()).toBe(settled);

    await admin.covered(settled);
    expect(admin.messages().get('mut_statuses_001')).toMatchObject({
      status: 'read',
      waMessageId: wamid,
      pricing: { billable: false, category: 'service', type: 'free_customer_service', model: 'PMP' },
      error: null,
    });
    // A console connecting now replays the same final state.
    const later = await connect('supervisor');
    expect(later.messages().get('mut_statuses_001')?.status).toBe('read');
  });

  it('keeps a status for a message id it does not know yet, once, without streaming anything', async () => {
    const admin = await connect('admin');
    await postAll('statuses.json', 'statuses.json');
    expect(count('pending_statuses')).toBe(4);
    expect(admin.messages().size).toBe(0);
    expect(
      query<{ wa_message_id: string }>('SELECT wa_message_id FROM pending_statuses ORDER BY id'),
    ).toEqual([
      { wa_message_id: 'wamid.out-1' },
      { wa_message_id: 'wamid.out-1' },
      { wa_message_id: 'wamid.out-1' },
      { wa_message_id: 'wamid.out-2' },
    ]);
  });
});

describe('templates, numbers and alerts', () => {
  it('streams template, phone number and alert events to an admin', async () => {
    const admin = await connect('admin');
    await postAll(
      'text.json',
      'template-status-update.json',
      'template-category-update.json',
      'template-quality-update.json',
      'template-status-rejected.json',
      'phone-number-quality-update.json',
      'account-update.json',
      'value-errors.json',
    );
    await admin.covered(headSeq());
    const templates = admin.events().flatMap((e) => (e.type === 'template.upserted' ? [e] : []));
    expect(templates.map((e) => [e.template.key, e.phoneNumberId])).toEqual([
      ['confirmacion_pedido:es_MX', null],
      ['confirmacion_pedido:es_MX', null],
      ['confirmacion_pedido:es_MX', null],
      ['oferta_fin_de_semana:es_MX', null],
    ]);
    expect(templates[2]?.template).toMatchObject({
      status: 'APPROVED',
      category: 'MARKETING',
      quality: 'YELLOW',
    });
    expect(templates[3]?.template).toMatchObject({
      status: 'REJECTED',
      reason: expect.any(String) as unknown,
    });

    const numbers = admin
      .events()
      .flatMap((e) => (e.type === 'phone_number.upserted' ? [e.phoneNumber] : []));
    expect(numbers.at(-1)).toMatchObject({
      id: NUMBER_A,
      qualityEvent: 'FLAGGED',
      messagingLimit: 'TIER_2K',
    });

    expect(admin.alerts().map((alert) => [alert.kind, alert.title])).toEqual([
      ['account_update', 'ACCOUNT_RESTRICTION'],
      ['webhook_error', 'Rate limit hit'],
    ]);
  });

  it('keeps signed bodies it cannot read raw, answers 200, and tells admins which row holds each', async () => {
    const admin = await connect('admin');
    const notJson = Buffer.from('this is not json \u00ff');
    const otherObject = Buffer.from(JSON.stringify({ object: 'instagram', entry: [{ id: '1' }] }));
    const unknownField = fixture('field-user-preferences.json');
    for (const body of [notJson, otherObject, unknownField, notJson]) expect(await post(body)).toBe(200);

    const rows = query<{ id: number; body: Buffer; reason: string }>(
      'SELECT id, body, reason FROM unrecognized_webhooks ORDER BY id',
    );
    expect(rows.map((row) => [row.body, row.reason])).toEqual([
      [notJson, 'body is not JSON'],
      [otherObject, expect.stringContaining('not a WhatsApp webhook')],
      [unknownField, expect.stringContaining('"user_preferences" is not applied')],
    ]);
    await admin.covered(headSeq());
    expect(admin.alerts()).toEqual(
      rows.map((row): unknown =>
        expect.objectContaining({
          kind: 'unrecognized_webhook',
          details: expect.objectContaining({ unrecognizedWebhookId: row.id, reason: row.reason }) as unknown,
        }),
      ),
    );
  });

  it('stores nothing and raises nothing for a body that is not correctly signed', async () => {
    const body = fixture('account-update.json');
    expect(await post(body, null)).toBe(401);
    expect(await post(body, sign(body, 'not-the-app-secret'))).toBe(401);
    expect(await post(Buffer.from('not json'), sign(Buffer.from('not json'), 'not-the-app-secret'))).toBe(
      401,
    );
    expect(headSeq()).toBe(0);
    expect(count('unrecognized_webhooks')).toBe(0);
    expect(count('alerts')).toBe(0);
  });

  it('never shows alerts to an agent or a supervisor, whose cursors still move past them', async () => {
    const [admin, supervisor, agent] = [
      await connect('admin'),
      await connect('supervisor'),
      await connect('agent'),
    ];
    await postAll('account-update.json', 'value-errors.json', 'field-user-preferences.json', 'text.json');
    const head = headSeq();
    await Promise.all([admin.covered(head), supervisor.covered(head), agent.covered(head)]);

    expect(admin.alerts().map((alert) => alert.kind)).toEqual([
      'account_update',
      'webhook_error',
      'unrecognized_webhook',
    ]);
    for (const viewer of [supervisor, agent]) {
      expect(viewer.alerts()).toEqual([]);
      expect(
        viewer.messages().has('wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBBMUYxRTQ4QTZCNkI3QzhEAA=='),
      ).toBe(true);
    }
    // A replay from cursor 0 hides them too.
    const replay = await connect('agent');
    expect(replay.alerts()).toEqual([]);
    expect(replay.cursor()).toBe(head);
  });
});
