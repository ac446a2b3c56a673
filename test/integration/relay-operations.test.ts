// Running the relay for a business: what it logs at info through a whole conversation (never a
// token, an Authorization header or what anyone wrote), and a graceful stop that finishes what is in
// flight (a webhook being received is answered 200 and kept; a send waiting for Meta's answer is
// recorded) while /readyz already says 503. Real HTTP, WebSocket and SQLite; the simulator as Meta.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRelayLogger } from '../../src/relay/logger.ts';
import { startRelay, type Relay, type RelayConfig } from '../../src/relay/index.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import type { Message } from '../../src/shared/domain.ts';
import { signBody, startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { waitFor } from '../helpers/console-wait.ts';
import { testRelayConfig } from '../helpers/relay-config.ts';
import { RelaySyncClient } from '../helpers/relay-sync-client.ts';

const APP_SECRET = 'operations-app-secret-5f1c';
const ACCESS_TOKEN = 'operations-access-token-9a7e';
const VERIFY_TOKEN = 'operations-verify-token-77d2';
const WABA_ID = '310000000000009';
const NUMBER = '420000000000009';
const CUSTOMER = '5215519990000';
const CONVERSATION = `${NUMBER}:${CUSTOMER}`;

let dir: string;
let clock: ManualClock;
let simulator: Simulator;
let running: Relay | null;
let config: RelayConfig;
let logLines: string[];
const closers: (() => void)[] = [];

async function start(logLevel: RelayConfig['logLevel'] = 'info'): Promise<Relay> {
  config = testRelayConfig(
    dir,
    {
      appSecret: APP_SECRET,
      accessToken: ACCESS_TOKEN,
      graphBaseUrl: simulator.url,
      graphVersion: simulator.graphVersion,
      wabaId: WABA_ID,
    },
    { verifyToken: VERIFY_TOKEN, logLevel },
  );
  const logger = createRelayLogger(logLevel, { write: (line: string) => void logLines.push(line) });
  running = await startRelay(config, { clock, logger });
  simulator.setWebhookUrl(`${running.url}/webhook`);
  return running;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-relay-operations-'));
  clock = new ManualClock();
  logLines = [];
  running = null;
  simulator = await startSimulator({
    appSecret: APP_SECRET,
    accessToken: ACCESS_TOKEN,
    wabaId: WABA_ID,
    phoneNumbers: [{ id: NUMBER, displayPhoneNumber: '5215550009999' }],
    autoStatuses: false,
    clock,
  });
});

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await running?.close();
  await simulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const readMessages = (): Message[] => {
  const db = new Database(config.dbPath, { readonly: true });
  try {
    return db
      .prepare<[], { id: string; text: string | null; status: string; wa_message_id: string | null }>(
        'SELECT id, text, status, wa_message_id FROM messages ORDER BY rowid',
      )
      .all()
      .map(
        (row) =>
          ({ id: row.id, text: row.text, status: row.status, waMessageId: row.wa_message_id }) as Message,
      );
  } finally {
    db.close();
  }
};

describe('structured logs', () => {
  it('never print a token, an Authorization header or a message body at info level', async () => {
    const relay = await start('info');
    const { agent, token } = relay.createAgent({ name: 'Ana', role: 'agent', numbers: [NUMBER] });
    const inbound = 'Mi número de tarjeta termina en 4242';
    const replyOverSync = 'Gracias, reviso su pedido 7781 ahora';
    const replyOverRest = 'Su pedido 7781 sale mañana temprano';

    const console = await RelaySyncClient.connect(relay.url, token);
    closers.push(() => console.close());
    await simulator.sendInboundText({
      from: CUSTOMER,
      text: inbound,
      phoneNumberId: NUMBER,
      name: 'Cliente',
    });
    const result = await console.command('ops-reply-sync', CONVERSATION, replyOverSync);
    expect(result.result.ok).toBe(true);
    const rest = await fetch(`${relay.url}/v1/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        mutationId: 'ops-reply-rest',
        command: { kind: 'send_text', conversationId: CONVERSATION, text: replyOverRest },
      }),
    });
    expect(rest.status).toBe(200);
    const sent = await waitFor('both replies to be answered by Meta', () => {
      const out = readMessages().filter((m) => m.id.startsWith('ops-reply') && m.waMessageId !== null);
      return out.length === 2 ? out : null;
    });
    await simulator.sendStatus({ wamid: sent[0]!.waMessageId!, status: 'delivered' });
    // A Meta refusal, a bad token and a bad signature are logged too.
    simulator.failNextSends({ error: { code: 131047 } });
    await console.command('ops-reply-refused', CONVERSATION, replyOverSync);
    expect(
      (await fetch(`${relay.url}/v1/conversations`, { headers: { authorization: 'Bearer vnt_nope' } }))
        .status,
    ).toBe(401);
    await simulator.sendWebhook({ raw: JSON.stringify({ text: inbound }) }, { signature: 'invalid' });
    const handshake = await fetch(
      `${relay.url}/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`,
    );
    expect(await handshake.text()).toBe('42');
    await waitFor('the refusal to be recorded', () =>
      readMessages().some((m) => m.id === 'ops-reply-refused' && m.status === 'failed'),
    );
    console.close();
    await console.closed;
    await relay.close();
    running = null;

    const lines = logLines.join('');
    // The log is not empty: the relay said what it did, by ids and codes.
    expect(lines).toContain('relay listening');
    expect(lines).toContain('console connected');
    expect(lines).toContain(agent.id);
    for (const secret of [
      token,
      ACCESS_TOKEN,
      APP_SECRET,
      VERIFY_TOKEN,
      inbound,
      replyOverSync,
      replyOverRest,
    ]) {
      expect(lines, `the log shows "${secret}"`).not.toContain(secret);
    }
    expect(lines).not.toMatch(/bearer\s+\S/i);
    for (const line of logLines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------
// A raw HTTP/1.1 connection, to hold a request open across close() and to pipeline a second one.

class RawHttp {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  #ended = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake();
    });
    socket.on('close', () => {
      this.#ended = true;
      this.#wake();
    });
  }

  static async open(url: string): Promise<RawHttp> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    return new RawHttp(socket);
  }

  write(text: string | Buffer): void {
    this.#socket.write(text);
  }

  /** The next response: status, headers (lower-case) and body (by content-length). */
  async response(): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    for (;;) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const [statusLine, ...headerLines] = this.#buffer.subarray(0, end).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(
          headerLines.map((line) => {
            const colon = line.indexOf(':');
            return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
          }),
        );
        const length = Number(headers['content-length'] ?? 0);
        if (this.#buffer.length >= end + 4 + length) {
          const body = this.#buffer.subarray(end + 4, end + 4 + length).toString('utf8');
          this.#buffer = this.#buffer.subarray(end + 4 + length);
          return { status: Number(statusLine!.split(' ')[1]), headers, body };
        }
      }
      if (this.#ended) throw new Error(`connection closed; unread: ${this.#buffer.toString('latin1')}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  close(): void {
    this.#socket.destroy();
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

function inboundTextWebhook(wamid: string, text: string): Buffer {
  return Buffer.from(
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
                metadata: { display_phone_number: '5215550009999', phone_number_id: NUMBER },
                contacts: [{ profile: { name: 'Cliente' }, wa_id: CUSTOMER }],
                messages: [
                  {
                    from: CUSTOMER,
                    id: wamid,
                    timestamp: String(Math.floor(clock.now() / 1000)),
                    type: 'text',
                    text: { body: text },
                  },
                ],
              },
            },
          ],
        },
      ],
    }),
  );
}

describe('graceful shutdown', () => {
  it('answers a webhook in flight with 200 and keeps it, while /readyz and new commands answer 503', async () => {
    const relay = await start('silent');
    const { token } = relay.createAgent({ name: 'Ana', role: 'agent', numbers: [NUMBER] });
    const body = inboundTextWebhook('wamid.in-flight-at-close', 'Llegó justo al cerrar');
    const webhookHttp = await RawHttp.open(relay.url);
    const commandHttp = await RawHttp.open(relay.url);
    closers.push(
      () => webhookHttp.close(),
      () => commandHttp.close(),
    );
    webhookHttp.write(
      'POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${body.length}\r\nX-Hub-Signature-256: ${signBody(APP_SECRET, body)}\r\n` +
        'Expect: 100-continue\r\n\r\n',
    );
    const command = Buffer.from(
      JSON.stringify({
        mutationId: 'ops-command-at-close',
        command: { kind: 'close', conversationId: CONVERSATION },
      }),
    );
    commandHttp.write(
      'POST /v1/commands HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${command.length}\r\nAuthorization: Bearer ${token}\r\nExpect: 100-continue\r\n\r\n`,
    );
    // 100 Continue: the relay is reading these requests now.
    expect((await webhookHttp.response()).status).toBe(100);
    expect((await commandHttp.response()).status).toBe(100);

    const closed = relay.close();
    // The rest of the webhook, then a readiness probe pipelined on the same connection.
    webhookHttp.write(Buffer.concat([body, Buffer.from('GET /readyz HTTP/1.1\r\nHost: relay\r\n\r\n')]));
    commandHttp.write(command);
    const webhook = await webhookHttp.response();
    expect(webhook.status).toBe(200);
    expect(JSON.parse(webhook.body)).toEqual({ received: true });
    const ready = await webhookHttp.response();
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ error: { code: 'SHUTTING_DOWN' } });
    // Answers given while stopping end their connection: no keep-alive socket holds the stop up.
    expect(ready.headers.connection).toBe('close');
    // A command arriving now is not refused (that would fail it for good): the client sends it again later.
    const unanswered = await commandHttp.response();
    expect(unanswered.status).toBe(503);
    expect(JSON.parse(unanswered.body)).toMatchObject({ error: { code: 'SHUTTING_DOWN' } });
    await closed;
    running = null;

    expect(readMessages()).toEqual([
      expect.objectContaining({
        id: 'wamid.in-flight-at-close',
        text: 'Llegó justo al cerrar',
        status: 'received',
      }),
    ]);
    const db = new Database(config.dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM mutations').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("records a send that is waiting for Meta's answer when close() is called", async () => {
    const relay = await start('silent');
    const { token } = relay.createAgent({ name: 'Ana', role: 'agent', numbers: [NUMBER] });
    await simulator.sendInboundText({ from: CUSTOMER, text: 'Hola', phoneNumberId: NUMBER });
    // Meta answers this send only after its `sent` webhook was posted, and that webhook is held.
    simulator.configure({ statusBeforeResponse: true });
    simulator.delayWebhooks({ ms: 600_000 });

    const answer = await fetch(`${relay.url}/v1/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        mutationId: 'ops-in-flight-send',
        command: { kind: 'send_text', conversationId: CONVERSATION, text: 'Enseguida le confirmo' },
      }),
    });
    expect(answer.status).toBe(200);
    const send = await waitFor('the send to reach Meta', () =>
      simulator.sends().find((s) => s.bizOpaqueCallbackData === 'ops-in-flight-send'),
    );

    const closed = relay.close();
    // Meta answers now (its `sent` webhook finds the relay closing; the answer still arrives).
    simulator.clearFaults();
    await closed;
    running = null;

    const message = readMessages().find((m) => m.id === 'ops-in-flight-send');
    expect(message).toMatchObject({ waMessageId: send.wamid });
    expect(['accepted', 'sent']).toContain(message?.status);
    expect(simulator.sends().filter((s) => s.bizOpaqueCallbackData === 'ops-in-flight-send')).toHaveLength(1);
  });
});
