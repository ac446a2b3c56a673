// The simulator as the relay meets it when it sends, over real HTTP: the template list paged like
// Graph pages it and template status webhooks, template sends checked like Meta checks them,
// multipart uploads and media sends, Meta's error answers on demand (errors, 5xx, no answer, a
// reset connection, an error with HTTP 200), the pair rate limit, and statuses priced per template.
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/shared/clock.ts';
import { SEED_TEMPLATES, startSimulator } from '../../src/simulator/index.ts';
import type { Simulator, SimulatorOptions } from '../../src/simulator/index.ts';

const APP_SECRET = 'test-app-secret';
const ACCESS_TOKEN = 'test-access-token';
const WABA_ID = '102290129340398';
const NUMBER = '106540352242922';
const CUSTOMER = '5215512345678';
const OTHER_CUSTOMER = '5215587654321';
const START = Date.UTC(2026, 10, 21, 12, 0, 0);
const PNG = Buffer.from('\x89PNG\r\n\x1a\n la blusa azul', 'latin1');

/** The relay's webhook endpoint, reduced to what these tests read: signed JSON bodies. */
async function startReceiver() {
  const bodies: unknown[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;
      expect(req.headers['x-hub-signature-256']).toBe(expected);
      bodies.push(JSON.parse(raw.toString('utf8')));
      for (const waiter of waiters.filter((w) => bodies.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      res.writeHead(200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    bodies,
    /** Resolves once `count` webhooks have arrived. */
    received(count: number): Promise<void> {
      if (bodies.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}

async function setup(options: { autoStatuses?: boolean; templates?: SimulatorOptions['templates'] } = {}) {
  const receiver = await startReceiver();
  const clock = new ManualClock(START);
  const sim = await startSimulator({
    appSecret: APP_SECRET,
    accessToken: ACCESS_TOKEN,
    wabaId: WABA_ID,
    phoneNumbers: [{ id: NUMBER, displayPhoneNumber: '15550783881' }],
    webhookUrl: receiver.url,
    autoStatuses: options.autoStatuses ?? false,
    statusDelayMs: 0,
    clock,
    ...(options.templates === undefined ? {} : { templates: options.templates }),
  });
  onTestFinished(() => sim.close());
  return { sim, receiver, clock };
}

interface Answer {
  status: number;
  json: unknown;
}

async function call(
  sim: Simulator,
  method: string,
  path: string,
  options: { body?: unknown; form?: FormData; token?: string | null } = {},
): Promise<Answer> {
  const token = options.token === undefined ? ACCESS_TOKEN : options.token;
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  let body: string | FormData | undefined;
  if (options.form !== undefined) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const url = path.startsWith('http') ? path : `${sim.url}${path}`;
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: response.status, json: await response.json() };
}

const send = (sim: Simulator, body: unknown, to = CUSTOMER): Promise<Answer> =>
  call(sim, 'POST', `/${sim.graphVersion}/${NUMBER}/messages`, {
    body: { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...(body as object) },
  });

const text = (body: string, extra: Record<string, unknown> = {}) => ({
  type: 'text',
  text: { body },
  ...extra,
});

const template = (name: string, language: string, components: unknown[] = []) => ({
  type: 'template',
  template: { name, language: { code: language }, components },
});

const bodyParams = (...values: string[]) => ({
  type: 'body',
  parameters: values.map((value) => ({ type: 'text', text: value })),
});

const wamidOf = (answer: Answer): string =>
  z.object({ messages: z.tuple([z.object({ id: z.string() })]) }).parse(answer.json).messages[0].id;

/** Meta's WhatsApp error envelope, exactly (cloud-api.md §3.8). */
function metaError(code: number, title: string, details: string) {
  return {
    error: {
      message: `(#${code}) ${title}`,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details },
      fbtrace_id: expect.any(String) as unknown,
    },
  };
}

const errorOf = (answer: Answer) =>
  z
    .object({
      error: z.object({
        code: z.number(),
        message: z.string(),
        error_data: z.object({ details: z.string() }).optional(),
      }),
    })
    .parse(answer.json).error;

async function upload(
  sim: Simulator,
  file: { bytes: Buffer; type: string; filename?: string },
  fields: { messagingProduct?: string | null; type?: string | null } = {},
): Promise<Answer> {
  const form = new FormData();
  if (fields.messagingProduct !== null)
    form.append('messaging_product', fields.messagingProduct ?? 'whatsapp');
  if (fields.type !== null) form.append('type', fields.type ?? file.type);
  form.append('file', new Blob([file.bytes], { type: file.type }), file.filename ?? 'archivo');
  return call(sim, 'POST', `/${sim.graphVersion}/${NUMBER}/media`, { form });
}

const uploadedId = (answer: Answer): string => z.object({ id: z.string() }).parse(answer.json).id;

const listingSchema = z
  .object({
    data: z.array(
      z.object({
        name: z.string(),
        language: z.string(),
        status: z.string(),
        category: z.string(),
        id: z.string(),
        parameter_format: z.enum(['POSITIONAL', 'NAMED']),
        components: z.array(z.looseObject({ type: z.string() })),
        rejected_reason: z.string().optional(),
      }),
    ),
    paging: z
      .object({
        cursors: z.object({ before: z.string(), after: z.string() }),
        previous: z.url().optional(),
        next: z.url().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

describe('GET /{version}/{waba-id}/message_templates', () => {
  it('pages through the Spanish set like Graph: cursors, full `next` and `previous` URLs, until `next` is gone', async () => {
    const { sim } = await setup();
    sim.configure({ templatePageSize: 4 });
    const pages: z.infer<typeof listingSchema>[] = [];
    let next: string | undefined = `/${sim.graphVersion}/${WABA_ID}/message_templates`;
    while (next !== undefined) {
      const answer = await call(sim, 'GET', next);
      expect(answer.status).toBe(200);
      const page = listingSchema.parse(answer.json);
      pages.push(page);
      next = page.paging?.next;
      if (next !== undefined)
        expect(next.startsWith(`${sim.url}/${sim.graphVersion}/${WABA_ID}/message_templates?`)).toBe(true);
    }
    expect(pages.map((page) => page.data.length)).toEqual([4, 4, 1]);
    expect(pages.map((page) => page.paging?.previous === undefined)).toEqual([true, false, false]);
    const listed = pages.flatMap((page) => page.data);
    expect(listed).toEqual(sim.templates());

    const keys = listed.map((t) => `${t.name}:${t.language}:${t.status}:${t.category}:${t.parameter_format}`);
    expect(keys).toEqual([
      'confirmacion_pedido:es_MX:APPROVED:UTILITY:POSITIONAL',
      'confirmacion_pedido:pt_BR:APPROVED:UTILITY:POSITIONAL',
      'envio_en_camino:es_MX:APPROVED:UTILITY:NAMED',
      'promo_temporada:es_MX:APPROVED:MARKETING:POSITIONAL',
      'codigo_verificacion:es_MX:APPROVED:AUTHENTICATION:POSITIONAL',
      'factura_disponible:es_MX:APPROVED:UTILITY:POSITIONAL',
      'recordatorio_carrito:es_MX:PAUSED:MARKETING:POSITIONAL',
      'oferta_relampago:es_MX:REJECTED:MARKETING:POSITIONAL',
      'catalogo_novedades:es_MX:APPROVED:MARKETING:POSITIONAL',
    ]);
    const byName = (name: string) => listed.find((t) => t.name === name)?.components ?? [];
    expect(byName('promo_temporada')[0]).toMatchObject({ type: 'HEADER', format: 'IMAGE' });
    expect(byName('envio_en_camino')[0]).toMatchObject({
      type: 'HEADER',
      format: 'TEXT',
      text: expect.stringContaining('{{numero_pedido}}') as unknown,
    });
    expect(byName('codigo_verificacion')[2]).toMatchObject({
      type: 'BUTTONS',
      buttons: [{ type: 'URL', url: expect.stringContaining('otp_type=COPY_CODE') as unknown }],
    });
    expect(byName('catalogo_novedades').map((c) => c.type)).toEqual(['BODY', 'CAROUSEL']);

    // Back from the last page: `previous` lists the page before it.
    const previous = pages[2]?.paging?.previous ?? '';
    expect(listingSchema.parse((await call(sim, 'GET', previous)).json).data).toEqual(pages[1]?.data);
  });

  it('honours a smaller limit, and refuses a bad limit, a bad cursor, another account and a missing token', async () => {
    const { sim } = await setup();
    const path = `/${sim.graphVersion}/${WABA_ID}/message_templates`;
    const two = listingSchema.parse((await call(sim, 'GET', `${path}?limit=2`)).json);
    expect(two.data.map((t) => t.language)).toEqual(['es_MX', 'pt_BR']);
    expect(new URL(two.paging?.next ?? '').searchParams.get('limit')).toBe('2');
    // The page size caps a larger limit, so tests can force pages whatever the relay asks for.
    sim.configure({ templatePageSize: 3 });
    expect(listingSchema.parse((await call(sim, 'GET', `${path}?limit=100`)).json).data).toHaveLength(3);

    for (const query of ['limit=0', 'limit=diez', 'after=bm90LWEtY3Vyc29y']) {
      const answer = await call(sim, 'GET', `${path}?${query}`);
      expect(answer.status, query).toBe(400);
      expect(errorOf(answer).code).toBe(100);
    }
    const otherAccount = await call(sim, 'GET', `/${sim.graphVersion}/999/message_templates`);
    expect(otherAccount.json).toMatchObject({ error: { code: 100, error_subcode: 33 } });
    const noToken = await call(sim, 'GET', path, { token: null });
    expect(noToken.status).toBe(401);
    expect(errorOf(noToken).code).toBe(190);
  });

  it('starts with the templates it is given: none, or a few of the seed set', async () => {
    const empty = await setup({ templates: [] });
    expect(
      (await call(empty.sim, 'GET', `/${empty.sim.graphVersion}/${WABA_ID}/message_templates`)).json,
    ).toEqual({
      data: [],
    });
    const few = await setup({ templates: SEED_TEMPLATES.filter((t) => t.name === 'confirmacion_pedido') });
    expect(few.sim.templates().map((t) => t.language)).toEqual(['es_MX', 'pt_BR']);
    await expect(
      startSimulator({
        appSecret: APP_SECRET,
        accessToken: ACCESS_TOKEN,
        wabaId: WABA_ID,
        phoneNumbers: [{ id: NUMBER, displayPhoneNumber: '15550783881' }],
        templates: [
          { name: 'Mal Nombre', language: 'es', category: 'UTILITY', components: [{ type: 'BODY' }] },
        ],
      }),
    ).rejects.toMatchObject({ code: 'SIM_INVALID_OPTIONS' });
  });

  it('lists added templates, and posts message_template_status_update when a status changes', async () => {
    const { sim, receiver, clock } = await setup();
    const added = sim.addTemplate({
      name: 'aviso_devolucion',
      language: 'es_MX',
      category: 'UTILITY',
      status: 'PENDING',
      components: [{ type: 'BODY', text: 'Recibimos tu devolución {{1}}.' }],
    });
    expect(added).toMatchObject({
      name: 'aviso_devolucion',
      status: 'PENDING',
      id: expect.stringMatching(/^\d{16}$/) as unknown,
    });
    expect(sim.templates().at(-1)).toEqual(added);
    expect(receiver.bodies).toEqual([]);

    clock.advance(60_000);
    const changed = await sim.setTemplateStatus({
      name: 'aviso_devolucion',
      language: 'es_MX',
      status: 'APPROVED',
    });
    expect(changed).toEqual({ template: { ...added, status: 'APPROVED' }, status: 200 });
    const paused = await sim.setTemplateStatus({
      name: 'promo_temporada',
      language: 'es_MX',
      status: 'REJECTED',
      reason: 'INCORRECT_CATEGORY',
    });
    expect(paused.template).toMatchObject({ status: 'REJECTED', rejected_reason: 'INCORRECT_CATEGORY' });
    expect(receiver.bodies).toEqual([
      {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: WABA_ID,
            time: Math.floor((START + 60_000) / 1000),
            changes: [
              {
                value: {
                  event: 'APPROVED',
                  message_template_id: Number(added.id),
                  message_template_name: 'aviso_devolucion',
                  message_template_language: 'es_MX',
                  reason: 'NONE',
                  message_template_category: 'UTILITY',
                },
                field: 'message_template_status_update',
              },
            ],
          },
        ],
      },
      expect.objectContaining({
        entry: [
          expect.objectContaining({
            changes: [
              expect.objectContaining({
                value: expect.objectContaining({
                  event: 'REJECTED',
                  message_template_id: 1689556908129835,
                  reason: 'INCORRECT_CATEGORY',
                }) as unknown,
              }),
            ],
          }),
        ],
      }),
    ]);
    expect(() =>
      sim.addTemplate({
        name: 'aviso_devolucion',
        language: 'es_MX',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Otra versión {{1}}.' }],
      }),
    ).toThrow(/already exists/);
  });

  it('is managed over HTTP too: GET and POST /_sim/templates, POST /_sim/templates/status', async () => {
    const { sim, receiver } = await setup();
    const created = await call(sim, 'POST', '/_sim/templates', {
      body: {
        name: 'encuesta_servicio',
        language: 'es',
        category: 'MARKETING',
        components: [{ type: 'BODY', text: '¿Cómo calificas nuestro servicio?' }],
      },
    });
    expect(created).toMatchObject({
      status: 200,
      json: { template: { name: 'encuesta_servicio', status: 'APPROVED' } },
    });
    const listed = z
      .object({ templates: z.array(z.object({ name: z.string() })) })
      .parse((await call(sim, 'GET', '/_sim/templates')).json);
    expect(listed.templates.map((t) => t.name)).toContain('encuesta_servicio');

    const paused = await call(sim, 'POST', '/_sim/templates/status', {
      body: { name: 'encuesta_servicio', language: 'es', status: 'PAUSED' },
    });
    expect(paused).toMatchObject({ status: 200, json: { template: { status: 'PAUSED' }, status: 200 } });
    expect(receiver.bodies).toHaveLength(1);

    expect(
      (
        await call(sim, 'POST', '/_sim/templates', {
          body: {
            name: 'encuesta_servicio',
            language: 'es',
            category: 'MARKETING',
            components: [{ type: 'BODY', text: 'x' }],
          },
        })
      ).json,
    ).toMatchObject({
      error: { code: 'SIM_TEMPLATE_EXISTS' },
    });
    expect(
      (
        await call(sim, 'POST', '/_sim/templates/status', {
          body: { name: 'no_existe', language: 'es', status: 'PAUSED' },
        })
      ).status,
    ).toBe(404);
    const bad = await call(sim, 'POST', '/_sim/templates', {
      body: { name: 'Con Espacios', language: 'es', category: 'MARKETING', components: [] },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('lower-case');
  });
});

describe('template sends', () => {
  it('accepts sends whose parameters match the template, records the full body and the text the customer reads', async () => {
    const { sim } = await setup();
    const bodies = [
      template('confirmacion_pedido', 'es_MX', [
        bodyParams('María', '#10482'),
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '10482' }] },
      ]),
      template('confirmacion_pedido', 'pt_BR', [
        bodyParams('João', '#10483'),
        { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: '10483' }] },
      ]),
      template('envio_en_camino', 'es_MX', [
        { type: 'header', parameters: [{ type: 'text', parameter_name: 'numero_pedido', text: '10482' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', parameter_name: 'paqueteria', text: 'Estafeta' },
            { type: 'text', parameter_name: 'nombre', text: 'María' },
            { type: 'text', parameter_name: 'fecha_entrega', text: 'jueves 26' },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'EST10482MX' }] },
      ]),
      template('promo_temporada', 'es_MX', [
        {
          type: 'header',
          parameters: [{ type: 'image', image: { link: 'https://tienda.example.mx/otono.jpg' } }],
        },
        bodyParams('María', 'OTONO20'),
        {
          type: 'button',
          sub_type: 'quick_reply',
          index: 0,
          parameters: [{ type: 'payload', payload: 'PROMO_SI' }],
        },
      ]),
      template('codigo_verificacion', 'es_MX', [
        bodyParams('482913'),
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
      ]),
      template('catalogo_novedades', 'es_MX', [
        bodyParams('María'),
        {
          type: 'carousel',
          cards: [
            { card_index: 0, components: [] },
            { card_index: 1, components: [] },
          ],
        },
      ]),
    ];
    for (const body of bodies) {
      const answer = await send(sim, body);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    }
    const sends = sim.sends();
    expect(sends.map((s) => s.text)).toEqual([
      'Hola María, confirmamos tu pedido #10482. Te avisaremos en cuanto salga de nuestra bodega.',
      'Olá João, confirmamos o seu pedido #10483. Avisaremos assim que ele sair do nosso depósito.',
      'Hola María, tu paquete salió hoy con Estafeta y llegará el jueves 26.',
      '¡María, llegó la temporada de otoño! Usa el código OTONO20 y llévate 20% de descuento en toda la tienda.',
      '*482913* es tu código de verificación. Por tu seguridad, no lo compartas.',
      'María, mira lo nuevo de esta semana:',
    ]);
    expect(sends.map((s) => s.type)).toEqual(Array(6).fill('template'));
    expect(sends[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: CUSTOMER,
      ...bodies[0],
    });
  });

  it('refuses what Meta refuses, with its codes and details, and records no send', async () => {
    const { sim } = await setup();
    await sim.setTemplateStatus({ name: 'factura_disponible', language: 'es_MX', status: 'DISABLED' });
    const urlButton = (suffix: string) => ({
      type: 'button',
      sub_type: 'url',
      index: '0',
      parameters: [{ type: 'text', text: suffix }],
    });
    const cases: { body: unknown; expected: ReturnType<typeof metaError> }[] = [
      {
        body: template('pedido_inexistente', 'es_MX', []),
        expected: metaError(
          132001,
          'Template name does not exist in the translation',
          'template name (pedido_inexistente) does not exist in es_MX',
        ),
      },
      {
        body: template('confirmacion_pedido', 'es_AR', []),
        expected: metaError(
          132001,
          'Template name does not exist in the translation',
          'template name (confirmacion_pedido) does not exist in es_AR',
        ),
      },
      {
        body: template('oferta_relampago', 'es_MX', [bodyParams('30', '%')]),
        expected: metaError(
          132001,
          'Template name does not exist in the translation',
          'template name (oferta_relampago) does not exist in es_MX',
        ),
      },
      {
        body: template('recordatorio_carrito', 'es_MX', [bodyParams('María')]),
        expected: metaError(
          132015,
          'Template is Paused',
          'Template is paused due to low quality so it cannot be sent in a template message.',
        ),
      },
      {
        body: template('factura_disponible', 'es_MX', []),
        expected: metaError(
          132016,
          'Template is Disabled',
          'Template has been paused too many times due to low quality and is now permanently disabled.',
        ),
      },
      {
        body: template('confirmacion_pedido', 'es_MX', [bodyParams('María'), urlButton('10482')]),
        expected: metaError(
          132000,
          'Number of parameters does not match the expected number of params',
          'body: number of localizable_params (1) does not match the expected number of params (2)',
        ),
      },
      {
        body: template('confirmacion_pedido', 'es_MX', [bodyParams('María', '#10482')]),
        expected: metaError(
          132000,
          'Number of parameters does not match the expected number of params',
          'button at index 0 of type URL: number of localizable_params (0) does not match the expected number of params (1)',
        ),
      },
      {
        body: template('promo_temporada', 'es_MX', [bodyParams('María', 'OTONO20')]),
        expected: metaError(
          132000,
          'Number of parameters does not match the expected number of params',
          'header: number of localizable_params (0) does not match the expected number of params (1)',
        ),
      },
      {
        body: template('promo_temporada', 'es_MX', [
          { type: 'header', parameters: [{ type: 'text', text: 'Otoño' }] },
          bodyParams('María', 'OTONO20'),
        ]),
        expected: metaError(
          132012,
          'Parameter format does not match format in the created template',
          'header: Format mismatch, expected IMAGE, received TEXT',
        ),
      },
      {
        body: template('envio_en_camino', 'es_MX', [
          { type: 'header', parameters: [{ type: 'text', parameter_name: 'numero_pedido', text: '10482' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', parameter_name: 'nombre', text: 'María' },
              { type: 'text', parameter_name: 'empresa', text: 'Estafeta' },
              { type: 'text', parameter_name: 'fecha_entrega', text: 'jueves' },
            ],
          },
          urlButton('EST1'),
        ]),
        expected: metaError(
          132000,
          'Number of parameters does not match the expected number of params',
          'body: parameter names (nombre, empresa, fecha_entrega) do not match the expected names (nombre, paqueteria, fecha_entrega)',
        ),
      },
      {
        body: template('codigo_verificacion', 'es_MX', [bodyParams('482913')]),
        expected: metaError(
          132000,
          'Number of parameters does not match the expected number of params',
          'button at index 0 of type URL: number of localizable_params (0) does not match the expected number of params (1)',
        ),
      },
      {
        body: template('catalogo_novedades', 'es_MX', [bodyParams('María')]),
        expected: metaError(
          132000,
          'Number of parameters does not match the expected number of params',
          'carousel: number of cards (0) does not match the expected number of cards (2)',
        ),
      },
    ];
    for (const { body, expected } of cases) {
      const answer = await send(sim, body);
      expect({ status: answer.status, json: answer.json }, JSON.stringify(body)).toEqual({
        status: 400,
        json: expected,
      });
    }
    const newline = await send(
      sim,
      template('confirmacion_pedido', 'es_MX', [bodyParams('María\nJosé', '#1'), urlButton('1')]),
    );
    expect(errorOf(newline)).toMatchObject({
      code: 100,
      error_data: { details: expect.stringContaining('new-line/tab') as unknown },
    });
    const unknownMedia = await send(
      sim,
      template('promo_temporada', 'es_MX', [
        { type: 'header', parameters: [{ type: 'image', image: { id: '1234567890' } }] },
        bodyParams('a', 'b'),
      ]),
    );
    expect(errorOf(unknownMedia).code).toBe(131053);

    expect(sim.sends()).toEqual([]);
    expect(sim.attempts().map((a) => a.errorCode)).toEqual([
      ...cases.map((c) => c.expected.error.code),
      100,
      131053,
    ]);
    expect(new Set(sim.attempts().map((a) => a.outcome))).toEqual(new Set(['rejected']));
  });

  it('prices template statuses by category: billable outside the window, utility free inside it', async () => {
    const { sim, receiver, clock } = await setup();
    const utility = template('confirmacion_pedido', 'es_MX', [
      bodyParams('María', '#1'),
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '1' }] },
    ]);
    const marketing = template('promo_temporada', 'es_MX', [
      {
        type: 'header',
        parameters: [{ type: 'image', image: { link: 'https://tienda.example.mx/otono.jpg' } }],
      },
      bodyParams('María', 'OTONO20'),
    ]);
    const authentication = template('codigo_verificacion', 'es_MX', [
      bodyParams('1234'),
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '1234' }] },
    ]);
    const outside = [
      wamidOf(await send(sim, utility)),
      wamidOf(await send(sim, marketing)),
      wamidOf(await send(sim, authentication)),
    ];
    await sim.sendInboundText({ from: CUSTOMER, text: 'Hola, ¿mi pedido?' });
    clock.advance(3_600_000);
    const inside = [
      wamidOf(await send(sim, utility)),
      wamidOf(await send(sim, marketing)),
      wamidOf(await send(sim, text('Con gusto'))),
    ];
    clock.advance(24 * 3_600_000);
    const afterWindow = wamidOf(await send(sim, utility));

    for (const wamid of [...outside, ...inside, afterWindow])
      await sim.sendStatus({ wamid, status: 'delivered' });
    const pricing = z
      .array(
        z.object({
          entry: z.tuple([
            z.object({
              changes: z.tuple([
                z.object({ value: z.object({ statuses: z.tuple([z.object({ pricing: z.unknown() })]) }) }),
              ]),
            }),
          ]),
        }),
      )
      .parse(receiver.bodies.slice(1))
      .map((body) => body.entry[0].changes[0].value.statuses[0].pricing);
    const priced = (billable: boolean, type: string, category: string) => ({
      billable,
      pricing_model: 'PMP',
      type,
      category,
    });
    expect(pricing).toEqual([
      priced(true, 'regular', 'utility'),
      priced(true, 'regular', 'marketing'),
      priced(true, 'regular', 'authentication'),
      priced(false, 'free_customer_service', 'utility'),
      priced(true, 'regular', 'marketing'),
      priced(false, 'free_customer_service', 'service'),
      priced(true, 'regular', 'utility'),
    ]);
  });
});

describe('POST /{version}/{phone-number-id}/media and media sends', () => {
  it('stores a multipart upload, answers {id}, records it, and serves it back through the media flow', async () => {
    const { sim } = await setup();
    const answer = await upload(sim, { bytes: PNG, type: 'image/png', filename: 'blusa.png' });
    expect(answer.status).toBe(200);
    const id = uploadedId(answer);
    expect(answer.json).toEqual({ id: expect.stringMatching(/^\d{15}$/) as unknown });
    const recorded = {
      id,
      phoneNumberId: NUMBER,
      mimeType: 'image/png',
      filename: 'blusa.png',
      size: PNG.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      at: START,
    };
    expect(sim.uploads()).toEqual([recorded]);
    expect((await call(sim, 'GET', '/_sim/uploads')).json).toEqual({ uploads: [recorded] });

    const info = z
      .object({ url: z.string(), file_size: z.number() })
      .parse((await call(sim, 'GET', `/${sim.graphVersion}/${id}`)).json);
    expect(info.file_size).toBe(PNG.length);
    const download = await fetch(info.url, { headers: { authorization: `Bearer ${ACCESS_TOKEN}` } });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);

    const sent = await send(sim, { type: 'image', image: { id, caption: 'Así queda la blusa' } });
    expect(sent.status).toBe(200);
    expect(sim.sends()[0]).toMatchObject({ type: 'image', text: 'Así queda la blusa' });
  });

  it("enforces WhatsApp's types and sizes with 131053, and the form's fields with code 100", async () => {
    const { sim } = await setup();
    const gif = await upload(sim, { bytes: Buffer.from('GIF89a'), type: 'image/gif' });
    expect(gif.status).toBe(400);
    expect(errorOf(gif)).toMatchObject({ code: 131053, message: '(#131053) Media upload error' });
    expect(errorOf(gif).error_data?.details).toContain("Received file of type 'image/gif'");
    const big = await upload(sim, { bytes: Buffer.alloc(5 * 1024 * 1024 + 1, 1), type: 'image/jpeg' });
    expect(errorOf(big)).toMatchObject({
      code: 131053,
      error_data: { details: expect.stringContaining('5242880') as unknown },
    });
    const bigSticker = await upload(sim, { bytes: Buffer.alloc(600 * 1024, 1), type: 'image/webp' });
    expect(errorOf(bigSticker).code).toBe(131053);

    const noProduct = await upload(sim, { bytes: PNG, type: 'image/png' }, { messagingProduct: null });
    expect(errorOf(noProduct)).toMatchObject({
      code: 100,
      message: '(#100) The parameter messaging_product is required.',
    });
    const noType = await upload(sim, { bytes: PNG, type: 'image/png' }, { type: null });
    expect(errorOf(noType)).toMatchObject({ code: 100, message: '(#100) The parameter type is required.' });
    const notMultipart = await call(sim, 'POST', `/${sim.graphVersion}/${NUMBER}/media`, {
      body: { file: 'x' },
    });
    expect(errorOf(notMultipart).code).toBe(100);
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', 'image/png');
    const noFile = await call(sim, 'POST', `/${sim.graphVersion}/${NUMBER}/media`, { form });
    expect(errorOf(noFile)).toMatchObject({ message: '(#100) The parameter file is required.' });
    const noToken = await call(sim, 'POST', `/${sim.graphVersion}/${NUMBER}/media`, { form, token: null });
    expect(errorOf(noToken).code).toBe(190);
    expect(sim.uploads()).toEqual([]);

    const pdf = uploadedId(
      await upload(sim, {
        bytes: Buffer.from('%PDF-1.7 factura'),
        type: 'application/pdf',
        filename: 'factura.pdf',
      }),
    );
    expect(sim.uploads()).toHaveLength(1);
    const pdfAsImage = await send(sim, { type: 'image', image: { id: pdf } });
    expect(errorOf(pdfAsImage)).toMatchObject({
      code: 131053,
      error_data: { details: expect.stringContaining('application/pdf') as unknown },
    });
    const neverUploaded = await send(sim, { type: 'document', document: { id: '987654321012345' } });
    expect(neverUploaded.json).toEqual(
      metaError(
        131053,
        'Media upload error',
        'Media id 987654321012345 was not uploaded by this business; upload it with POST /{phone-number-id}/media first.',
      ),
    );
    expect(
      (
        await send(sim, {
          type: 'document',
          document: { id: pdf, filename: 'factura.pdf', caption: 'Tu factura' },
        })
      ).status,
    ).toBe(200);
  });

  it('accepts media by link, reactions, interactive, location and contacts like Meta, and refuses malformed ones with 100', async () => {
    const { sim } = await setup();
    const accepted = [
      { type: 'audio', audio: { link: 'https://tienda.example.mx/nota.ogg' } },
      { type: 'video', video: { link: 'https://tienda.example.mx/unboxing.mp4', caption: 'Así llega' } },
      { type: 'sticker', sticker: { link: 'https://tienda.example.mx/gracias.webp' } },
      {
        type: 'reaction',
        reaction: {
          message_id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
          emoji: '👍',
        },
      },
      {
        type: 'reaction',
        reaction: { message_id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', emoji: '' },
      },
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: '¿Confirmas la entrega?' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'si', title: 'Sí' } },
              { type: 'reply', reply: { id: 'no', title: 'No' } },
            ],
          },
        },
      },
      { type: 'location', location: { latitude: 19.4326, longitude: -99.1332, name: 'Tienda Centro' } },
      {
        type: 'contacts',
        contacts: [{ name: { formatted_name: 'Soporte La Ventana' }, phones: [{ phone: '+525512345000' }] }],
      },
    ];
    for (const body of accepted) {
      const answer = await send(sim, body);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    }
    expect(sim.sends().map((s) => [s.type, s.text])).toEqual([
      ['audio', null],
      ['video', 'Así llega'],
      ['sticker', null],
      ['reaction', '👍'],
      ['reaction', ''],
      ['interactive', '¿Confirmas la entrega?'],
      ['location', null],
      ['contacts', null],
    ]);

    const refused: [unknown, string][] = [
      [
        { type: 'audio', audio: { link: 'https://tienda.example.mx/nota.ogg', caption: 'escucha' } },
        'audio.caption',
      ],
      [{ type: 'image', image: { id: '1', link: 'https://tienda.example.mx/a.png' } }, 'image'],
      [{ type: 'image', image: { link: 'ftp://tienda.example.mx/a.png' } }, 'image.link'],
      [
        {
          type: 'interactive',
          interactive: { type: 'button', body: { text: '¿Cuál?' }, action: { buttons: [1, 2, 3, 4] } },
        },
        'interactive.action.buttons',
      ],
      [{ type: 'reaction', reaction: { emoji: '👍' } }, 'reaction.message_id'],
      [{ type: 'location', location: { latitude: 100, longitude: 0 } }, 'location.latitude'],
    ];
    for (const [body, mentions] of refused) {
      const answer = await send(sim, body);
      expect(answer.status, mentions).toBe(400);
      expect(errorOf(answer)).toMatchObject({
        code: 100,
        message: expect.stringContaining(mentions) as unknown,
      });
    }
    expect(sim.sends()).toHaveLength(accepted.length);
  });

  it('answers mark-read with {success: true} and records it as a read, not a send', async () => {
    const { sim } = await setup();
    const messageId = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=';
    const answer = await call(sim, 'POST', `/${sim.graphVersion}/${NUMBER}/messages`, {
      body: {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: messageId,
        typing_indicator: { type: 'text' },
      },
    });
    expect(answer).toEqual({ status: 200, json: { success: true } });
    expect(sim.reads()).toEqual([{ phoneNumberId: NUMBER, messageId, typingIndicator: true, at: START }]);
    expect(sim.sends()).toEqual([]);
    expect(sim.attempts()).toEqual([
      {
        phoneNumberId: NUMBER,
        to: null,
        type: 'read',
        outcome: 'accepted',
        httpStatus: 200,
        errorCode: null,
        wamid: null,
        at: START,
      },
    ]);
    expect((await call(sim, 'GET', '/_sim/reads')).json).toEqual({ reads: sim.reads() });
  });
});

describe('Graph faults on demand', () => {
  it("answers each armed WhatsApp error in Meta's envelope with its HTTP status, `count` times, then sends again", async () => {
    const { sim } = await setup();
    const cases: {
      error: { code: number; httpStatus?: number; details?: string };
      status: number;
      body: unknown;
    }[] = [
      {
        error: { code: 130429 },
        status: 429,
        body: metaError(130429, 'Rate limit hit', 'Cloud API message throughput has been reached.'),
      },
      {
        error: { code: 131047 },
        status: 400,
        body: metaError(
          131047,
          'Re-engagement message',
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        ),
      },
      {
        error: { code: 131056, httpStatus: 429 },
        status: 429,
        body: metaError(
          131056,
          '(Business Account, Consumer Account) pair rate limit hit',
          'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
        ),
      },
      {
        error: {
          code: 132000,
          details:
            'header: number of localizable_params (0) does not match the expected number of params (1)',
        },
        status: 400,
        body: metaError(
          132000,
          'Number of parameters does not match the expected number of params',
          'header: number of localizable_params (0) does not match the expected number of params (1)',
        ),
      },
      {
        error: { code: 190 },
        status: 401,
        body: {
          error: {
            message: 'Invalid OAuth access token - Cannot parse access token',
            type: 'OAuthException',
            code: 190,
            fbtrace_id: expect.any(String) as unknown,
          },
        },
      },
    ];
    for (const { error, status, body } of cases) {
      sim.failNextSends({ count: 2, error });
      for (let attempt = 0; attempt < 2; attempt++) {
        const answer = await send(sim, text('hola'));
        expect({ status: answer.status, json: answer.json }, JSON.stringify(error)).toEqual({
          status,
          json: body,
        });
      }
      expect((await send(sim, text('hola'))).status).toBe(200);
    }
    expect(sim.sends()).toHaveLength(cases.length);
    expect(sim.attempts().map((a) => a.errorCode)).toEqual(
      cases.flatMap((c) => [c.error.code, c.error.code, null]),
    );
  });

  it('answers a 5xx (code 2, transient), or an error body with HTTP 200, without recording a send', async () => {
    const { sim } = await setup();
    sim.failNextSends({ error: { httpStatus: 500 } });
    sim.failNextSends({ error: { errorWith200: true, code: 131026 } });
    const fiveHundred = await send(sim, text('hola'));
    expect(fiveHundred).toEqual({
      status: 500,
      json: {
        error: {
          message: 'An unexpected error has occurred. Please retry your request later.',
          type: 'OAuthException',
          code: 2,
          is_transient: true,
          fbtrace_id: expect.any(String) as unknown,
        },
      },
    });
    const with200 = await send(sim, text('hola'));
    expect(with200.status).toBe(200);
    expect(errorOf(with200)).toMatchObject({ code: 131026, message: '(#131026) Message undeliverable' });
    expect(sim.sends()).toEqual([]);
  });

  it('a 5xx or a hang Meta carried out is recorded, and a later status settles it through biz_opaque_callback_data', async () => {
    const { sim, receiver } = await setup();
    sim.failNextSends({ error: { httpStatus: 503, accepted: true } });
    const answer = await send(sim, text('¿Llegó?', { biz_opaque_callback_data: 'mutation-503' }));
    expect(answer.status).toBe(503);
    expect(sim.sends()).toMatchObject([{ bizOpaqueCallbackData: 'mutation-503' }]);

    sim.failNextSends({ error: { hang: true } });
    const accepted = new Promise<string>((resolve) => {
      const stop = sim.onSend((sent) => {
        stop();
        resolve(sent.wamid);
      });
    });
    const caller = new AbortController();
    const hung = fetch(`${sim.url}/${sim.graphVersion}/${NUMBER}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: CUSTOMER,
        type: 'text',
        text: { body: 'Sin respuesta' },
        biz_opaque_callback_data: 'mutation-hang',
      }),
      signal: caller.signal,
    });
    const wamid = await accepted;
    // The relay gives up waiting (its timeout); the send went out all the same.
    caller.abort();
    await expect(hung).rejects.toThrow();
    expect(sim.attempts().map((a) => a.outcome)).toEqual(['rejected', 'hung']);
    expect(sim.attempts()[1]).toMatchObject({ wamid, httpStatus: null });

    await sim.sendStatus({ wamid, status: 'delivered' });
    await receiver.received(1);
    expect(receiver.bodies[0]).toMatchObject({
      entry: [
        {
          changes: [
            {
              value: {
                statuses: [{ id: wamid, status: 'delivered', biz_opaque_callback_data: 'mutation-hang' }],
              },
            },
          ],
        },
      ],
    });
  });

  it('a hang Meta did not carry out records nothing, and a refusal resets the connection before the request is read', async () => {
    const { sim } = await setup();
    sim.failNextSends({ error: { hang: true, accepted: false } });
    // Never answered: it ends when the simulator closes, at the end of the test.
    const hung = send(sim, text('nunca')).catch(() => 'connection closed');
    await expect
      .poll(() => sim.attempts())
      .toMatchObject([{ outcome: 'hung', to: CUSTOMER, httpStatus: null, wamid: null }]);
    expect(sim.sends()).toEqual([]);

    sim.failNextSends({ error: { refuse: true } });
    await expect(send(sim, text('rechazado'))).rejects.toThrow(/fetch failed/);
    expect(sim.attempts().at(-1)).toMatchObject({
      outcome: 'refused',
      to: null,
      type: null,
      httpStatus: null,
    });
    expect((await send(sim, text('ya pasa'))).status).toBe(200);
    expect(sim.sends().map((s) => s.text)).toEqual(['ya pasa']);
    await sim.close();
    expect(await hung).toBe('connection closed');
  });

  it('scopes a fault to one recipient: other customers and mark-reads pass', async () => {
    const { sim } = await setup();
    sim.failNextSends({ to: OTHER_CUSTOMER, error: { code: 131026 } });
    expect((await send(sim, text('para ti'))).status).toBe(200);
    const read = await call(sim, 'POST', `/${sim.graphVersion}/${NUMBER}/messages`, {
      body: { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X' },
    });
    expect(read.json).toEqual({ success: true });
    expect(errorOf(await send(sim, text('para el otro'), `+${OTHER_CUSTOMER}`)).code).toBe(131026);
    expect((await send(sim, text('para el otro'), OTHER_CUSTOMER)).status).toBe(200);

    sim.failNextSends({ to: OTHER_CUSTOMER, error: { refuse: true } });
    expect((await send(sim, text('pasa'))).status).toBe(200);
    await expect(send(sim, text('no pasa'), OTHER_CUSTOMER)).rejects.toThrow();
    expect(sim.sends().map((s) => s.text)).toEqual(['para ti', 'para el otro', 'pasa']);
  });

  it('the pair rate limit answers 131056 to a second send to the same customer within 6 s of the simulator clock', async () => {
    const { sim, clock } = await setup();
    sim.pairRateLimit({ enabled: true });
    expect((await send(sim, text('uno'))).status).toBe(200);
    clock.advance(5_999);
    const tooSoon = await send(sim, text('dos'));
    expect(tooSoon).toEqual({
      status: 400,
      json: metaError(
        131056,
        '(Business Account, Consumer Account) pair rate limit hit',
        'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
      ),
    });
    expect((await send(sim, text('otro cliente'), OTHER_CUSTOMER)).status).toBe(200);
    clock.advance(1);
    expect((await send(sim, text('dos'))).status).toBe(200);
    expect(errorOf(await send(sim, text('tres'))).code).toBe(131056);

    sim.clearFaults();
    expect((await send(sim, text('tres'))).status).toBe(200);
    expect(sim.sends().map((s) => s.text)).toEqual(['uno', 'otro cliente', 'dos', 'tres']);
  });

  it('fails uploads on demand too', async () => {
    const { sim } = await setup();
    sim.failNextUploads({ error: { httpStatus: 500 } });
    sim.failNextUploads({ error: { code: 131053, details: 'Upload failed: storage unavailable' } });
    expect((await upload(sim, { bytes: PNG, type: 'image/png' })).status).toBe(500);
    expect(errorOf(await upload(sim, { bytes: PNG, type: 'image/png' }))).toMatchObject({
      code: 131053,
      error_data: { details: 'Upload failed: storage unavailable' },
    });
    expect(sim.uploads()).toEqual([]);
    expect((await upload(sim, { bytes: PNG, type: 'image/png' })).status).toBe(200);
  });

  it('are armed, listed and cleared over HTTP, and bad fault bodies are refused with 400', async () => {
    const { sim, clock } = await setup();
    const armed = await call(sim, 'POST', '/_sim/faults/fail-sends', {
      body: { count: 2, to: CUSTOMER, error: { code: 130429 } },
    });
    expect(armed).toEqual({
      status: 200,
      json: {
        sends: [{ outcome: { kind: 'error', error: { code: 130429 } }, remaining: 2, to: CUSTOMER }],
        uploads: [],
        pairRateLimit: { enabled: false, windowMs: 6000 },
      },
    });
    await call(sim, 'POST', '/_sim/faults/fail-uploads', { body: { error: { hang: true } } });
    await call(sim, 'POST', '/_sim/faults/pair-rate-limit', { body: { enabled: true, windowMs: 1000 } });
    expect((await call(sim, 'GET', '/_sim/faults/graph')).json).toMatchObject({
      sends: [{ remaining: 2 }],
      uploads: [{ outcome: { kind: 'hang', accepted: false }, remaining: 1, to: null }],
      pairRateLimit: { enabled: true, windowMs: 1000 },
    });
    expect(errorOf(await send(sim, text('hola'))).code).toBe(130429);
    expect((await call(sim, 'GET', '/_sim/attempts')).json).toMatchObject({
      attempts: [{ outcome: 'rejected', errorCode: 130429, to: CUSTOMER, type: 'text' }],
    });

    await call(sim, 'DELETE', '/_sim/faults');
    expect(sim.graphFaults()).toEqual({
      sends: [],
      uploads: [],
      pairRateLimit: { enabled: false, windowMs: 6000 },
    });
    clock.advance(1);
    expect((await send(sim, text('hola'))).status).toBe(200);

    for (const body of [
      { error: { httpStatus: 200 } },
      { error: { code: 130429, hang: true } },
      { count: 0, error: { code: 130429 } },
      { to: '+52 55', error: { code: 130429 } },
      { error: { refuse: false } },
    ]) {
      const answer = await call(sim, 'POST', '/_sim/faults/fail-sends', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json).toMatchObject({ error: { code: 'SIM_INVALID_BODY' } });
    }
    expect(sim.graphFaults().sends).toEqual([]);
  });
});

describe('failed status webhooks', () => {
  it("carry Meta's error object: title, message, details and href, from the catalog when only a code is given", async () => {
    const { sim, receiver } = await setup();
    const wamid = wamidOf(await send(sim, text('¿Sigues ahí?', { biz_opaque_callback_data: 'mutation-9' })));
    await sim.sendStatus({ wamid, status: 'failed', error: { code: 131026 } });
    await sim.sendStatus({
      wamid,
      status: 'failed',
      error: {
        code: 131053,
        title: 'Media upload error',
        details: 'Downloading media from weblink failed with http code 429, status message Too Many Requests',
      },
    });
    const errors = z
      .array(
        z.object({
          entry: z.tuple([
            z.object({
              changes: z.tuple([
                z.object({
                  value: z.object({ statuses: z.tuple([z.looseObject({ errors: z.array(z.unknown()) })]) }),
                }),
              ]),
            }),
          ]),
        }),
      )
      .parse(receiver.bodies)
      .map((body) => body.entry[0].changes[0].value.statuses[0]);
    const href = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';
    expect(errors).toEqual([
      {
        id: wamid,
        status: 'failed',
        timestamp: String(START / 1000),
        recipient_id: CUSTOMER,
        biz_opaque_callback_data: 'mutation-9',
        errors: [
          {
            code: 131026,
            title: 'Message undeliverable',
            message: 'Message undeliverable',
            error_data: { details: expect.stringContaining('not a WhatsApp phone number') as unknown },
            href,
          },
        ],
      },
      expect.objectContaining({
        errors: [
          {
            code: 131053,
            title: 'Media upload error',
            message: 'Media upload error',
            error_data: {
              details:
                'Downloading media from weblink failed with http code 429, status message Too Many Requests',
            },
            href,
          },
        ],
      }),
    ]);
  });
});
