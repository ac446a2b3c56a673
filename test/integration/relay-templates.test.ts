// Templates end to end, over a real relay and the Cloud API simulator: the list synced across pages
// (at start, on sync_templates, after a webhook names an unknown approved template), webhooks merged
// with the synced content, a send of each kind reaching Meta with exactly the right body even
// outside the window, and every refusal answered before anything reaches Meta.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WINDOW_MS, type Agent, type Message, type Template } from '../../src/shared/domain.ts';
import type { Command, CommandResult, TemplateParameters } from '../../src/shared/protocol.ts';
import { SEED_TEMPLATES } from '../../src/simulator/index.ts';
import { encodePng } from '../../src/simulator/demo-media/png.ts';
import { NUMBER_A, NUMBER_B, startRelayStack, type RelayStack } from '../helpers/relay-stack.ts';
import { RelaySyncClient } from '../helpers/relay-sync-client.ts';

let stack: RelayStack;
let ana: { agent: Agent; token: string; console: RelaySyncClient };
let clients: RelaySyncClient[] = [];
let counter = 0;

beforeEach(async () => {
  stack = await startRelayStack({ autoSyncTemplates: true });
  const { agent, token } = stack.relay.createAgent({ name: 'Ana', role: 'agent', numbers: [NUMBER_A] });
  ana = { agent, token, console: await connect(token) };
  await templatesSynced(ana.console, SEED_TEMPLATES.length);
});

afterEach(async () => {
  for (const client of clients) client.close();
  clients = [];
  await stack.close();
});

async function connect(token: string): Promise<RelaySyncClient> {
  const client = await RelaySyncClient.connect(stack.relay.url, token, { clientId: `console-${++counter}` });
  clients.push(client);
  return client;
}

const mutation = (): string => `mut_templates_${++counter}`;

/** Waits until the console's mirror satisfies `condition` (checked on every events frame). */
async function mirrorReaches(client: RelaySyncClient, condition: () => boolean): Promise<void> {
  if (condition()) return;
  await client.waitFor('events', condition, 0);
}

/** Waits until the console knows `count` templates, each with its content from Meta's list. */
async function templatesSynced(client: RelaySyncClient, count: number): Promise<Template[]> {
  const synced = () => [...client.mirror.templates.values()].filter((t) => t.components.length > 0);
  await mirrorReaches(client, () => synced().length >= count);
  return synced();
}

const storedTemplateKeys = (): string[] =>
  stack.query<{ key: string }>('SELECT key FROM templates ORDER BY key').map((row) => row.key);

const templateSeen = (key: string): Template | undefined => ana.console.mirror.templates.get(key);

async function run(command: Command, mutationId = mutation()): Promise<CommandResult> {
  const from = ana.console.frames.length;
  ana.console.send({ type: 'command', mutationId, command });
  return (await ana.console.waitFor('command_result', (frame) => frame.mutationId === mutationId, from))
    .result;
}

/** A customer wrote 25 hours ago: the window is closed, only templates may go. */
async function conversationWithClosedWindow(number = NUMBER_A): Promise<{ id: string; waId: string }> {
  const waId = `52155511${String(++counter).padStart(4, '0')}`;
  await stack.customerWrites(waId, 'Hola, ¿siguen abiertos?', number);
  stack.clock.advance(WINDOW_MS + 60 * 60 * 1000);
  return { id: `${number}:${waId}`, waId };
}

const sendTemplate = (
  conversationId: string,
  name: string,
  parameters: unknown,
  language = 'es_MX',
): Command => ({
  kind: 'send_template',
  conversationId,
  name,
  language,
  parameters: parameters as TemplateParameters,
});

/** Waits until the dispatcher settled the message, expects Meta accepted it; answers the body the simulator received. */
async function acceptedBody(messageId: string): Promise<unknown> {
  const message = (): Message | undefined => ana.console.mirror.messages.get(messageId);
  await mirrorReaches(ana.console, () => message() !== undefined && message()?.status !== 'queued');
  expect(message()).toMatchObject({ status: 'accepted', error: null });
  const sends = stack.simulator.sends().filter((send) => send.bizOpaqueCallbackData === messageId);
  expect(sends).toHaveLength(1);
  return sends[0]!.body;
}

/** Every Graph call the simulator received to send something (refused or not). */
const graphSends = () => stack.simulator.attempts().filter((attempt) => attempt.type !== 'read');

const refused = (code: string, message?: RegExp) => ({
  ok: false,
  error: {
    code,
    message:
      message === undefined ? (expect.any(String) as unknown) : (expect.stringMatching(message) as unknown),
  },
});

describe('template sync', () => {
  it('reads every page at start and again on sync_templates, announcing only what changed', async () => {
    const started = ana.console.events().filter((e) => e.type === 'template.upserted');
    expect(started).toHaveLength(SEED_TEMPLATES.length);
    expect(templateSeen('envio_en_camino:es_MX')).toMatchObject({
      status: 'APPROVED',
      category: 'UTILITY',
      parameterFormat: 'NAMED',
    });

    // Two per page: the new template sits on the last of five pages.
    stack.simulator.configure({ templatePageSize: 2 });
    stack.simulator.addTemplate({
      name: 'aviso_devolucion',
      language: 'es_MX',
      category: 'UTILITY',
      components: [
        { type: 'BODY', text: 'Recibimos tu devolución {{1}}.', example: { body_text: [['#77']] } },
      ],
    });
    expect(await run({ kind: 'sync_templates' })).toEqual({ ok: true, messageId: null });
    // Applied before the answer: the relay holds every template of every page.
    expect(storedTemplateKeys()).toContain('aviso_devolucion:es_MX');
    expect(storedTemplateKeys()).toHaveLength(SEED_TEMPLATES.length + 1);
    await templatesSynced(ana.console, SEED_TEMPLATES.length + 1);
    expect(templateSeen('aviso_devolucion:es_MX')).toMatchObject({
      status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Recibimos tu devolución {{1}}.' }],
    });
    // Nothing else changed, so nothing else was announced.
    expect(ana.console.events().filter((e) => e.type === 'template.upserted')).toHaveLength(
      SEED_TEMPLATES.length + 1,
    );
  });

  it('fetches the content of a template Meta approves by webhook, keeping the webhook’s status', async () => {
    stack.simulator.addTemplate({
      name: 'cita_confirmada',
      language: 'es_MX',
      category: 'UTILITY',
      status: 'PENDING',
      components: [{ type: 'BODY', text: 'Tu cita es el {{1}}.', example: { body_text: [['lunes']] } }],
    });
    expect(
      (
        await stack.simulator.setTemplateStatus({
          name: 'cita_confirmada',
          language: 'es_MX',
          status: 'APPROVED',
        })
      ).status,
    ).toBe(200);
    await mirrorReaches(
      ana.console,
      () => (templateSeen('cita_confirmada:es_MX')?.components.length ?? 0) > 0,
    );
    expect(templateSeen('cita_confirmada:es_MX')).toMatchObject({
      status: 'APPROVED',
      parameterFormat: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'Tu cita es el {{1}}.' }],
    });
  });

  it('pauses a synced template by webhook: its content stays, sends are refused with nothing sent', async () => {
    const { id } = await conversationWithClosedWindow();
    await stack.simulator.setTemplateStatus({
      name: 'confirmacion_pedido',
      language: 'es_MX',
      status: 'PAUSED',
    });
    await mirrorReaches(ana.console, () => templateSeen('confirmacion_pedido:es_MX')?.status === 'PAUSED');
    expect(templateSeen('confirmacion_pedido:es_MX')?.components).not.toEqual([]);

    const command = sendTemplate(id, 'confirmacion_pedido', {
      body: { '1': 'María', '2': '#1' },
      buttons: { '0': '1' },
    });
    const mutationId = mutation();
    expect(await run(command, mutationId)).toEqual(refused('TEMPLATE_NOT_SENDABLE', /is paused by Meta/));
    // The refusal is the mutation's outcome, even once Meta approves the template again.
    await stack.simulator.setTemplateStatus({
      name: 'confirmacion_pedido',
      language: 'es_MX',
      status: 'APPROVED',
    });
    await mirrorReaches(ana.console, () => templateSeen('confirmacion_pedido:es_MX')?.status === 'APPROVED');
    expect(await run(command, mutationId)).toEqual(refused('TEMPLATE_NOT_SENDABLE', /is paused by Meta/));
    expect(graphSends()).toEqual([]);
  });

  it('answers a sync Meta refuses with Meta’s reason, leaving the templates as they were', async () => {
    await stack.restartRelay({ accessToken: 'revoked-token' });
    ana.console = await connect(ana.token);
    await mirrorReaches(ana.console, () => ana.console.mirror.templates.size === SEED_TEMPLATES.length);
    expect(await run({ kind: 'sync_templates' })).toEqual(
      refused(
        'TEMPLATE_SYNC_FAILED',
        /^Fetching page 1 of the template list: HTTP 401 \(190: Invalid OAuth access token/,
      ),
    );
    expect(stack.query<{ n: number }>('SELECT count(*) AS n FROM templates')[0]!.n).toBe(
      SEED_TEMPLATES.length,
    );
  });
});

describe('sending templates', () => {
  const graphBody = (to: string, mutationId: string, template: unknown) => ({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template,
    biz_opaque_callback_data: mutationId,
  });
  const es = { code: 'es_MX', policy: 'deterministic' };

  it('sends positional, named, authentication and document templates outside the window, body exact', async () => {
    const { id, waId } = await conversationWithClosedWindow();

    const positional = mutation();
    expect(
      await run(
        sendTemplate(id, 'confirmacion_pedido', {
          body: { '1': 'María', '2': '#10482' },
          buttons: { '0': '10482' },
        }),
        positional,
      ),
    ).toEqual({ ok: true, messageId: positional });
    expect(await acceptedBody(positional)).toEqual(
      graphBody(waId, positional, {
        name: 'confirmacion_pedido',
        language: es,
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'María' },
              { type: 'text', text: '#10482' },
            ],
          },
          { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: '10482' }] },
        ],
      }),
    );
    expect(ana.console.mirror.messages.get(positional)).toMatchObject({
      type: 'template',
      direction: 'out',
      authorId: ana.agent.id,
      text: 'Hola María, confirmamos tu pedido #10482. Te avisaremos en cuanto salga de nuestra bodega.',
      payload: { name: 'confirmacion_pedido', language: 'es_MX' },
    });
    expect(ana.console.mirror.conversations.get(id)?.lastMessagePreview).toMatch(/^Hola María, confirmamos/);

    const named = mutation();
    await run(
      sendTemplate(id, 'envio_en_camino', {
        header: { type: 'text', text: '10482' },
        body: { nombre: 'María', paqueteria: 'Estafeta', fecha_entrega: 'jueves 26' },
        buttons: { '0': 'EST10482MX' },
      }),
      named,
    );
    expect(await acceptedBody(named)).toEqual(
      graphBody(waId, named, {
        name: 'envio_en_camino',
        language: es,
        components: [
          { type: 'header', parameters: [{ type: 'text', parameter_name: 'numero_pedido', text: '10482' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', parameter_name: 'nombre', text: 'María' },
              { type: 'text', parameter_name: 'paqueteria', text: 'Estafeta' },
              { type: 'text', parameter_name: 'fecha_entrega', text: 'jueves 26' },
            ],
          },
          { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'EST10482MX' }] },
        ],
      }),
    );

    const code = mutation();
    await run(
      sendTemplate(id, 'codigo_verificacion', { body: { '1': '482913' }, buttons: { '0': '482913' } }),
      code,
    );
    expect(await acceptedBody(code)).toEqual(
      graphBody(waId, code, {
        name: 'codigo_verificacion',
        language: es,
        components: [
          { type: 'body', parameters: [{ type: 'text', text: '482913' }] },
          { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: '482913' }] },
        ],
      }),
    );

    const invoice = mutation();
    await run(
      sendTemplate(id, 'factura_disponible', {
        header: {
          type: 'document',
          link: 'https://tienda.example.mx/facturas/10482.pdf',
          filename: 'factura-10482.pdf',
        },
        body: { '1': 'María' },
      }),
      invoice,
    );
    expect(await acceptedBody(invoice)).toEqual(
      graphBody(waId, invoice, {
        name: 'factura_disponible',
        language: es,
        components: [
          {
            type: 'header',
            parameters: [
              {
                type: 'document',
                document: {
                  link: 'https://tienda.example.mx/facturas/10482.pdf',
                  filename: 'factura-10482.pdf',
                },
              },
            ],
          },
          { type: 'body', parameters: [{ type: 'text', text: 'María' }] },
        ],
      }),
    );
  });

  it('sends an image header the agent uploaded, as the media id Meta gave for it, and quick-reply payloads', async () => {
    const { id, waId } = await conversationWithClosedWindow();
    const png = encodePng(8, 8, (x, y) => [x * 30, y * 30, 120]);
    const answer = await fetch(`${stack.relay.url}/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'image/png' },
      body: png,
    });
    expect(answer.status).toBe(201);
    const { uploadId } = (await answer.json()) as { uploadId: string };

    const promo = mutation();
    await run(
      sendTemplate(id, 'promo_temporada', {
        header: { type: 'image', uploadId },
        body: { '1': 'María', '2': 'OTONO20' },
        buttons: { '0': 'PROMO_SI', '1': 'PROMO_NO' },
      }),
      promo,
    );
    const body = await acceptedBody(promo);
    const [media] = stack.simulator.uploads();
    expect(media).toMatchObject({ phoneNumberId: NUMBER_A, mimeType: 'image/png', size: png.length });
    expect(body).toEqual(
      graphBody(waId, promo, {
        name: 'promo_temporada',
        language: es,
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { id: media!.id } }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'María' },
              { type: 'text', text: 'OTONO20' },
            ],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: 0,
            parameters: [{ type: 'payload', payload: 'PROMO_SI' }],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: 1,
            parameters: [{ type: 'payload', payload: 'PROMO_NO' }],
          },
        ],
      }),
    );
  });

  it('sends once per mutation id, whatever the repeats', async () => {
    const { id } = await conversationWithClosedWindow();
    const command = sendTemplate(id, 'factura_disponible', {
      header: { type: 'document', link: 'https://tienda.example.mx/f.pdf' },
      body: { '1': 'María' },
    });
    const mutationId = mutation();
    const answers = await Promise.all([run(command, mutationId), run(command, mutationId)]);
    expect(answers).toEqual([
      { ok: true, messageId: mutationId },
      { ok: true, messageId: mutationId },
    ]);
    await acceptedBody(mutationId);
    expect(await run(command, mutationId)).toEqual({ ok: true, messageId: mutationId });
    expect(stack.simulator.sends().filter((send) => send.bizOpaqueCallbackData === mutationId)).toHaveLength(
      1,
    );
  });

  it('refuses every rule before anything reaches Meta, and saves no message', async () => {
    const { id } = await conversationWithClosedWindow();
    const { id: otherNumber } = await conversationWithClosedWindow(NUMBER_B);
    const cases: [Command, ReturnType<typeof refused>][] = [
      [
        sendTemplate(id, 'confirmacion_pedido', { body: { '1': 'María' }, buttons: {} }),
        refused(
          'TEMPLATE_PARAMETERS',
          /body \{\{2\}\} needs a value; button 0 \("Ver pedido"\) needs the end of its link/,
        ),
      ],
      [
        sendTemplate(id, 'envio_en_camino', {
          body: { nombre: 'María', paqueteria: 'DHL', fecha_entrega: 'hoy', extra: 'x' },
          buttons: { '0': 'A1' },
        }),
        refused(
          'TEMPLATE_PARAMETERS',
          /the header \{\{numero_pedido\}\} needs a value; body \{\{extra\}\} is not in this template/,
        ),
      ],
      [
        sendTemplate(id, 'promo_temporada', {
          header: { type: 'video', link: 'https://x.example/v.mp4' },
          body: { '1': 'a', '2': 'b' },
        }),
        refused('TEMPLATE_PARAMETERS', /the header is an image, not a video/),
      ],
      [
        sendTemplate(id, 'promo_temporada', {
          header: { type: 'image', uploadId: 'upl_missing' },
          body: { '1': 'a', '2': 'b' },
        }),
        refused('UPLOAD_NOT_FOUND'),
      ],
      [
        sendTemplate(id, 'codigo_verificacion', { body: { '1': '123456' }, buttons: { '0': '654321' } }),
        refused('TEMPLATE_PARAMETERS', /must carry the same verification code as the body/),
      ],
      [
        sendTemplate(id, 'catalogo_novedades', { body: { '1': 'María' } }),
        refused('TEMPLATE_NOT_SUPPORTED', /has a carousel, which Ventana cannot send yet/),
      ],
      [
        sendTemplate(id, 'oferta_relampago', { body: { '1': '30', '2': '%' } }),
        refused('TEMPLATE_NOT_SENDABLE', /was rejected by Meta.*INVALID_FORMAT/),
      ],
      [
        sendTemplate(id, 'confirmacion_pedido', {}, 'en_US'),
        refused('TEMPLATE_NOT_FOUND', /it exists in es_MX, pt_BR/),
      ],
      [
        sendTemplate(otherNumber, 'factura_disponible', {
          header: { type: 'document', link: 'https://x.example/f.pdf' },
          body: { '1': 'a' },
        }),
        refused('CONVERSATION_NOT_FOUND'),
      ],
    ];
    for (const [command, expected] of cases) expect(await run(command)).toEqual(expected);
    expect(graphSends()).toEqual([]);
    expect(
      stack.query<{ n: number }>("SELECT count(*) AS n FROM messages WHERE direction = 'out'")[0]!.n,
    ).toBe(0);
  });
});
