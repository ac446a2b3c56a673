// The Cloud API simulator over real HTTP, seen from where the relay stands: a node:http receiver
// plays the relay's POST /webhook (checking every signature on the raw bytes), and the Graph and
// /_sim endpoints are called with fetch. The CLI runs as a real child process.
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
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
import { startSimulator } from '../../src/simulator/index.ts';
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
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
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
const messageSchema = z.object({
  from: z.string(),
  id: z.string(),
  timestamp: z.string().regex(/^\d+$/),
  type: z.literal('text'),
  text: z.object({ body: z.string() }),
});
const envelopeSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(
        z.object({
          field: z.literal('messages'),
          value: z.object({
            messaging_product: z.literal('whatsapp'),
            metadata: z.object({ display_phone_number: z.string(), phone_number_id: z.string() }),
            contacts: z
              .array(z.object({ profile: z.object({ name: z.string() }).optional(), wa_id: z.string() }))
              .optional(),
            messages: z.array(messageSchema).optional(),
            statuses: z.array(statusSchema).optional(),
          }),
        }),
      ),
    }),
  ),
});
type Envelope = z.infer<typeof envelopeSchema>;

interface Webhook {
  raw: Buffer;
  envelope: Envelope;
  statuses: z.infer<typeof statusSchema>[];
  messages: z.infer<typeof messageSchema>[];
}

/** A stand-in for the relay's webhook endpoint: verifies signatures and shapes, records bodies, answers `answerStatus`. */
async function startReceiver() {
  const webhooks: Webhook[] = [];
  // Anything a relay would refuse: a wrong signature or a body that is not Meta's envelope.
  const problems: string[] = [];
  const waiters: { predicate: (w: Webhook) => boolean; resolve: (w: Webhook) => void }[] = [];
  const state = { answerStatus: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        problems.push(`bad signature: ${raw.toString('utf8')}`);
      }
      const parsed = envelopeSchema.safeParse(JSON.parse(raw.toString('utf8')));
      if (!parsed.success) {
        problems.push(`not Meta's envelope: ${z.prettifyError(parsed.error)}`);
        res.writeHead(400).end();
        return;
      }
      const envelope = parsed.data;
      const values = envelope.entry.flatMap((entry) => entry.changes.map((change) => change.value));
      const webhook: Webhook = {
        raw,
        envelope,
        statuses: values.flatMap((value) => value.statuses ?? []),
        messages: values.flatMap((value) => value.messages ?? []),
      };
      webhooks.push(webhook);
      for (const waiter of waiters.filter((w) => w.predicate(webhook))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(webhook);
      }
      res.writeHead(state.answerStatus).end();
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
      {
        body: { messaging_product: 'whatsapp', to: CUSTOMER, type: 'image', image: { id: '1' } },
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
      expect(webhook.envelope.entry[0]?.id).toBe(WABA_ID);
      expect(webhook.envelope.entry[0]?.changes[0]?.value.metadata).toEqual({
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
    expect(webhook?.envelope.entry[0]?.changes[0]?.value.contacts).toEqual([
      { profile: { name: 'María José Peña' }, wa_id: CUSTOMER },
    ]);
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
    expect(receiver.webhooks[0]?.messages[0]?.text.body).toBe('Hola');

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
      json: { config: { autoStatuses: false, statusBeforeResponse: true, statusDelayMs: 5 } },
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
  it('seed a day of conversations and answer a reply from the business', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 21, 12, 0, 0));
    const { sim, receiver } = await setup({ clock });
    const customers = startDemoCustomers(sim, { clock, intervalMs: 3_600_000, replyDelayMs: 10 });
    onTestFinished(() => customers.stop());
    await customers.ready;

    const seeded = receiver.webhooks.flatMap((w) => w.messages);
    const lastBySender = new Map(seeded.map((m) => [m.from, Number(m.timestamp) * 1000]));
    expect(lastBySender.size).toBe(DEMO_CAST.length);
    const ages = [...lastBySender.values()].map((at) => clock.now() - at);
    expect(ages).toContain((23 * 60 + 40) * 60_000);
    expect(ages).toContain(30 * 3_600_000);
    const timestamps = seeded.map((m) => Number(m.timestamp));
    expect(timestamps).toEqual(timestamps.toSorted((a, b) => a - b));

    const javier = DEMO_CAST.find((c) => c.name === 'Javier Ortega Ruiz');
    if (javier === undefined) throw new Error('the cast lost Javier');
    await graphPost(sim, { ...textSend('Hola Javier, tu pedido 10482 ya está confirmado'), to: javier.waId });
    const answer = await receiver.waitFor(
      (w) => w.messages.some((m) => m.from === javier.waId),
      seeded.length,
    );
    expect(answer.messages[0]?.text.body).toBe(javier.followUps[0]);
    expect(receiver.problems).toEqual([]);
  });
});

describe('cli', () => {
  const cli = join(import.meta.dirname, '../../src/simulator/cli.ts');
  const run = (args: string[]) =>
    spawn(process.execPath, ['--disable-warning=ExperimentalWarning', cli, ...args], { stdio: 'pipe' });

  it('rejects missing or malformed flags with exit code 2, naming them, and prints the usage', async () => {
    const child = run(['--app-secret', 'S', '--port', 'eighty', '--webhook-url', 'ftp://relay']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    expect(stderr).toContain('--waba-id is required');
    expect(stderr).toContain('--port must be a number');
    expect(stderr).toContain('--webhook-url must be an http(s) URL');
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
    expect(receiver.webhooks[0]?.envelope.entry[0]?.id).toBe(WABA_ID);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
  });
});
