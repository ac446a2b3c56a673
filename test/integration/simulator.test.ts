// The Cloud API simulator over real HTTP, seen from where the relay stands: a node:http receiver
// plays the relay's POST /webhook (checking every signature on the raw bytes), and the Graph and
// /_sim endpoints are called with fetch. The CLI runs as a real child process.
import { spawn } from 'node:child_process';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { onTestFinished, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/shared/clock.ts';
import { CodedError } from '../../src/shared/result.ts';
import { DEMO_CAST } from '../../src/simulator/demo-cast.ts';
import { startDemoCustomers } from '../../src/simulator/demo-customers.ts';
import {
  accountUpdateWebhook,
  adReferral,
  batchWebhooks,
  buttonReplyMessage,
  contactsMessage,
  documentMessage,
  flowReplyMessage,
  imageMessage,
  listReplyMessage,
  locationMessage,
  orderMessage,
  reactionMessage,
  reactionRemovedMessage,
  startSimulator,
  systemMessage,
  templateButtonMessage,
  templateStatusUpdateWebhook,
  textMessage,
  unsupportedMessage,
  valueErrorsWebhook,
} from '../../src/simulator/index.ts';
import type { Simulator, SimulatorOptions } from '../../src/simulator/index.ts';

const APP_SECRET = 'test-app-secret';
const ACCESS_TOKEN = 'test-access-token';
const WABA_ID = '102290129340398';
const PHONE_NUMBER_ID = '106540352242922';
const DISPLAY_NUMBER = '15550783881';
const CUSTOMER = '5215512345678';

// What the receiver accepts is Meta's envelope; parsing it here checks the simulator's shape too.
const statusSchema = z.object({
  id: z.string(),
  status: z.enum(['sent', 'delivered', 'read', 'played', 'failed']),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string(),
  biz_opaque_callback_data: z.string().optional(),
  pricing: z
    .object({ billable: z.boolean(), pricing_model: z.string(), type: z.string(), category: z.string() })
    .optional(),
  errors: z
    .array(
      z.object({
        code: z.number(),
        title: z.string(),
        message: z.string(),
        error_data: z.object({ details: z.string() }),
      }),
    )
    .optional(),
});
// Any message type: the common keys are checked, the type's own object is kept as it came.
const messageSchema = z.looseObject({
  from: z.string(),
  id: z.string(),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string().min(1),
  text: z.object({ body: z.string() }).optional(),
});
const messagesValueSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  metadata: z.object({ display_phone_number: z.string(), phone_number_id: z.string() }),
  contacts: z
    .array(
      z.object({
        profile: z.object({ name: z.string().optional(), username: z.string().optional() }).optional(),
        wa_id: z.string(),
        user_id: z.string().optional(),
      }),
    )
    .optional(),
  messages: z.array(messageSchema).optional(),
  statuses: z.array(statusSchema).optional(),
});
const envelopeSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(
        z.union([
          z.object({ field: z.literal('messages'), value: messagesValueSchema }),
          z.object({
            field: z.string().refine((f) => f !== 'messages'),
            value: z.record(z.string(), z.unknown()),
          }),
        ]),
      ),
    }),
  ),
});
type Envelope = z.infer<typeof envelopeSchema>;
type MessagesValue = z.infer<typeof messagesValueSchema>;

interface Webhook {
  raw: Buffer;
  /** The X-Hub-Signature-256 header as received. */
  signature: string | undefined;
  signedWithAppSecret: boolean;
  envelope: Envelope | null;
  values: MessagesValue[];
  statuses: z.infer<typeof statusSchema>[];
  messages: z.infer<typeof messageSchema>[];
}

/**
 * A stand-in for the relay's webhook endpoint: records every body with its signature check and
 * parsed envelope, and answers `answerStatus`. Unsigned or malformed bodies are recorded too (tests
 * post them on purpose) and listed in `problems`, which tests of well-formed traffic expect empty.
 */
async function startReceiver() {
  const webhooks: Webhook[] = [];
  const problems: string[] = [];
  const waiters: { predicate: (w: Webhook) => boolean; resolve: (w: Webhook) => void }[] = [];
  const state = { answerStatus: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`);
      const header = req.headers['x-hub-signature-256'];
      const signature = typeof header === 'string' ? header : undefined;
      const given = Buffer.from(signature ?? '');
      const signedWithAppSecret = given.length === expected.length && timingSafeEqual(given, expected);
      if (!signedWithAppSecret) problems.push(`bad signature: ${raw.toString('utf8')}`);
      let json: unknown = null;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        problems.push(`not JSON: ${raw.toString('utf8')}`);
      }
      const parsed = envelopeSchema.safeParse(json);
      if (!parsed.success) problems.push(`not Meta's envelope: ${z.prettifyError(parsed.error)}`);
      const envelope = parsed.success ? parsed.data : null;
      const values = (envelope?.entry ?? []).flatMap((entry) =>
        entry.changes.flatMap((change) =>
          change.field === 'messages' ? [change.value as MessagesValue] : [],
        ),
      );
      const webhook: Webhook = {
        raw,
        signature,
        signedWithAppSecret,
        envelope,
        values,
        statuses: values.flatMap((value) => value.statuses ?? []),
        messages: values.flatMap((value) => value.messages ?? []),
      };
      webhooks.push(webhook);
      for (const waiter of waiters.filter((w) => w.predicate(webhook))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(webhook);
      }
      res.writeHead(state.answerStatus, { 'content-type': 'text/plain' }).end(`answer ${webhooks.length}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    url,
    webhooks,
    problems,
    state,
    /** Resolves with the first matching webhook, already received (from index `since`) or still to come. */
    waitFor(predicate: (w: Webhook) => boolean, since = 0): Promise<Webhook> {
      const seen = webhooks.slice(since).find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    statusesOf(wamid: string): string[] {
      return webhooks.flatMap((w) => w.statuses.filter((s) => s.id === wamid).map((s) => s.status));
    },
  };
}

async function setup(options: Partial<SimulatorOptions> = {}) {
  const receiver = await startReceiver();
  const sim = await startSimulator({
    appSecret: APP_SECRET,
    accessToken: ACCESS_TOKEN,
    wabaId: WABA_ID,
    phoneNumbers: [{ id: PHONE_NUMBER_ID, displayPhoneNumber: DISPLAY_NUMBER }],
    webhookUrl: receiver.url,
    statusDelayMs: 0,
    ...options,
  });
  onTestFinished(() => sim.close());
  return { sim, receiver };
}

async function graphPost(
  sim: Simulator,
  body: unknown,
  options: { token?: string | null; phoneNumberId?: string; version?: string; rawBody?: string } = {},
): Promise<{ status: number; json: unknown }> {
  const token = options.token === undefined ? ACCESS_TOKEN : options.token;
  const response = await fetch(
    `${sim.url}/${options.version ?? sim.graphVersion}/${options.phoneNumberId ?? PHONE_NUMBER_ID}/messages`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body: options.rawBody ?? JSON.stringify(body),
    },
  );
  return { status: response.status, json: await response.json() };
}

async function control(
  sim: Simulator,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${sim.url}/_sim/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }),
  });
  return { status: response.status, json: await response.json() };
}

const sendAnswerSchema = z.object({ messages: z.array(z.object({ id: z.string() })).length(1) });
const wamidOf = (json: unknown): string => sendAnswerSchema.parse(json).messages[0]?.id ?? '';

const textSend = (text: string, extra: Record<string, unknown> = {}) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: CUSTOMER,
  type: 'text',
  text: { body: text },
  ...extra,
});

describe('Graph POST /{version}/{phone-number-id}/messages', () => {
  it('answers an accepted text send exactly like Meta and records it', async () => {
    const { sim } = await setup({ autoStatuses: false });
    const first = await graphPost(
      sim,
      textSend('Hola, ¿en qué te ayudo?', { biz_opaque_callback_data: 'mutation-1' }),
    );
    const second = await graphPost(sim, { ...textSend('Sigo aquí'), to: '+52 1 55 1234 5678' });

    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/]+=*$/) as unknown }],
    });
    expect(second.json).toMatchObject({ contacts: [{ input: '+52 1 55 1234 5678', wa_id: CUSTOMER }] });
    expect(wamidOf(second.json)).not.toBe(wamidOf(first.json));

    expect(sim.sends()).toEqual([
      {
        wamid: wamidOf(first.json),
        phoneNumberId: PHONE_NUMBER_ID,
        to: CUSTOMER,
        type: 'text',
        text: 'Hola, ¿en qué te ayudo?',
        bizOpaqueCallbackData: 'mutation-1',
        body: textSend('Hola, ¿en qué te ayudo?', { biz_opaque_callback_data: 'mutation-1' }),
        at: expect.any(Number) as unknown,
      },
      expect.objectContaining({
        wamid: wamidOf(second.json),
        to: '+52 1 55 1234 5678',
        bizOpaqueCallbackData: null,
      }),
    ]);
  });

  it('refuses a missing or wrong bearer token with 401 and OAuth code 190, and records nothing', async () => {
    const { sim } = await setup();
    for (const token of [null, 'not-the-token']) {
      const answer = await graphPost(sim, textSend('hola'), { token });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({
        error: {
          message: expect.any(String) as unknown,
          type: 'OAuthException',
          code: 190,
          fbtrace_id: expect.any(String) as unknown,
        },
      });
    }
    expect(sim.sends()).toEqual([]);
  });

  it('refuses bad bodies with 400 and code 100, saying what is wrong, and records nothing', async () => {
    const { sim } = await setup();
    const cases: { body?: unknown; rawBody?: string; mentions: string }[] = [
      { body: { ...textSend('x'), text: { body: '' } }, mentions: 'text.body' },
      { body: textSend('x'.repeat(4097)), mentions: 'text.body' },
      { body: { ...textSend('x'), messaging_product: 'sms' }, mentions: 'messaging_product' },
      { body: { ...textSend('x'), to: undefined }, mentions: 'to' },
      { body: { messaging_product: 'whatsapp', to: CUSTOMER, type: 'poll', poll: {} }, mentions: 'poll' },
      {
        body: { messaging_product: 'whatsapp', to: CUSTOMER, type: 'image', image: {} },
        mentions: 'image',
      },
      { rawBody: '{"messaging_product": "whatsapp", ', mentions: 'JSON' },
      { body: ['not', 'an', 'object'], mentions: 'object' },
    ];
    for (const { body, rawBody, mentions } of cases) {
      const answer = await graphPost(sim, body, rawBody === undefined ? {} : { rawBody });
      expect(answer.status, mentions).toBe(400);
      const error = z
        .object({ error: z.object({ code: z.number(), type: z.string(), message: z.string() }) })
        .parse(answer.json).error;
      expect(error.code).toBe(100);
      expect(error.message).toContain(mentions);
    }
    expect(sim.sends()).toEqual([]);
  });

  it('answers an unknown phone number id with subcode 33 and an unknown version with code 100', async () => {
    const { sim } = await setup();
    const unknownNumber = await graphPost(sim, textSend('hola'), { phoneNumberId: '999' });
    expect(unknownNumber.status).toBe(400);
    expect(unknownNumber.json).toMatchObject({
      error: { code: 100, error_subcode: 33, type: 'GraphMethodException' },
    });
    const unknownVersion = await graphPost(sim, textSend('hola'), { version: 'v1.0' });
    expect(unknownVersion.status).toBe(400);
    expect(unknownVersion.json).toMatchObject({
      error: { code: 100, message: expect.stringContaining('v1.0') as unknown },
    });
    expect(sim.sends()).toEqual([]);
  });

  it('answers a mark-read body with {success: true} without recording a send', async () => {
    const { sim } = await setup();
    const answer = await graphPost(sim, {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      typing_indicator: { type: 'text' },
    });
    expect(answer).toEqual({ status: 200, json: { success: true } });
    expect(sim.sends()).toEqual([]);
  });
});

describe('status webhooks', () => {
  it('with statusBeforeResponse, the sent webhook reaches the relay before the send is answered', async () => {
    const { sim, receiver } = await setup({ autoStatuses: false });
    sim.configure({ statusBeforeResponse: true });
    const answer = await graphPost(sim, textSend('hola'));
    const wamid = wamidOf(answer.json);
    // Checked the moment the answer arrives: the webhook must already be there.
    expect(receiver.statusesOf(wamid)).toEqual(['sent']);
  });

  it('posts sent, delivered and read in order after an accepted send, echoing biz_opaque_callback_data', async () => {
    const { sim, receiver } = await setup();
    const wamid = wamidOf(
      (
        await graphPost(
          sim,
          textSend('Tu pedido va en camino 🚚', { biz_opaque_callback_data: 'mutation-7' }),
        )
      ).json,
    );
    await receiver.waitFor((w) => w.statuses.some((s) => s.id === wamid && s.status === 'read'));

    expect(receiver.statusesOf(wamid)).toEqual(['sent', 'delivered', 'read']);
    const statuses = receiver.webhooks.flatMap((w) => w.statuses);
    for (const status of statuses) {
      expect(status).toMatchObject({
        biz_opaque_callback_data: 'mutation-7',
        recipient_id: CUSTOMER,
        pricing: {
          billable: false,
          pricing_model: 'PMP',
          type: 'free_customer_service',
          category: 'service',
        },
      });
    }
    for (const webhook of receiver.webhooks) {
      expect(webhook.envelope?.entry[0]?.id).toBe(WABA_ID);
      expect(webhook.values[0]?.metadata).toEqual({
        display_phone_number: DISPLAY_NUMBER,
        phone_number_id: PHONE_NUMBER_ID,
      });
    }
    expect(receiver.problems).toEqual([]);
  });

  it('does not repeat a sent status posted before the answer when the automatic ones follow', async () => {
    const { sim, receiver } = await setup();
    sim.configure({ statusBeforeResponse: true });
    const wamid = wamidOf((await graphPost(sim, textSend('hola'))).json);
    await receiver.waitFor((w) => w.statuses.some((s) => s.id === wamid && s.status === 'read'));
    expect(receiver.statusesOf(wamid)).toEqual(['sent', 'delivered', 'read']);
  });

  it('posts a failed status with Meta error object on demand, and refuses an unknown wamid', async () => {
    const { sim, receiver } = await setup({ autoStatuses: false });
    const wamid = wamidOf((await graphPost(sim, textSend('hola'))).json);
    receiver.state.answerStatus = 500;
    const result = await sim.sendStatus({
      wamid,
      status: 'failed',
      error: { code: 131047, title: 'Re-engagement message' },
    });
    expect(result).toEqual({ status: 500 }); // the relay's answer, whatever it is
    const [webhook] = receiver.webhooks;
    expect(webhook?.statuses).toEqual([
      expect.objectContaining({
        id: wamid,
        status: 'failed',
        errors: [
          {
            code: 131047,
            title: 'Re-engagement message',
            message: 'Re-engagement message',
            error_data: { details: 'Re-engagement message' },
          },
        ],
      }),
    ]);
    expect(webhook?.statuses[0]).not.toHaveProperty('pricing');

    const unknown = sim.sendStatus({ wamid: 'wamid.nope', status: 'read' });
    await expect(unknown).rejects.toBeInstanceOf(CodedError);
    await expect(unknown).rejects.toMatchObject({ code: 'SIM_UNKNOWN_WAMID' });
  });
});

describe('inbound messages', () => {
  it("posts the customer's text as Meta does: non-ASCII escaped in the signed bytes, timestamp in seconds", async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 21, 12, 0, 0));
    const { sim, receiver } = await setup({ clock });
    const { wamid, status } = await sim.sendInboundText({
      from: CUSTOMER,
      name: 'María José Peña',
      text: '¿Tienen envío a Mérida? 🙏',
    });

    expect(status).toBe(200);
    const [webhook] = receiver.webhooks;
    expect(webhook?.raw.every((byte) => byte < 0x80)).toBe(true);
    expect(webhook?.raw.toString('ascii')).toContain('Mar\\u00eda Jos\\u00e9 Pe\\u00f1a');
    expect(webhook?.values[0]?.contacts).toEqual([{ profile: { name: 'María José Peña' }, wa_id: CUSTOMER }]);
    expect(webhook?.messages).toEqual([
      {
        from: CUSTOMER,
        id: wamid,
        timestamp: String(clock.now() / 1000),
        type: 'text',
        text: { body: '¿Tienen envío a Mérida? 🙏' },
      },
    ]);
    expect(receiver.problems).toEqual([]);

    const earlier = Date.UTC(2026, 10, 20, 12, 20, 0);
    await sim.sendInboundText({ from: CUSTOMER, text: 'ayer', timestamp: earlier });
    expect(receiver.webhooks[1]?.messages[0]?.timestamp).toBe(String(earlier / 1000));
  });

  it('says clearly when there is no webhook URL or the relay cannot be reached', async () => {
    const sim = await startSimulator({
      appSecret: APP_SECRET,
      accessToken: ACCESS_TOKEN,
      wabaId: WABA_ID,
      phoneNumbers: [{ id: PHONE_NUMBER_ID, displayPhoneNumber: DISPLAY_NUMBER }],
    });
    onTestFinished(() => sim.close());
    await expect(sim.sendInboundText({ from: CUSTOMER, text: 'hola' })).rejects.toMatchObject({
      code: 'SIM_NO_WEBHOOK_URL',
    });

    // A port that was just free: nothing listens there any more.
    const gone = createServer();
    gone.listen(0, '127.0.0.1');
    await once(gone, 'listening');
    const gonePort = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    sim.setWebhookUrl(`http://127.0.0.1:${gonePort}/webhook`);
    await expect(sim.sendInboundText({ from: CUSTOMER, text: 'hola' })).rejects.toMatchObject({
      code: 'SIM_WEBHOOK_UNREACHABLE',
    });
    expect(() => sim.setWebhookUrl('not a url')).toThrow(
      expect.objectContaining({ code: 'SIM_INVALID_WEBHOOK_URL' }) as Error,
    );

    const receiver = await startReceiver();
    sim.setWebhookUrl(receiver.url);
    await expect(sim.sendInboundText({ from: CUSTOMER, text: 'hola' })).resolves.toMatchObject({
      status: 200,
    });
  });
});

describe('inbound messages of every type', () => {
  it('posts each message type with its own object, as sendInbound was given it', async () => {
    const { sim, receiver } = await setup();
    const messages = [
      locationMessage({
        latitude: 6.19815,
        longitude: -75.57362,
        name: 'Casa',
        address: 'Carrera 43A #1-50',
      }),
      contactsMessage([{ name: { formatted_name: 'Ana Ruiz' }, phones: [{ phone: '+52 55 1234 5678' }] }]),
      buttonReplyMessage({ id: 'yes', title: 'Sí' }),
      listReplyMessage({ id: 'm', title: 'Talla M' }),
      flowReplyMessage({ response: { rating: '5' } }),
      templateButtonMessage({ text: 'Confirmar', payload: 'ok' }),
      reactionMessage({ messageId: 'wamid.OUT', emoji: '❤️' }),
      reactionRemovedMessage({ messageId: 'wamid.OUT' }),
      orderMessage({
        catalogId: '1',
        items: [{ productRetailerId: 'B', quantity: 1, itemPrice: 850, currency: 'MXN' }],
      }),
      unsupportedMessage({ originalType: 'poll' }),
      { type: 'hologram', hologram: { id: 'h' } },
    ];
    const wamids: string[] = [];
    for (const message of messages) {
      const answer = await sim.sendInbound({ from: CUSTOMER, name: 'Lucía', message });
      expect(answer.status).toBe(200);
      wamids.push(answer.wamid);
    }
    expect(new Set(wamids).size).toBe(messages.length);
    const received = receiver.webhooks.flatMap((w) => w.messages);
    expect(received).toEqual(
      messages.map((message, i) => ({
        from: CUSTOMER,
        id: wamids[i],
        timestamp: expect.stringMatching(/^\d+$/) as unknown,
        ...message,
      })),
    );
    expect(receiver.problems).toEqual([]);
  });

  it('sends a system notice without contacts, and a username-only customer with an empty wa_id', async () => {
    const { sim, receiver } = await setup();
    await sim.sendInbound({
      from: CUSTOMER,
      message: systemMessage({
        body: 'Cambió de número',
        event: 'user_changed_number',
        newWaId: '5215587654321',
      }),
    });
    await sim.sendInbound({
      from: '',
      name: 'Ana',
      userId: 'MX.1349120865530274',
      message: textMessage('hola'),
    });
    expect(receiver.webhooks[0]?.values[0]).not.toHaveProperty('contacts');
    expect(receiver.webhooks[1]?.values[0]?.contacts).toEqual([
      { profile: { name: 'Ana' }, wa_id: '', user_id: 'MX.1349120865530274' },
    ]);
    expect(receiver.webhooks[1]?.messages[0]).toMatchObject({
      from: '',
      from_user_id: 'MX.1349120865530274',
    });
  });

  it('completes a reply context with the business number, and carries a referral', async () => {
    const { sim, receiver } = await setup();
    const referral = adReferral({
      sourceId: '120208865510430171',
      sourceUrl: 'https://fb.me/ad',
      headline: 'Hot Sale',
      body: '12 MSI',
      ctwaClid: 'ARAk',
    });
    await sim.sendInbound({
      from: CUSTOMER,
      message: templateButtonMessage({ text: 'Sí' }),
      context: { id: 'wamid.TEMPLATE' },
      referral,
    });
    await sim.sendInbound({ from: CUSTOMER, message: textMessage('mira'), context: { forwarded: true } });
    const [reply, forwarded] = receiver.webhooks.flatMap((w) => w.messages);
    expect(reply).toMatchObject({ context: { from: DISPLAY_NUMBER, id: 'wamid.TEMPLATE' }, referral });
    expect(forwarded?.context).toEqual({ forwarded: true });
  });

  it('describes registered media in the message: mime_type, and sha256 in base64 as Meta writes it', async () => {
    const { sim, receiver } = await setup();
    const bytes = Buffer.from('%PDF-1.4 una factura muy corta');
    const id = sim.addMedia({ bytes, mimeType: 'application/pdf', filename: 'factura-10482.pdf' });
    await sim.sendInbound({ from: CUSTOMER, message: documentMessage({ id, caption: 'La factura' }) });
    await sim.sendInbound({
      from: CUSTOMER,
      message: imageMessage({ id: '999', mimeType: 'image/jpeg', sha256: 'x' }),
    });
    const [document, unregistered] = receiver.webhooks.flatMap((w) => w.messages);
    expect(document?.document).toEqual({
      mime_type: 'application/pdf',
      sha256: createHash('sha256').update(bytes).digest('base64'),
      filename: 'factura-10482.pdf',
      caption: 'La factura',
      id,
    });
    // An id the simulator does not know is posted as given.
    expect(unregistered?.image).toEqual({ mime_type: 'image/jpeg', sha256: 'x', id: '999' });
  });

  it('is driven over HTTP too: POST /_sim/inbound with a message', async () => {
    const { sim, receiver } = await setup();
    const answer = await control(
      sim,
      'POST',
      'inbound',
      JSON.stringify({ from: CUSTOMER, message: locationMessage({ latitude: 1.5, longitude: 2.5 }) }),
    );
    expect(answer).toEqual({
      status: 200,
      json: { wamid: expect.stringMatching(/^wamid\./) as unknown, status: 200 },
    });
    expect(receiver.webhooks[0]?.messages[0]).toMatchObject({
      type: 'location',
      location: { latitude: 1.5 },
    });
    const refused = await control(
      sim,
      'POST',
      'inbound',
      JSON.stringify({ from: CUSTOMER, message: { type: 'text', text: { body: 'x' }, id: 'wamid.mine' } }),
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('must not carry from, id or timestamp');
    expect(receiver.webhooks).toHaveLength(1);
  });
});

describe('sendWebhook', () => {
  it('posts any envelope signed as Meta does, and answers the relay status and body', async () => {
    const { sim, receiver } = await setup();
    const envelope = batchWebhooks([
      templateStatusUpdateWebhook({
        wabaId: WABA_ID,
        at: sim.clock.now(),
        templateId: 1689556908129835,
        name: 'pedido_listo',
        language: 'es_MX',
        event: 'PAUSED',
      }),
      accountUpdateWebhook({ wabaId: WABA_ID, at: sim.clock.now(), event: 'ACCOUNT_RECONNECTED' }),
    ]);
    receiver.state.answerStatus = 202;
    expect(await sim.sendWebhook(envelope)).toEqual({ status: 202, body: 'answer 1' });
    expect(receiver.webhooks[0]?.signedWithAppSecret).toBe(true);
    expect(JSON.parse(receiver.webhooks[0]?.raw.toString() ?? '')).toEqual(envelope);
    expect(receiver.problems).toEqual([]);
  });

  it('posts a raw body byte for byte, signed, so relays meet bodies that are not JSON', async () => {
    const { sim, receiver } = await setup();
    const raw = '{"object":"whatsapp_business_account","entry":[ {"id": "1", "changes": ';
    expect((await sim.sendWebhook({ raw })).status).toBe(200);
    expect(receiver.webhooks[0]?.raw.toString('utf8')).toBe(raw);
    expect(receiver.webhooks[0]?.signedWithAppSecret).toBe(true);
  });

  it('can sign with a wrong secret or not at all, for the relay’s 401 path', async () => {
    const { sim, receiver } = await setup();
    await sim.sendWebhook({ raw: '{}' }, { signature: 'invalid' });
    await sim.sendWebhook({ raw: '{}' }, { signature: 'missing' });
    expect(receiver.webhooks[0]?.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(receiver.webhooks[0]?.signedWithAppSecret).toBe(false);
    expect(receiver.webhooks[1]?.signature).toBeUndefined();
  });

  it('is driven over HTTP too: POST /_sim/webhook with an envelope or raw text', async () => {
    const { sim, receiver } = await setup();
    const envelope = valueErrorsWebhook(
      { wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: DISPLAY_NUMBER },
      [{ code: 130429, title: 'Rate limit hit' }],
    );
    expect(await control(sim, 'POST', 'webhook', JSON.stringify({ envelope }))).toEqual({
      status: 200,
      json: { status: 200, body: 'answer 1' },
    });
    expect(
      await control(sim, 'POST', 'webhook', JSON.stringify({ raw: 'hola', signature: 'missing' })),
    ).toEqual({
      status: 200,
      json: { status: 200, body: 'answer 2' },
    });
    expect(JSON.parse(receiver.webhooks[0]?.raw.toString() ?? '')).toEqual(envelope);
    expect(receiver.webhooks[1]?.raw.toString()).toBe('hola');
    expect(receiver.webhooks[1]?.signature).toBeUndefined();
  });
});

describe('delivery faults', () => {
  it('duplicates: the next n webhooks arrive twice, the same signed bytes each time, then once again', async () => {
    const { sim, receiver } = await setup();
    sim.duplicateWebhooks({ count: 2 });
    await sim.sendInboundText({ from: CUSTOMER, text: 'uno' });
    await sim.sendInboundText({ from: CUSTOMER, text: 'dos' });
    await sim.sendInboundText({ from: CUSTOMER, text: 'tres' });
    expect(receiver.webhooks.map((w) => w.messages[0]?.text?.body)).toEqual([
      'uno',
      'uno',
      'dos',
      'dos',
      'tres',
    ]);
    const [first, again] = receiver.webhooks;
    expect(again?.raw).toEqual(first?.raw);
    expect(again?.signature).toBe(first?.signature);
    expect(receiver.problems).toEqual([]);
  });

  it('duplicates concurrently: both copies in flight at once, as when a retry races the first delivery', async () => {
    const { sim, receiver } = await setup({ autoStatuses: false });
    const wamid = wamidOf((await graphPost(sim, textSend('hola'))).json);
    sim.duplicateWebhooks({ count: 1, concurrent: true });
    await sim.sendStatus({ wamid, status: 'delivered' });
    expect(receiver.statusesOf(wamid)).toEqual(['delivered', 'delivered']);
    expect(receiver.webhooks[0]?.raw).toEqual(receiver.webhooks[1]?.raw);
  });

  it('delays: a held webhook is overtaken by a later one, and posted when released', async () => {
    const { sim, receiver } = await setup();
    sim.delayWebhooks({ ms: 600_000, count: 1 });
    const held = sim.sendInboundText({ from: CUSTOMER, text: 'primero' });
    await sim.sendInboundText({ from: CUSTOMER, text: 'segundo' });
    expect(receiver.webhooks.map((w) => w.messages[0]?.text?.body)).toEqual(['segundo']);
    sim.clearFaults();
    expect((await held).status).toBe(200);
    expect(receiver.webhooks.map((w) => w.messages[0]?.text?.body)).toEqual(['segundo', 'primero']);
  });

  it('delays for the given time without a release, every webhook while no count is given', async () => {
    const { sim, receiver } = await setup();
    sim.delayWebhooks({ ms: 20 });
    await sim.sendInboundText({ from: CUSTOMER, text: 'a' });
    await sim.sendInboundText({ from: CUSTOMER, text: 'b' });
    expect(receiver.webhooks).toHaveLength(2);
  });

  it('out-of-order statuses: reversed posts read, then delivered, then sent', async () => {
    const { sim, receiver } = await setup();
    sim.configure({ statusOrder: 'reversed' });
    const wamid = wamidOf((await graphPost(sim, textSend('hola'))).json);
    await receiver.waitFor((w) => w.statuses.some((s) => s.id === wamid && s.status === 'sent'));
    expect(receiver.statusesOf(wamid)).toEqual(['read', 'delivered', 'sent']);
  });

  it('out-of-order statuses: shuffled posts each status once, in a seeded order', async () => {
    const orders = async (seed: number) => {
      const { sim, receiver } = await setup({ seed });
      sim.configure({ statusOrder: 'shuffled' });
      const result: string[][] = [];
      for (let i = 0; i < 4; i++) {
        const wamid = wamidOf((await graphPost(sim, textSend(`m${i}`))).json);
        await receiver.waitFor(() => receiver.statusesOf(wamid).length === 3);
        result.push(receiver.statusesOf(wamid));
      }
      return result;
    };
    const first = await orders(11);
    for (const order of first) expect(order.toSorted()).toEqual(['delivered', 'read', 'sent']);
    expect(await orders(11)).toEqual(first);
  });

  it('posts a played status with the pricing a test asks for', async () => {
    const { sim, receiver } = await setup({ autoStatuses: false });
    const wamid = wamidOf((await graphPost(sim, textSend('nota'))).json);
    await sim.sendStatus({ wamid, status: 'played', pricing: { category: 'marketing', type: 'regular' } });
    expect(receiver.webhooks[0]?.statuses[0]).toMatchObject({
      status: 'played',
      pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
    });
  });

  it('are armed, listed and cleared over HTTP too', async () => {
    const { sim, receiver } = await setup();
    expect(await control(sim, 'POST', 'faults/duplicate-webhooks', JSON.stringify({ count: 1 }))).toEqual({
      status: 200,
      json: { faults: { duplicate: { remaining: 1, concurrent: false }, delay: null } },
    });
    expect(
      (await control(sim, 'POST', 'faults/delay-webhooks', JSON.stringify({ ms: 600_000, count: 1 }))).json,
    ).toEqual({
      faults: { duplicate: { remaining: 1, concurrent: false }, delay: { ms: 600_000, remaining: 1 } },
    });
    expect((await control(sim, 'GET', 'faults')).json).toMatchObject({ faults: { delay: { ms: 600_000 } } });
    const held = sim.sendInboundText({ from: CUSTOMER, text: 'retenido y doble' });
    expect(await control(sim, 'DELETE', 'faults')).toEqual({
      status: 200,
      json: { faults: { duplicate: null, delay: null } },
    });
    await held;
    expect(receiver.webhooks.map((w) => w.messages[0]?.text?.body)).toEqual([
      'retenido y doble',
      'retenido y doble',
    ]);
  });
});

describe('the simulator clock', () => {
  it('advanceClock moves message and status times forward', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 21, 12, 0, 0));
    const { sim, receiver } = await setup({ clock, autoStatuses: false });
    expect(sim.advanceClock(25 * 3_600_000)).toBe(Date.UTC(2026, 10, 22, 13, 0, 0));
    await sim.sendInboundText({ from: CUSTOMER, text: 'al día siguiente' });
    const wamid = wamidOf((await graphPost(sim, textSend('hola'))).json);
    await sim.sendStatus({ wamid, status: 'delivered' });
    const expected = String(Date.UTC(2026, 10, 22, 13, 0, 0) / 1000);
    expect(receiver.webhooks[0]?.messages[0]?.timestamp).toBe(expected);
    expect(receiver.webhooks[1]?.statuses[0]?.timestamp).toBe(expected);
    expect(sim.sends()[0]?.at).toBe(Date.UTC(2026, 10, 22, 13, 0, 0));
  });

  it('is moved over HTTP: POST /_sim/clock {advanceMs}, read with GET', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 21, 12, 0, 0));
    const { sim } = await setup({ clock });
    expect(await control(sim, 'POST', 'clock', JSON.stringify({ advanceMs: 60_000 }))).toEqual({
      status: 200,
      json: { now: Date.UTC(2026, 10, 21, 12, 1, 0) },
    });
    expect((await control(sim, 'GET', 'clock')).json).toEqual({ now: Date.UTC(2026, 10, 21, 12, 1, 0) });
    const backwards = await control(sim, 'POST', 'clock', JSON.stringify({ advanceMs: -1 }));
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.json)).toContain('advanceMs');
    expect(sim.clock.now()).toBe(Date.UTC(2026, 10, 21, 12, 1, 0));
  });
});

describe('/_sim control endpoints', () => {
  it('drive the customer side over HTTP', async () => {
    const { sim, receiver } = await setup({ autoStatuses: false });
    const inbound = await control(
      sim,
      'POST',
      'inbound',
      JSON.stringify({ from: CUSTOMER, name: 'Lucía', text: 'Hola' }),
    );
    expect(inbound).toEqual({
      status: 200,
      json: { wamid: expect.stringMatching(/^wamid\./) as unknown, status: 200 },
    });
    expect(receiver.webhooks[0]?.messages[0]?.text?.body).toBe('Hola');

    const wamid = wamidOf(
      (await graphPost(sim, textSend('¡Claro!', { biz_opaque_callback_data: 'm-9' }))).json,
    );
    const sends = await control(sim, 'GET', 'sends');
    expect(sends.status).toBe(200);
    expect(sends.json).toEqual({
      sends: [
        expect.objectContaining({ wamid, to: CUSTOMER, text: '¡Claro!', bizOpaqueCallbackData: 'm-9' }),
      ],
    });

    expect(await control(sim, 'POST', 'status', JSON.stringify({ wamid, status: 'delivered' }))).toEqual({
      status: 200,
      json: { status: 200 },
    });
    expect(receiver.statusesOf(wamid)).toEqual(['delivered']);

    const config = await control(
      sim,
      'PUT',
      'config',
      JSON.stringify({ statusBeforeResponse: true, statusDelayMs: 5 }),
    );
    expect(config).toEqual({
      status: 200,
      json: {
        config: {
          autoStatuses: false,
          statusBeforeResponse: true,
          statusDelayMs: 5,
          statusOrder: 'in-order',
          templatePageSize: 25,
        },
      },
    });
    const next = wamidOf((await graphPost(sim, textSend('otra'))).json);
    expect(receiver.statusesOf(next)).toEqual(['sent']);
  });

  it('reject bad bodies with 400 and a message that names the problem', async () => {
    const { sim, receiver } = await setup();
    const cases: [string, string, string, string][] = [
      ['POST', 'inbound', JSON.stringify({ from: '+52 55 1234 5678', text: 'hola' }), 'from'],
      ['POST', 'inbound', JSON.stringify({ from: CUSTOMER }), 'text'],
      ['POST', 'inbound', '{"from": ', 'JSON'],
      ['POST', 'status', JSON.stringify({ wamid: 'wamid.x', status: 'seen' }), 'status'],
      ['PUT', 'config', JSON.stringify({ statusDelayMs: -1 }), 'statusDelayMs'],
      ['PUT', 'config', JSON.stringify({ autoStatus: true }), 'autoStatus'],
      ['PUT', 'config', JSON.stringify({ statusOrder: 'random' }), 'statusOrder'],
      ['POST', 'webhook', JSON.stringify({ raw: 'x', signature: 'forged' }), 'signature'],
      ['POST', 'faults/duplicate-webhooks', JSON.stringify({ count: 0 }), 'count'],
      ['POST', 'faults/delay-webhooks', JSON.stringify({ ms: -5 }), 'ms'],
      ['POST', 'faults/fail-media', JSON.stringify({ mediaId: '1', times: 1, status: 302 }), 'status'],
      ['POST', 'media', JSON.stringify({ base64: '***', mimeType: 'image/png' }), 'base64'],
      ['POST', 'clock', JSON.stringify({ advance: 5 }), 'advance'],
    ];
    for (const [method, path, body, mentions] of cases) {
      const answer = await control(sim, method, path, body);
      expect(answer.status, `${method} ${path} ${body}`).toBe(400);
      const error = z
        .object({ error: z.object({ code: z.string(), message: z.string() }) })
        .parse(answer.json).error;
      expect(error.message).toContain(mentions);
    }
    expect(
      await control(sim, 'POST', 'status', JSON.stringify({ wamid: 'wamid.unknown', status: 'read' })),
    ).toMatchObject({
      status: 404,
      json: { error: { code: 'SIM_UNKNOWN_WAMID' } },
    });
    expect((await control(sim, 'GET', 'nothing-here')).status).toBe(404);
    expect(receiver.webhooks).toEqual([]);
  });
});

describe('demo customers', () => {
  async function startDemo() {
    const clock = new ManualClock(Date.UTC(2026, 10, 21, 12, 0, 0));
    const { sim, receiver } = await setup({ clock });
    const customers = startDemoCustomers(sim, { intervalMs: 3_600_000, replyDelayMs: 10 });
    onTestFinished(() => customers.stop());
    await customers.ready;
    const seeded = receiver.webhooks.flatMap((w) => w.messages);
    const castMember = (name: string) => {
      const customer = DEMO_CAST.find((c) => c.name.startsWith(name));
      if (customer === undefined) throw new Error(`the cast lost ${name}`);
      return customer;
    };
    return { sim, receiver, clock, seeded, castMember };
  }

  it('seed a day of conversations on the simulator clock and answer a reply from the business', async () => {
    const { sim, receiver, clock, seeded, castMember } = await startDemo();
    const lastBySender = new Map(seeded.map((m) => [m.from, Number(m.timestamp) * 1000]));
    expect(lastBySender.size).toBe(DEMO_CAST.length);
    const ages = [...lastBySender.values()].map((at) => clock.now() - at);
    expect(ages).toContain((23 * 60 + 40) * 60_000);
    expect(ages).toContain(30 * 3_600_000);
    const timestamps = seeded.map((m) => Number(m.timestamp));
    expect(timestamps).toEqual(timestamps.toSorted((a, b) => a - b));

    const javier = castMember('Javier');
    await graphPost(sim, { ...textSend('Hola Javier, tu pedido 10482 ya está confirmado'), to: javier.waId });
    const answer = await receiver.waitFor(
      (w) => w.messages.some((m) => m.from === javier.waId),
      seeded.length,
    );
    expect(answer.messages[0]?.text?.body).toBe(javier.followUps[0]);
    expect(receiver.problems).toEqual([]);
  });

  it('send a photo with a caption, a location, a voice note and a first message from an ad', async () => {
    const { sim, seeded, castMember } = await startDemo();
    const from = (name: string) => seeded.filter((m) => m.from === castMember(name).waId);

    const photo = from('María').find((m) => m.type === 'image');
    const image = z
      .object({ id: z.string(), mime_type: z.string(), sha256: z.string(), caption: z.string() })
      .parse(photo?.image);
    expect(image.caption).toContain('Instagram');
    const info = await fetch(`${sim.url}/${sim.graphVersion}/${image.id}`, {
      headers: { authorization: `Bearer ${ACCESS_TOKEN}` },
    });
    const { url } = z.object({ url: z.string() }).parse(await info.json());
    const bytes = Buffer.from(
      await (await fetch(url, { headers: { authorization: `Bearer ${ACCESS_TOKEN}` } })).arrayBuffer(),
    );
    expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(createHash('sha256').update(bytes).digest('base64')).toBe(image.sha256);

    expect(from('Andrés').find((m) => m.type === 'location')?.location).toMatchObject({
      address: expect.stringContaining('Medellín') as unknown,
    });
    expect(from('João').find((m) => m.type === 'audio')?.audio).toMatchObject({
      mime_type: 'audio/ogg; codecs=opus',
      voice: true,
    });
    const valentina = from('Valentina');
    expect(valentina[0]?.referral).toMatchObject({
      source_type: 'ad',
      headline: expect.stringContaining('meses') as unknown,
    });
    expect(seeded.filter((m) => m.referral !== undefined)).toHaveLength(1);
  });

  it('react 👍 to the business reply before answering it, when that is their habit', async () => {
    const { sim, receiver, seeded, castMember } = await startDemo();
    const andres = castMember('Andrés');
    const wamid = wamidOf(
      (await graphPost(sim, { ...textSend('Listo, ya cambiamos la dirección 🙌'), to: andres.waId })).json,
    );
    await receiver.waitFor(
      (w) => w.messages.some((m) => m.from === andres.waId && m.type === 'text'),
      seeded.length,
    );
    const answers = receiver.webhooks.slice(seeded.length).flatMap((w) => w.messages);
    expect(answers.map((m) => m.type)).toEqual(['reaction', 'text']);
    expect(answers[0]?.reaction).toEqual({ message_id: wamid, emoji: '👍' });
    expect(answers[1]?.text?.body).toBe(andres.followUps[0]);
  });
});

describe('cli', () => {
  const cli = join(import.meta.dirname, '../../src/simulator/cli.ts');
  const run = (args: string[]) =>
    spawn(process.execPath, ['--disable-warning=ExperimentalWarning', cli, ...args], { stdio: 'pipe' });

  it('rejects missing or malformed flags with exit code 2, naming them, and prints the usage', async () => {
    const child = run([
      '--app-secret',
      'S',
      '--port',
      'eighty',
      '--webhook-url',
      'ftp://relay',
      '--status-order',
      'sideways',
    ]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    expect(stderr).toContain('--waba-id is required');
    expect(stderr).toContain('--port must be a number');
    expect(stderr).toContain('--webhook-url must be an http(s) URL');
    expect(stderr).toMatch(/--status-order .*reversed/);
    expect(stderr).toContain('Usage: npm run simulator');
  });

  it('starts, prints its URL, serves the controls and stops on SIGTERM', async () => {
    const receiver = await startReceiver();
    const child = run([
      '--port',
      '0',
      '--webhook-url',
      receiver.url,
      '--app-secret',
      APP_SECRET,
      '--access-token',
      ACCESS_TOKEN,
      '--waba-id',
      WABA_ID,
      '--phone-number-id',
      PHONE_NUMBER_ID,
    ]);
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
    expect(url).toBeDefined();

    const inbound = await fetch(`${url}/_sim/inbound`, {
      method: 'POST',
      body: JSON.stringify({ from: CUSTOMER, text: 'hola' }),
    });
    expect(inbound.status).toBe(200);
    expect(receiver.problems).toEqual([]);
    expect(receiver.webhooks[0]?.envelope?.entry[0]?.id).toBe(WABA_ID);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
  });
});
