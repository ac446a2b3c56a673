// Template sends checked as Meta checks them, against the simulator's own template set: which
// parameters each kind of template takes, and the code and details of each refusal.
import { describe, expect, it } from 'vitest';
import { invalidParameter } from '../../../src/simulator/graph-errors.ts';
import { templateObjectSchema } from '../../../src/simulator/sends/send-schemas.ts';
import { SEED_TEMPLATES } from '../../../src/simulator/templates/catalog.ts';
import { checkTemplateSend, placeholders } from '../../../src/simulator/templates/template-send-check.ts';
import type { HeaderMediaCheck } from '../../../src/simulator/templates/template-send-check.ts';
import { TemplateStore } from '../../../src/simulator/templates/template-store.ts';

const store = new TemplateStore(SEED_TEMPLATES);
const anyMedia: HeaderMediaCheck = () => null;

function check(
  name: string,
  components: unknown[],
  options: { language?: string; media?: HeaderMediaCheck } = {},
) {
  const language = options.language ?? 'es_MX';
  const request = templateObjectSchema.parse({ name, language: { code: language }, components });
  return checkTemplateSend(store.find(name, language), request, options.media ?? anyMedia);
}

/** The refusal's code and details, or 'ok'. */
function outcome(result: ReturnType<typeof check>): string {
  if (result.ok) return 'ok';
  const { code, error_data } = result.error.body.error;
  return `${code}: ${error_data?.details ?? ''}`;
}

const body = (...values: string[]) => ({
  type: 'body',
  parameters: values.map((text) => ({ type: 'text', text })),
});
const named = (type: string, values: Record<string, string>) => ({
  type,
  parameters: Object.entries(values).map(([parameter_name, text]) => ({
    type: 'text',
    parameter_name,
    text,
  })),
});
const button = (index: number | string, subType: string, parameter: Record<string, unknown>) => ({
  type: 'button',
  sub_type: subType,
  index,
  parameters: [parameter],
});
const url = (index: number | string, text: string) => button(index, 'url', { type: 'text', text });

describe('placeholders', () => {
  it('finds positional and named variables once each, in order', () => {
    expect(placeholders('Hola {{1}}, tu pedido {{2}} ({{1}})')).toEqual(['1', '2']);
    expect(placeholders('Hola {{ nombre }}, llega el {{fecha_entrega}}')).toEqual([
      'nombre',
      'fecha_entrega',
    ]);
    expect(placeholders('Sin variables')).toEqual([]);
    expect(placeholders(undefined)).toEqual([]);
  });
});

describe('checkTemplateSend', () => {
  it('accepts positional body and URL-suffix parameters, with the button index as number or string', () => {
    expect(check('confirmacion_pedido', [body('María', '#1'), url('0', '1')])).toEqual({
      ok: true,
      text: 'Hola María, confirmamos tu pedido #1. Te avisaremos en cuanto salga de nuestra bodega.',
    });
    expect(
      outcome(check('confirmacion_pedido', [body('João', '#1'), url(0, '1')], { language: 'pt_BR' })),
    ).toBe('ok');
  });

  it('counts body, header and button parameters against the template', () => {
    expect(outcome(check('confirmacion_pedido', [body('María'), url(0, '1')]))).toBe(
      '132000: body: number of localizable_params (1) does not match the expected number of params (2)',
    );
    expect(outcome(check('confirmacion_pedido', [body('a', 'b', 'c'), url(0, '1')]))).toBe(
      '132000: body: number of localizable_params (3) does not match the expected number of params (2)',
    );
    expect(
      outcome(
        check('confirmacion_pedido', [
          { type: 'header', parameters: [{ type: 'text', text: 'x' }] },
          body('a', 'b'),
          url(0, '1'),
        ]),
      ),
    ).toBe(
      '132000: header: number of localizable_params (1) does not match the expected number of params (0)',
    );
    // The phone-number button at index 1 takes nothing, and no url sub_type.
    expect(outcome(check('confirmacion_pedido', [body('a', 'b'), url(0, '1'), url(1, '2')]))).toBe(
      "132012: button at index 1 of type PHONE_NUMBER: sub_type 'url' does not match, expected 'phone_number'",
    );
    expect(
      outcome(
        check('confirmacion_pedido', [
          body('a', 'b'),
          url(0, '1'),
          button(1, 'phone_number', { type: 'text', text: 'x' }),
        ]),
      ),
    ).toBe(
      '132000: button at index 1 of type PHONE_NUMBER: number of localizable_params (1) does not match the expected number of params (0)',
    );
    expect(outcome(check('confirmacion_pedido', [body('a', 'b'), url(0, '1'), url(2, '2')]))).toBe(
      '132000: button at index 2: number of localizable_params (1) does not match the expected number of params (0)',
    );
  });

  it('checks named parameters by name, in any order, in the header and the body', () => {
    const header = named('header', { numero_pedido: '10482' });
    const fullBody = named('body', { fecha_entrega: 'jueves', nombre: 'María', paqueteria: 'DHL' });
    expect(check('envio_en_camino', [header, fullBody, url(0, 'X')])).toEqual({
      ok: true,
      text: 'Hola María, tu paquete salió hoy con DHL y llegará el jueves.',
    });
    expect(outcome(check('envio_en_camino', [named('header', { pedido: '1' }), fullBody, url(0, 'X')]))).toBe(
      '132000: header: parameter names (pedido) do not match the expected names (numero_pedido)',
    );
    expect(outcome(check('envio_en_camino', [header, body('María', 'DHL', 'jueves'), url(0, 'X')]))).toBe(
      '100: body: every parameter of a NAMED template needs a parameter_name',
    );
  });

  it('takes a media header of the declared format, checked by the caller, and quick-reply payloads optionally', () => {
    const image = { type: 'header', parameters: [{ type: 'image', image: { id: '123' } }] };
    expect(outcome(check('promo_temporada', [image, body('María', 'OTONO20')]))).toBe('ok');
    expect(
      outcome(
        check('promo_temporada', [
          image,
          body('María', 'OTONO20'),
          button(1, 'quick_reply', { type: 'payload', payload: 'NO' }),
        ]),
      ),
    ).toBe('ok');
    const video = { type: 'header', parameters: [{ type: 'video', video: { id: '123' } }] };
    expect(outcome(check('promo_temporada', [video, body('a', 'b')]))).toBe(
      '132012: header: Format mismatch, expected IMAGE, received VIDEO',
    );
    const refused = invalidParameter('no such media');
    expect(check('promo_temporada', [image, body('a', 'b')], { media: () => refused })).toEqual({
      ok: false,
      error: refused,
    });
    expect(
      outcome(
        check('promo_temporada', [image, body('a', 'b'), button(0, 'url', { type: 'text', text: 'x' })]),
      ),
    ).toBe(
      "132012: button at index 0 of type QUICK_REPLY: sub_type 'url' does not match, expected 'quick_reply'",
    );
    expect(
      outcome(
        check('factura_disponible', [
          { type: 'header', parameters: [{ type: 'document', document: { link: 'https://x.mx/f.pdf' } }] },
          body('María'),
        ]),
      ),
    ).toBe('ok');
  });

  it('requires the copy code of an authentication template on its URL button', () => {
    expect(outcome(check('codigo_verificacion', [body('482913'), url(0, '482913')]))).toBe('ok');
    expect(outcome(check('codigo_verificacion', [body('482913')]))).toBe(
      '132000: button at index 0 of type URL: number of localizable_params (0) does not match the expected number of params (1)',
    );
    expect(
      outcome(check('codigo_verificacion', [body('482913'), button(0, 'url', { type: 'text', text: '' })])),
    ).toBe('131008: button at index 0 of type URL: the text parameter is empty');
  });

  it('refuses unknown, rejected, pending, paused and disabled templates as Meta does', () => {
    expect(outcome(check('no_existe', []))).toBe('132001: template name (no_existe) does not exist in es_MX');
    expect(outcome(check('confirmacion_pedido', [], { language: 'en_US' }))).toBe(
      '132001: template name (confirmacion_pedido) does not exist in en_US',
    );
    expect(outcome(check('oferta_relampago', [body('1', '2')]))).toBe(
      '132001: template name (oferta_relampago) does not exist in es_MX',
    );
    expect(outcome(check('recordatorio_carrito', [body('María')]))).toBe(
      '132015: Template is paused due to low quality so it cannot be sent in a template message.',
    );
    const approved = store.find('confirmacion_pedido', 'es_MX');
    expect(approved?.status).toBe('APPROVED');
    if (approved === undefined) return;
    const request = templateObjectSchema.parse({ name: approved.name, language: { code: 'es_MX' } });
    expect(outcome(checkTemplateSend({ ...approved, status: 'PENDING' }, request, anyMedia))).toBe(
      '132001: template name (confirmacion_pedido) does not exist in es_MX',
    );
    expect(outcome(checkTemplateSend({ ...approved, status: 'DISABLED' }, request, anyMedia))).toBe(
      '132016: Template has been paused too many times due to low quality and is now permanently disabled.',
    );
  });

  it('wants as many carousel cards as the template has, and refuses malformed components', () => {
    const cards = (n: number) => ({
      type: 'carousel',
      cards: Array.from({ length: n }, (_, card_index) => ({ card_index })),
    });
    expect(outcome(check('catalogo_novedades', [body('María'), cards(2)]))).toBe('ok');
    expect(outcome(check('catalogo_novedades', [body('María'), cards(3)]))).toBe(
      '132000: carousel: number of cards (3) does not match the expected number of cards (2)',
    );
    expect(outcome(check('confirmacion_pedido', [body('a', 'b'), url(0, '1'), cards(1)]))).toBe(
      '132000: carousel: number of cards (1) does not match the expected number of cards (0)',
    );
    expect(outcome(check('confirmacion_pedido', [body('a', 'b'), body('c', 'd'), url(0, '1')]))).toBe(
      '100: components: only one body component is allowed',
    );
    expect(outcome(check('confirmacion_pedido', [{ type: 'footer' }]))).toMatch(
      /^100: components: type 'footer' must be one of/,
    );
    expect(outcome(check('confirmacion_pedido', [body('a', 'b'), url(0, '1'), url(0, '2')]))).toBe(
      '100: button: index 0 is given twice',
    );
  });

  it('refuses text parameters Meta refuses: empty, line breaks, tabs, five spaces in a row', () => {
    for (const value of ['María\nJosé', 'a\tb', 'a     b']) {
      expect(outcome(check('confirmacion_pedido', [body(value, '#1'), url(0, '1')]))).toBe(
        '100: body: Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
      );
    }
    expect(outcome(check('confirmacion_pedido', [body(' ', '#1'), url(0, '1')]))).toBe(
      '131008: body: a text parameter needs a non-empty text',
    );
    expect(outcome(check('confirmacion_pedido', [body('a    b', '#1'), url(0, '1')]))).toBe('ok');
  });
});
