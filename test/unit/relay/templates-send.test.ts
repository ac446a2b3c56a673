// Template sends checked and built before anything reaches Meta, against templates shaped like
// Meta's list answer (test/fixtures/templates): the exact Graph body for each kind, and a refusal
// naming every problem for each rule (status, unsupported kinds, header, body, buttons).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Template } from '../../../src/shared/domain.ts';
import { templateParametersSchema, type TemplateParameters } from '../../../src/shared/protocol.ts';
import { templateFromListing } from '../../../src/relay/catalog/templates.ts';
import {
  prepareTemplateSend,
  type PreparedTemplateSend,
} from '../../../src/relay/templates/prepare-template-send.ts';
import { readTemplatePage } from '../../../src/relay/templates/template-listing.ts';

const fixture: unknown = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/templates/account-templates.json'), 'utf8'),
);
const account: Template[] = readTemplatePage(fixture).templates.map((listed) =>
  templateFromListing(null, listed, 1_000),
);

function template(name: string, language = 'en_US'): Template {
  const found = account.find((t) => t.name === name && t.language === language);
  if (found === undefined) throw new Error(`no fixture template ${name} ${language}`);
  return found;
}

/** Values as a console sends them (parsed by the same schema, so defaults apply). */
const values = (input: unknown): TemplateParameters => templateParametersSchema.parse(input);

function send(name: string, parameters: unknown, language = 'en_US'): PreparedTemplateSend {
  return prepareTemplateSend(template(name, language), { name, language, parameters: values(parameters) });
}

function sent(name: string, parameters: unknown, language = 'en_US') {
  const prepared = send(name, parameters, language);
  if (!prepared.ok) throw new Error(`refused: ${prepared.refusal.message}`);
  return prepared.message;
}

function refusal(name: string, parameters: unknown, language = 'en_US') {
  const prepared = send(name, parameters, language);
  if (prepared.ok) throw new Error('expected a refusal');
  return prepared.refusal;
}

const language = (code: string) => ({ code, policy: 'deterministic' });

describe('the Graph body of each template kind', () => {
  it('a static template: name and language only, the body text as the customer reads it', () => {
    const message = sent('hello_world', {});
    expect(message.body).toEqual({
      type: 'template',
      template: { name: 'hello_world', language: language('en_US') },
    });
    expect(message.uploads).toEqual([]);
    expect(message.text).toMatch(/^Welcome and congratulations!!/);
  });

  it('positional: header text, body values in number order, a URL suffix and a quick-reply payload', () => {
    const message = sent(
      'order_update',
      {
        header: { type: 'text', text: '#4821' },
        body: { '3': 'en camino', '1': 'Ana', '2': '#4821' },
        buttons: { '0': '4821', '1': 'HUMAN_PLEASE' },
      },
      'es_MX',
    );
    expect(message.body).toEqual({
      type: 'template',
      template: {
        name: 'order_update',
        language: language('es_MX'),
        components: [
          { type: 'header', parameters: [{ type: 'text', text: '#4821' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: '#4821' },
              { type: 'text', text: 'en camino' },
            ],
          },
          { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: '4821' }] },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: 1,
            parameters: [{ type: 'payload', payload: 'HUMAN_PLEASE' }],
          },
        ],
      },
    });
    expect(message.text).toBe('Hola Ana, tu pedido #4821 está en camino. Responde aquí si algo no cuadra.');
  });

  it('leaves out a quick-reply button sent without a payload', () => {
    const message = sent('order_update', {
      header: { type: 'text', text: '#1' },
      body: { '1': 'Ana', '2': '#1', '3': 'ready' },
      buttons: { '0': '1' },
    });
    const components = (message.body.template as { components: { type: string }[] }).components;
    expect(components.filter((c) => c.type === 'button')).toHaveLength(1);
  });

  it('named: each value carries its parameter_name; an image header by link', () => {
    const message = sent('table_reservation', {
      header: { type: 'image', link: 'https://cdn.example.com/terrace.jpg' },
      body: { guest_name: 'Ana', number_of_guests: '4', day: 'Saturday', time: '8 pm' },
    });
    expect(message.body).toEqual({
      type: 'template',
      template: {
        name: 'table_reservation',
        language: language('en_US'),
        components: [
          {
            type: 'header',
            parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/terrace.jpg' } }],
          },
          {
            type: 'body',
            parameters: [
              { type: 'text', parameter_name: 'guest_name', text: 'Ana' },
              { type: 'text', parameter_name: 'number_of_guests', text: '4' },
              { type: 'text', parameter_name: 'day', text: 'Saturday' },
              { type: 'text', parameter_name: 'time', text: '8 pm' },
            ],
          },
        ],
      },
    });
    expect(message.uploads).toEqual([]);
    expect(message.text).toBe(
      "*You're all set, Ana!*\n\nA table for 4 on Saturday at 8 pm is waiting for you.",
    );
  });

  it('named header text carries its parameter_name too', () => {
    const message = sent('welcome_back', {
      header: { type: 'text', text: 'Ana' },
      body: { points: '1200' },
    });
    expect((message.body.template as { components: unknown[] }).components).toEqual([
      { type: 'header', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ana' }] },
      { type: 'body', parameters: [{ type: 'text', parameter_name: 'points', text: '1200' }] },
    ]);
  });

  it('an uploaded document header is left for the dispatcher, with its file name', () => {
    const message = sent('invoice_ready', {
      header: { type: 'document', uploadId: 'upl_123', filename: 'invoice-4821.pdf' },
      body: { '1': 'Ana' },
    });
    expect((message.body.template as { components: unknown[] }).components[0]).toEqual({
      type: 'header',
      parameters: [{ type: 'document', document: { filename: 'invoice-4821.pdf' } }],
    });
    expect(message.uploads).toEqual([
      { uploadId: 'upl_123', path: ['template', 'components', 0, 'parameters', 0, 'document'] },
    ]);
  });

  it('a video header by upload', () => {
    const message = sent('unboxing_video', { header: { type: 'video', uploadId: 'upl_9' } });
    expect(message.body.template).toEqual({
      name: 'unboxing_video',
      language: language('en_US'),
      components: [{ type: 'header', parameters: [{ type: 'video', video: {} }] }],
    });
    expect(message.uploads).toEqual([
      { uploadId: 'upl_9', path: ['template', 'components', 0, 'parameters', 0, 'video'] },
    ]);
  });

  it('a location header with its coordinates, name and address', () => {
    const message = sent('delivery_spot', {
      header: {
        type: 'location',
        latitude: 19.4326,
        longitude: -99.1332,
        name: 'Front desk',
        address: 'Av. Reforma 1',
      },
      body: { '1': 'Ana', '2': '#4821' },
    });
    expect((message.body.template as { components: unknown[] }).components[0]).toEqual({
      type: 'header',
      parameters: [
        {
          type: 'location',
          location: {
            latitude: '19.4326',
            longitude: '-99.1332',
            name: 'Front desk',
            address: 'Av. Reforma 1',
          },
        },
      ],
    });
  });

  it('an authentication template: the code in the body and in the copy-code (URL) button', () => {
    const message = sent('login_code', { body: { '1': '583920' }, buttons: { '0': '583920' } });
    expect(message.body.template).toEqual({
      name: 'login_code',
      language: language('en_US'),
      components: [
        { type: 'body', parameters: [{ type: 'text', text: '583920' }] },
        { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: '583920' }] },
      ],
    });
    expect(message.text).toBe(
      '*583920* is your verification code. For your security, do not share this code.',
    );
  });

  it('a coupon code: copy_code with a coupon_code parameter; the fixed text header takes nothing', () => {
    const message = sent('autumn_coupon', {
      body: { '1': 'AUTUMN25', '2': '25%' },
      buttons: { '1': 'AUTUMN25' },
    });
    expect((message.body.template as { components: unknown[] }).components).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'AUTUMN25' },
          { type: 'text', text: '25%' },
        ],
      },
      {
        type: 'button',
        sub_type: 'copy_code',
        index: 1,
        parameters: [{ type: 'coupon_code', coupon_code: 'AUTUMN25' }],
      },
    ]);
  });
});

describe('templates that cannot be sent', () => {
  it('an unknown template, naming the languages the name exists in', () => {
    const prepared = prepareTemplateSend(
      null,
      { name: 'order_update', language: 'pt_BR', parameters: values({}) },
      ['en_US', 'es_MX'],
    );
    expect(prepared).toEqual({
      ok: false,
      refusal: {
        code: 'TEMPLATE_NOT_FOUND',
        message: 'There is no template "order_update" (pt_BR); it exists in en_US, es_MX.',
      },
    });
  });

  it.each([
    ['cart_reminder', 'PAUSED', /is paused by Meta/],
    ['mega_sale', 'REJECTED', /was rejected by Meta.*Meta says: INVALID_FORMAT/],
    ['spring_launch', 'PENDING', /waiting for Meta’s review/],
  ])('%s (%s) is refused with Meta’s status in words', (name, _status, words) => {
    const refused = refusal(name, { body: { '1': 'Ana' } });
    expect(refused.code).toBe('TEMPLATE_NOT_SENDABLE');
    expect(refused.message).toMatch(words);
    expect(refused.message).toContain('only approved templates can be sent');
  });

  it('a paused template carries the reason its webhook gave', () => {
    const paused = {
      ...template('order_update'),
      status: 'PAUSED',
      reason: 'Customers blocked this template',
    };
    const prepared = prepareTemplateSend(paused, {
      name: 'order_update',
      language: 'en_US',
      parameters: values({}),
    });
    expect(prepared.ok === false && prepared.refusal.message).toContain(
      'Meta says: Customers blocked this template.',
    );
  });

  it('a template known only from a webhook (no components yet) asks for a refresh', () => {
    const unsynced = { ...template('hello_world'), components: [], parameterFormat: null };
    const prepared = prepareTemplateSend(unsynced, {
      name: 'hello_world',
      language: 'en_US',
      parameters: values({}),
    });
    expect(prepared.ok).toBe(false);
    expect(prepared.ok === false && prepared.refusal).toMatchObject({
      code: 'TEMPLATE_NOT_SENDABLE',
      message: expect.stringContaining('Refresh the templates') as unknown,
    });
  });

  it.each([
    ['rare_plants_carousel', 'a carousel'],
    ['flash_offer', 'a limited-time offer'],
    ['book_appointment', 'a Flow button'],
    ['new_arrivals_catalog', 'a catalog button'],
  ])('%s is refused as not supported, naming %s', (name, kind) => {
    expect(refusal(name, { body: { '1': 'Ana' } })).toEqual({
      code: 'TEMPLATE_NOT_SUPPORTED',
      message: `The template "${name}" (en_US) has ${kind}, which Ventana cannot send yet.`,
    });
  });
});

describe('parameter checks', () => {
  const parametersMessage = (name: string, parameters: unknown, language = 'en_US'): string => {
    const refused = refusal(name, parameters, language);
    expect(refused.code).toBe('TEMPLATE_PARAMETERS');
    return refused.message;
  };

  it('names every missing and every extra body value at once', () => {
    const message = parametersMessage('order_update', {
      header: { type: 'text', text: '#1' },
      body: { '1': 'Ana', nombre: 'Ana', '7': 'x' },
      buttons: { '0': '1' },
    });
    expect(message).toBe(
      'The template "order_update" (en_US) cannot be sent with these values: body {{2}} needs a value; body {{3}} needs a value; body {{7}}, {{nombre}} are not in this template (its variables are {{1}}, {{2}}, {{3}}).',
    );
  });

  it('named templates want values by name', () => {
    const message = parametersMessage('welcome_back', {
      header: { type: 'text', text: 'Ana' },
      body: { '1': '1200' },
    });
    expect(message).toContain('body {{points}} needs a value');
    expect(message).toContain('body {{1}} is not in this template (its variables are {{points}})');
  });

  it('refuses values Meta would refuse: blank, line breaks, tabs, long runs of spaces, too long', () => {
    const message = parametersMessage('order_update', {
      header: { type: 'text', text: 'x'.repeat(61) },
      body: { '1': '   ', '2': 'line\nbreak', '3': 'wide     gap' },
      buttons: { '0': 'tab\there' },
    });
    expect(message).toContain('the header {{1}} is longer than 60 characters');
    expect(message).toContain('body {{1}} needs a value');
    expect(message).toContain('body {{2}} cannot contain line breaks, tabs or more than 4 spaces in a row');
    expect(message).toContain('body {{3}} cannot contain line breaks');
    expect(message).toContain('button 0 ("Track order") link suffix cannot contain line breaks');
  });

  it('a body value may be long when the body is the only part with values', () => {
    expect(
      send('invoice_ready', {
        header: { type: 'document', link: 'https://x.example/a.pdf' },
        body: { '1': 'a'.repeat(1025) },
      }).ok,
    ).toBe(false);
    const onlyBody = {
      ...template('invoice_ready'),
      components: template('invoice_ready').components.slice(1),
    };
    const prepared = prepareTemplateSend(onlyBody, {
      name: 'invoice_ready',
      language: 'en_US',
      parameters: values({ body: { '1': 'a'.repeat(1025) } }),
    });
    expect(prepared.ok).toBe(true);
  });

  it('header text: required when the header has a variable, refused when it is fixed or absent', () => {
    expect(
      parametersMessage('order_update', { body: { '1': 'a', '2': 'b', '3': 'c' }, buttons: { '0': '1' } }),
    ).toContain('the header {{1}} needs a value');
    expect(
      parametersMessage('autumn_coupon', {
        header: { type: 'text', text: 'Sale' },
        body: { '1': 'A1', '2': '5%' },
        buttons: { '1': 'A1' },
      }),
    ).toContain('the header is fixed text, so it takes no value');
    expect(
      parametersMessage('login_code', {
        header: { type: 'text', text: 'x' },
        body: { '1': '1' },
        buttons: { '0': '1' },
      }),
    ).toContain('the template has no header, so it takes no header value');
  });

  it('media headers: the right kind, a file or an https link (one of them), a file name only for documents', () => {
    const body = { '1': 'Ana' };
    expect(parametersMessage('invoice_ready', { body })).toContain(
      'the header document needs an uploaded file or an https link',
    );
    expect(parametersMessage('invoice_ready', { header: { type: 'image', uploadId: 'u1' }, body })).toContain(
      'the header is a document, not an image',
    );
    expect(parametersMessage('invoice_ready', { header: { type: 'text', text: 'x' }, body })).toContain(
      'the header is a document, not text',
    );
    expect(parametersMessage('invoice_ready', { header: { type: 'document' }, body })).toContain(
      'the header document needs an uploaded file or an https link',
    );
    expect(
      parametersMessage('invoice_ready', {
        header: { type: 'document', uploadId: 'u1', link: 'https://x.example/a.pdf' },
        body,
      }),
    ).toContain('the header document takes an uploaded file or a link, not both');
    expect(
      parametersMessage('invoice_ready', {
        header: { type: 'document', link: 'http://x.example/a.pdf' },
        body,
      }),
    ).toContain('the header document link must start with https://');
    expect(
      parametersMessage('unboxing_video', { header: { type: 'video', uploadId: 'u1', filename: 'a.mp4' } }),
    ).toContain('a file name only goes with a document header');
  });

  it('location headers: coordinates required and in range', () => {
    const body = { '1': 'Ana', '2': '#1' };
    expect(parametersMessage('delivery_spot', { body })).toContain(
      'the header location needs its coordinates',
    );
    const message = parametersMessage('delivery_spot', {
      header: { type: 'location', latitude: 91, longitude: -181 },
      body,
    });
    expect(message).toContain('latitude must be between -90 and 90');
    expect(message).toContain('longitude must be between -180 and 180');
  });

  it('buttons: a dynamic URL needs its suffix, a fixed one and a phone button take none, no button beyond the last', () => {
    const message = parametersMessage('order_update', {
      header: { type: 'text', text: '#1' },
      body: { '1': 'a', '2': 'b', '3': 'c' },
      buttons: { '2': 'x', first: 'y', '00': 'z' },
    });
    expect(message).toContain(
      'button 0 ("Track order") needs the end of its link (https://shop.example.com/track/{{1}})',
    );
    expect(message).toContain('there is no button 2 (the buttons are numbered 0 to 1)');
    expect(message).toContain('there is no button first');
    expect(message).toContain('there is no button 00');
    expect(
      parametersMessage('invoice_ready', {
        header: { type: 'document', uploadId: 'u' },
        body: { '1': 'a' },
        buttons: { '0': 'x' },
      }),
    ).toContain('button 0 ("Billing help") has a fixed link, so it takes no value');
    expect(
      parametersMessage('table_reservation', {
        header: { type: 'image', uploadId: 'u' },
        body: { guest_name: 'a', number_of_guests: '2', day: 'b', time: 'c' },
        buttons: { '0': '+1555' },
      }),
    ).toContain('button 0 ("Call us") takes no value');
    expect(parametersMessage('hello_world', { buttons: { '0': 'x' } })).toContain(
      'the template has no buttons, so "0" takes no value',
    );
  });

  it('quick replies: a payload is optional but not empty', () => {
    expect(
      parametersMessage('delivery_spot', {
        header: { type: 'location', latitude: 1, longitude: 2 },
        body: { '1': 'a', '2': 'b' },
        buttons: { '0': ' ' },
      }),
    ).toContain('button 0 ("Stop updates") payload is empty');
  });

  it('authentication: the button needs the code, the same code as the body', () => {
    expect(parametersMessage('login_code', { body: { '1': '583920' } })).toContain(
      'button 0 ("Copy code") needs the verification code',
    );
    expect(parametersMessage('login_code', { buttons: { '0': '583920' } })).toContain(
      'body {{1}} needs a value',
    );
    expect(
      parametersMessage('login_code', { body: { '1': '583920' }, buttons: { '0': '111111' } }),
    ).toContain('button 0 ("Copy code") must carry the same verification code as the body');
  });

  it('coupon codes: required, letters and digits, at most 15', () => {
    const body = { '1': 'AUTUMN25', '2': '25%' };
    expect(parametersMessage('autumn_coupon', { body })).toContain('button 1 needs the coupon code');
    expect(parametersMessage('autumn_coupon', { body, buttons: { '1': 'AUTUMN 25' } })).toContain(
      'coupon code may hold only letters and digits',
    );
    expect(parametersMessage('autumn_coupon', { body, buttons: { '1': 'A'.repeat(16) } })).toContain(
      'coupon code is longer than 15 characters',
    );
  });
});
