// The outbound queue over a real relay and the Cloud API simulator, whose faults play every answer
// Graph can give: each outcome ends where the at-most-once rule says (accepted, failed with Meta's
// words, waiting and retried, or unknown until a status webhook settles it), pacing holds back the
// recipient or the number that Meta asked to slow down, and the token bucket never lets a number
// send faster than configured. Time is the stack's ManualClock, shared by the relay and the simulator,
// so waits are asserted on the simulator's own record of when each call arrived.
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayConfig } from '../../src/relay/index.ts';
import type { Message } from '../../src/shared/domain.ts';
import type { Command, CommandResult } from '../../src/shared/protocol.ts';
import type { RecordedAttempt } from '../../src/simulator/index.ts';
import { NUMBER_A, startRelayStack, type RelayStack } from '../helpers/relay-stack.ts';
import { RelaySyncClient } from '../helpers/relay-sync-client.ts';

let stack: RelayStack;
let console_: RelaySyncClient;
let counter = 0;
const cleanups: (() => Promise<void> | void)[] = [];

async function setUp(config: Partial<RelayConfig> = {}): Promise<void> {
  stack = await startRelayStack({ config: { graphTimeoutMs: 2_000, ...config } });
  const { token } = stack.relay.createAgent({ name: 'Sofía', role: 'supervisor', numbers: 'all' });
  console_ = await RelaySyncClient.connect(stack.relay.url, token);
  cleanups.push(async () => {
    console_.close();
    await stack.close();
  });
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Customer {
  waId: string;
  conversationId: string;
  /** The wamid of the customer's message. */
  inboundId: string;
}

/** A new customer writes to number A (opening the window). */
async function customer(): Promise<Customer> {
  const waId = `5215560${String(++counter).padStart(6, '0')}`;
  const { wamid, status } = await stack.simulator.sendInboundText({
    from: waId,
    name: `Cliente ${counter}`,
    text: 'Hola, ¿me ayudan?',
    phoneNumberId: NUMBER_A,
  });
  expect(status).toBe(200);
  return { waId, conversationId: `${NUMBER_A}:${waId}`, inboundId: wamid };
}

type TextOptions = { replyTo?: string; previewUrl?: boolean };

const text = (conversationId: string, body: string, options: TextOptions = {}): Command => ({
  kind: 'send_text',
  conversationId,
  text: body,
  previewUrl: false,
  ...options,
});

const mutation = (): string => `mut_outbound_${++counter}`;

/** Sends a command and waits for its answer. */
async function run(command: Command, mutationId = mutation()): Promise<CommandResult> {
  const from = console_.frames.length;
  console_.send({ type: 'command', mutationId, command });
  return (await console_.waitFor('command_result', (frame) => frame.mutationId === mutationId, from)).result;
}

/** Sends a text and checks the relay took it; answers the message id. */
async function sendText(conversationId: string, body: string, options: TextOptions = {}): Promise<string> {
  const mutationId = mutation();
  expect(await run(text(conversationId, body, options), mutationId)).toEqual({
    ok: true,
    messageId: mutationId,
  });
  return mutationId;
}

/** Waits until the console's copy of message `id` satisfies `accept`. */
async function messageWhere(id: string, accept: (message: Message) => boolean): Promise<Message> {
  const holds = () => {
    const message = console_.mirror.messages.get(id);
    return message !== undefined && accept(message);
  };
  await console_.waitFor('events', holds);
  return console_.mirror.messages.get(id)!;
}

/** Graph calls the simulator received for this customer. */
const attemptsTo = (waId: string): RecordedAttempt[] =>
  stack.simulator.attempts().filter((attempt) => attempt.to === waId);

const trackerOf = (wamid: string | null) =>
  stack.simulator.sends().find((send) => send.wamid === wamid)?.bizOpaqueCallbackData;

describe('sending a text', () => {
  it('quotes the customer, asks for a link preview, and brings Meta’s wamid back to every console', async () => {
    await setUp();
    const c = await customer();
    const id = await sendText(c.conversationId, 'Mira https://example.com/talla-m', {
      replyTo: c.inboundId,
      previewUrl: true,
    });
    const message = await messageWhere(id, (m) => m.status === 'accepted');

    const [send] = stack.simulator.sends();
    expect(send!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: c.waId,
      type: 'text',
      text: { body: 'Mira https://example.com/talla-m', preview_url: true },
      context: { message_id: c.inboundId },
      biz_opaque_callback_data: id,
    });
    expect(message).toMatchObject({
      direction: 'out',
      type: 'text',
      text: 'Mira https://example.com/talla-m',
      waMessageId: send!.wamid,
      context: { replyTo: c.inboundId, forwarded: false, frequentlyForwarded: false },
      waitingUntil: null,
      error: null,
    });
    expect(console_.mirror.conversations.get(c.conversationId)?.lastMessagePreview).toBe(
      'Mira https://example.com/talla-m',
    );
  });

  it('refuses to quote what the conversation does not hold or WhatsApp has not accepted, and any text outside the window', async () => {
    await setUp();
    const c = await customer();
    const other = await customer();
    const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) as unknown });

    expect(await run(text(c.conversationId, 'a', { replyTo: 'wamid.never-seen' }))).toEqual(
      refused('MESSAGE_NOT_FOUND'),
    );
    expect(await run(text(c.conversationId, 'b', { replyTo: other.inboundId }))).toEqual(
      refused('MESSAGE_NOT_FOUND'),
    );
    // Held back by Meta's pair limit, this one has no wamid yet.
    stack.simulator.failNextSends({ to: c.waId, error: { code: 131056 } });
    const waiting = await sendText(c.conversationId, 'Un momento');
    await messageWhere(waiting, (m) => m.waitingUntil !== null);
    expect(await run(text(c.conversationId, 'c', { replyTo: waiting }))).toEqual(refused('MESSAGE_NOT_SENT'));
    expect(attemptsTo(c.waId)).toHaveLength(1);

    stack.clock.advance(24 * 60 * 60 * 1000 + 1);
    const closed = await run(text(other.conversationId, '¿Sigue ahí?'));
    expect(closed).toEqual(refused('WINDOW_CLOSED'));
    expect(closed.ok ? '' : closed.error.message).toMatch(/only an approved template/);
    expect(attemptsTo(other.waId)).toEqual([]);
  });
});

describe('Graph outcomes', () => {
  it('marks a message failed with Meta’s code, title, message and details when the send cannot succeed, and never retries it', async () => {
    await setUp();
    const cases = [
      {
        fault: { code: 131047, title: 'Re-engagement message', details: 'More than 24 hours.' },
        error: {
          code: 131047,
          title: '(#131047) Re-engagement message',
          message: '(#131047) Re-engagement message',
          details: 'More than 24 hours.',
        },
      },
      {
        fault: { code: 131026, title: 'Message undeliverable', details: 'Not a WhatsApp user.' },
        error: {
          code: 131026,
          title: '(#131026) Message undeliverable',
          message: '(#131026) Message undeliverable',
          details: 'Not a WhatsApp user.',
        },
      },
      {
        fault: { code: 132000, title: 'Number of parameters does not match', details: 'body: 0 of 1.' },
        error: {
          code: 132000,
          title: '(#132000) Number of parameters does not match',
          message: '(#132000) Number of parameters does not match',
          details: 'body: 0 of 1.',
        },
      },
      {
        fault: { code: 100, title: 'Invalid parameter', details: 'text.body is too long.' },
        error: {
          code: 100,
          title: '(#100) Invalid parameter',
          message: '(#100) Invalid parameter',
          details: 'text.body is too long.',
        },
      },
      {
        fault: { code: 190, title: 'Error validating access token: Session has expired' },
        error: {
          code: 190,
          title: 'Error validating access token: Session has expired',
          message: 'Error validating access token: Session has expired',
        },
      },
      {
        // Meta's error envelope in an HTTP 200: still a refusal.
        fault: {
          errorWith200: true as const,
          code: 131026,
          title: 'Message undeliverable',
          details: 'Blocked.',
        },
        error: {
          code: 131026,
          title: '(#131026) Message undeliverable',
          message: '(#131026) Message undeliverable',
          details: 'Blocked.',
        },
      },
    ];
    for (const { fault, error } of cases) {
      const c = await customer();
      stack.simulator.failNextSends({ to: c.waId, error: fault });
      const id = await sendText(c.conversationId, `Prueba ${error.code}`);
      const failed = await messageWhere(id, (m) => m.status === 'failed');
      expect(failed.error, `fault ${JSON.stringify(fault)}`).toEqual(error);
      expect(failed.waMessageId).toBeNull();

      // The queue moves on to the next message of that customer; the failed one was not tried again.
      const next = await sendText(c.conversationId, 'Otra prueba');
      await messageWhere(next, (m) => m.status === 'accepted');
      expect(attemptsTo(c.waId).map((a) => a.outcome)).toEqual(['rejected', 'accepted']);
    }
  });

  it('shows a failed status webhook with Meta’s error on the message', async () => {
    await setUp();
    const c = await customer();
    const id = await sendText(c.conversationId, 'Oferta');
    const { waMessageId } = await messageWhere(id, (m) => m.status === 'accepted');
    await stack.simulator.sendStatus({
      wamid: waMessageId!,
      status: 'failed',
      error: { code: 131049, title: 'Not delivered for healthy engagement', details: 'Do not resend today.' },
    });
    const failed = await messageWhere(id, (m) => m.status === 'failed');
    expect(failed.error).toMatchObject({
      code: 131049,
      title: 'Not delivered for healthy engagement',
      details: 'Do not resend today.',
    });
  });

  it('leaves the outcome of a timeout, a reset connection or a 5xx unknown, never resends, and lets a status with the tracker settle it', async () => {
    await setUp({ graphTimeoutMs: 300 });
    const cases = [
      // Meta carried these two out before the answer was lost.
      { fault: { hang: true as const }, settleWith: 'delivered' as const },
      { fault: { httpStatus: 500, accepted: true }, settleWith: 'read' as const },
      { fault: { httpStatus: 503 }, settleWith: null },
      { fault: { refuse: true as const }, settleWith: null },
    ];
    for (const { fault, settleWith } of cases) {
      const c = await customer();
      stack.simulator.failNextSends({ to: c.waId, error: fault });
      const id = await sendText(c.conversationId, 'Enseguida le confirmo');
      const lost = await messageWhere(id, (m) => m.status === 'unknown');
      expect(lost, JSON.stringify(fault)).toMatchObject({
        waMessageId: null,
        error: null,
        waitingUntil: null,
      });

      // The next message to that customer goes out; the unknown one is not sent again.
      const next = await sendText(c.conversationId, 'Gracias por esperar');
      await messageWhere(next, (m) => m.status === 'accepted');
      const attempts = attemptsTo(c.waId);
      expect(attempts, JSON.stringify(fault)).toHaveLength(2);
      if (settleWith === null) continue;

      // Meta did carry it out: its status webhook echoes the tracker and settles the message.
      const wamid = attempts[0]!.wamid!;
      expect(trackerOf(wamid)).toBe(id);
      expect((await stack.simulator.sendStatus({ wamid, status: settleWith })).status).toBe(200);
      const settled = await messageWhere(id, (m) => m.status === settleWith);
      expect(settled.waMessageId).toBe(wamid);
    }
  });

  it('settles a reaction whose answer was lost through the same tracker', async () => {
    await setUp({ graphTimeoutMs: 300 });
    const c = await customer();
    stack.simulator.failNextSends({ to: c.waId, error: { hang: true } });
    const id = mutation();
    expect(
      await run(
        { kind: 'send_reaction', conversationId: c.conversationId, messageId: c.inboundId, emoji: '👍' },
        id,
      ),
    ).toEqual({ ok: true, messageId: id });
    await messageWhere(id, (m) => m.status === 'unknown');
    const [attempt] = attemptsTo(c.waId);
    expect(attempt).toMatchObject({ type: 'reaction', outcome: 'hung' });
    expect(trackerOf(attempt!.wamid)).toBe(id);
    await stack.simulator.sendStatus({ wamid: attempt!.wamid!, status: 'sent' });
    expect(await messageWhere(id, (m) => m.status === 'sent')).toMatchObject({ waMessageId: attempt!.wamid });
  });

  it('sends again, once, what never left because the connection was refused', async () => {
    // A loopback port nothing listens on yet: the relay's Graph calls are refused.
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await setUp({ graphBaseUrl: `http://127.0.0.1:${port}` });

    const c = await customer();
    const start = stack.clock.now();
    const id = await sendText(c.conversationId, 'Hola de nuevo');
    const waiting = await messageWhere(id, (m) => m.waitingUntil !== null);
    expect(waiting).toMatchObject({ status: 'queued', waitingUntil: start + 1_000 });

    // Graph becomes reachable on that port (a plain TCP forwarder to the simulator).
    const forwarder = await forward(port, new URL(stack.simulator.url).port);
    cleanups.push(() => forwarder.close());
    stack.clock.advance(1_000);
    const sent = await messageWhere(id, (m) => m.status === 'accepted');
    expect(sent.waitingUntil).toBeNull();
    expect(attemptsTo(c.waId).map((a) => [a.outcome, a.at])).toEqual([['accepted', start + 1_000]]);
  });
});

/** Listens on `port` and pipes every connection to the simulator's port; close() cuts them all. */
async function forward(port: number, targetPort: string): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const upstream = connect(Number(targetPort), '127.0.0.1');
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on('close', () => sockets.delete(end));
      end.on('error', () => {
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('pacing', () => {
  it('holds a customer’s queue back 4 s, then 16 s after Meta’s pair limit (131056), in order, while others are served', async () => {
    await setUp();
    const x = await customer();
    const y = await customer();
    const start = stack.clock.now();
    stack.simulator.failNextSends({ to: x.waId, count: 2, error: { code: 131056 } });

    const first = await sendText(x.conversationId, 'Primero');
    expect(await messageWhere(first, (m) => m.waitingUntil !== null)).toMatchObject({
      status: 'queued',
      waitingUntil: start + 4_000,
    });
    const second = await sendText(x.conversationId, 'Segundo');
    // Another customer is not held back.
    const other = await sendText(y.conversationId, 'Para otra clienta');
    await messageWhere(other, (m) => m.status === 'accepted');
    expect(console_.mirror.messages.get(second)).toMatchObject({ status: 'queued' });

    stack.clock.advance(4_000);
    expect(await messageWhere(first, (m) => m.waitingUntil === start + 20_000)).toMatchObject({
      status: 'queued',
    });
    stack.clock.advance(16_000);
    await messageWhere(second, (m) => m.status === 'accepted');
    expect(console_.mirror.messages.get(first)).toMatchObject({ status: 'accepted', waitingUntil: null });

    expect(attemptsTo(x.waId).map((a) => [a.outcome, a.errorCode, a.at - start])).toEqual([
      ['rejected', 131056, 0],
      ['rejected', 131056, 4_000],
      ['accepted', null, 20_000],
      ['accepted', null, 20_000],
    ]);
    expect(stack.simulator.sends().map((send) => send.bizOpaqueCallbackData)).toEqual([other, first, second]);
  });

  it('pauses the whole number after Meta’s throughput refusal (130429), then sends', async () => {
    await setUp();
    const x = await customer();
    const y = await customer();
    const start = stack.clock.now();
    stack.simulator.failNextSends({ to: x.waId, error: { code: 130429 } });
    const first = await sendText(x.conversationId, 'Hola');
    expect(await messageWhere(first, (m) => m.waitingUntil !== null)).toMatchObject({
      status: 'queued',
      waitingUntil: start + 1_000,
    });
    // Another customer of the same number waits for the pause too.
    const other = await sendText(y.conversationId, 'Hola a ti también');

    stack.clock.advance(1_000);
    await messageWhere(first, (m) => m.status === 'accepted');
    await messageWhere(other, (m) => m.status === 'accepted');
    expect(attemptsTo(x.waId).map((a) => [a.outcome, a.at - start])).toEqual([
      ['rejected', 0],
      ['accepted', 1_000],
    ]);
    expect(attemptsTo(y.waId).map((a) => [a.outcome, a.at - start])).toEqual([['accepted', 1_000]]);
  });

  it('lets a burst out at once and never more than the number’s rate after it', async () => {
    const RATE = 5;
    await setUp({ numberMessagesPerSecond: RATE });
    const customers: Customer[] = [];
    for (let i = 0; i < 12; i++) customers.push(await customer());
    const start = stack.clock.now();

    // All twelve at once, without waiting for answers.
    const ids = customers.map(() => mutation());
    const from = console_.frames.length;
    customers.forEach((c, i) =>
      console_.send({ type: 'command', mutationId: ids[i]!, command: text(c.conversationId, `Aviso ${i}`) }),
    );
    for (const id of ids) {
      const answer = await console_.waitFor('command_result', (f) => f.mutationId === id, from);
      expect(answer.result).toEqual({ ok: true, messageId: id });
    }

    const accepted = () => ids.filter((id) => console_.mirror.messages.get(id)?.status === 'accepted').length;
    for (const expected of [5, 10, 12]) {
      await console_.waitFor('events', () => accepted() >= expected);
      stack.clock.advance(1_000);
    }
    const perSecond = new Map<number, number>();
    for (const send of stack.simulator.sends())
      perSecond.set(send.at - start, (perSecond.get(send.at - start) ?? 0) + 1);
    expect([...perSecond]).toEqual([
      [0, 5],
      [1_000, 5],
      [2_000, 2],
    ]);
  });
});
