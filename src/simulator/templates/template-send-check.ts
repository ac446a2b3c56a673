// A template send checked the way Meta checks it before accepting: the template must exist in that
// language (132001) and be approved (paused 132015, disabled 132016), and the parameters of the
// header, body, buttons and carousel must match what the template declares: a count mismatch is
// 132000 with Meta's wording ("body: number of localizable_params (1) does not match the expected
// number of params (2)"), a wrong kind is 132012. Answers the body text as the customer reads it.
import { invalidParameter, whatsAppError } from '../graph-errors.ts';
import type { GraphErrorResponse } from '../graph-errors.ts';
import type { TemplateComponent, TemplateObject, TemplateParameter } from '../sends/send-schemas.ts';
import type { StoredTemplate } from './template-store.ts';

export type TemplateCheck = { ok: true; text: string | null } | { ok: false; error: GraphErrorResponse };

/** Checks a header media parameter ({id} or {link}) of kind image, video or document. */
export type HeaderMediaCheck = (kind: string, media: unknown) => GraphErrorResponse | null;

const MEDIA_HEADER_FORMATS = ['IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'];

interface ExpectedButton {
  index: number;
  /** The template's button type (URL, QUICK_REPLY, ...). */
  type: string;
  /** The send's sub_type for it. */
  subType: string;
  /** The parameter type it takes: text (URL suffix), payload, coupon_code. */
  parameterType: string;
  params: number;
  /** Quick-reply payloads may be left out (the button text is sent back). */
  optional: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const upper = (value: unknown): string => (typeof value === 'string' ? value.toUpperCase() : '');

/** The distinct {{placeholders}} of a text, in order: ['1', '2'] or ['nombre', 'fecha']. */
export function placeholders(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const names = [...text.matchAll(/\{\{\s*([\p{L}\p{N}_]+)\s*\}\}/gu)].map((match) => match[1] ?? '');
  return [...new Set(names)];
}

function component(template: StoredTemplate, type: string): Record<string, unknown> | undefined {
  return template.components.find((c) => upper(c.type) === type);
}

function expectedButtons(template: StoredTemplate): ExpectedButton[] {
  const buttons = component(template, 'BUTTONS')?.buttons;
  if (!Array.isArray(buttons)) return [];
  return buttons.map((button: unknown, index): ExpectedButton => {
    const type = isRecord(button) ? upper(button.type) : '';
    const url = isRecord(button) ? button.url : undefined;
    switch (type) {
      case 'URL':
        return {
          index,
          type,
          subType: 'url',
          parameterType: 'text',
          params: placeholders(url).length > 0 ? 1 : 0,
          optional: false,
        };
      case 'OTP':
        return { index, type, subType: 'url', parameterType: 'text', params: 1, optional: false };
      case 'COPY_CODE':
        return {
          index,
          type,
          subType: 'copy_code',
          parameterType: 'coupon_code',
          params: 1,
          optional: false,
        };
      case 'QUICK_REPLY':
        return { index, type, subType: 'quick_reply', parameterType: 'payload', params: 1, optional: true };
      default:
        return { index, type, subType: type.toLowerCase(), parameterType: 'text', params: 0, optional: true };
    }
  });
}

const countMismatch = (where: string, given: number, expected: number): GraphErrorResponse =>
  whatsAppError({
    code: 132000,
    details: `${where}: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
  });

const formatMismatch = (where: string, expected: string, received: string): GraphErrorResponse =>
  whatsAppError({
    code: 132012,
    details: `${where}: Format mismatch, expected ${expected}, received ${received || 'UNKNOWN'}`,
  });

/** Meta refuses text parameters with line breaks, tabs or long runs of spaces. */
function textProblem(where: string, parameter: TemplateParameter): GraphErrorResponse | null {
  const text = parameter.text;
  if (typeof text !== 'string' || text.trim() === '') {
    return whatsAppError({ code: 131008, details: `${where}: a text parameter needs a non-empty text` });
  }
  if (/[\n\t]| {5,}/.test(text)) {
    return invalidParameter(
      `${where}: Param text cannot have new-line/tab characters or more than 4 consecutive spaces`,
    );
  }
  return null;
}

/** NAMED templates: every parameter carries parameter_name, and the names are exactly the template's. */
function namesProblem(
  where: string,
  parameters: TemplateParameter[],
  expected: string[],
): GraphErrorResponse | null {
  if (parameters.some((p) => typeof p.parameter_name !== 'string' || p.parameter_name === '')) {
    return invalidParameter(`${where}: every parameter of a NAMED template needs a parameter_name`);
  }
  const given = parameters.map((p) => p.parameter_name ?? '');
  const same = given.length === expected.length && expected.every((name) => given.includes(name));
  if (same) return null;
  return whatsAppError({
    code: 132000,
    details: `${where}: parameter names (${given.join(', ')}) do not match the expected names (${expected.join(', ')})`,
  });
}

function checkTextParameters(
  where: string,
  template: StoredTemplate,
  parameters: TemplateParameter[],
  expected: string[],
): GraphErrorResponse | null {
  if (parameters.length !== expected.length) return countMismatch(where, parameters.length, expected.length);
  for (const parameter of parameters) {
    // Body parameters may also be currency or date_time; only text carries raw text.
    if (parameter.type === 'text') {
      const problem = textProblem(where, parameter);
      if (problem !== null) return problem;
    } else if (where === 'header') {
      return formatMismatch(where, 'TEXT', upper(parameter.type));
    }
  }
  return template.parameterFormat === 'NAMED' ? namesProblem(where, parameters, expected) : null;
}

function checkHeader(
  template: StoredTemplate,
  given: TemplateComponent | undefined,
  checkMedia: HeaderMediaCheck,
): GraphErrorResponse | null {
  const header = component(template, 'HEADER');
  const format = header === undefined ? 'NONE' : upper(header.format ?? 'TEXT');
  const parameters = given?.parameters ?? [];
  if (!MEDIA_HEADER_FORMATS.includes(format)) {
    const expected = format === 'TEXT' ? placeholders(header?.text) : [];
    return checkTextParameters('header', template, parameters, expected);
  }
  const [parameter] = parameters;
  if (parameter === undefined || parameters.length !== 1)
    return countMismatch('header', parameters.length, 1);
  if (upper(parameter.type) !== format) return formatMismatch('header', format, upper(parameter.type));
  const kind = format.toLowerCase();
  const value = parameter[kind];
  if (!isRecord(value)) return invalidParameter(`header: a ${kind} parameter needs a ${kind} object`);
  return kind === 'location' ? null : checkMedia(kind, value);
}

function checkButtons(template: StoredTemplate, given: TemplateComponent[]): GraphErrorResponse | null {
  const expected = expectedButtons(template);
  const seen = new Set<number>();
  for (const button of given) {
    const index = Number(button.index ?? -1);
    if (button.index === undefined) return invalidParameter('button: index is required');
    if (seen.has(index)) return invalidParameter(`button: index ${index} is given twice`);
    seen.add(index);
    const wanted = expected[index];
    const parameters = button.parameters ?? [];
    if (wanted === undefined) return countMismatch(`button at index ${index}`, parameters.length, 0);
    const where = `button at index ${index} of type ${wanted.type}`;
    if ((button.sub_type ?? '').toLowerCase() !== wanted.subType) {
      return whatsAppError({
        code: 132012,
        details: `${where}: sub_type '${button.sub_type ?? ''}' does not match, expected '${wanted.subType}'`,
      });
    }
    if (parameters.length !== wanted.params) return countMismatch(where, parameters.length, wanted.params);
    for (const parameter of parameters) {
      if (parameter.type !== wanted.parameterType)
        return formatMismatch(where, upper(wanted.parameterType), upper(parameter.type));
      const value = parameter[wanted.parameterType];
      if (typeof value !== 'string' || value === '') {
        return whatsAppError({
          code: 131008,
          details: `${where}: the ${wanted.parameterType} parameter is empty`,
        });
      }
    }
  }
  const missing = expected.find((button) => button.params > 0 && !button.optional && !seen.has(button.index));
  if (missing !== undefined) {
    return countMismatch(`button at index ${missing.index} of type ${missing.type}`, 0, missing.params);
  }
  return null;
}

function checkCarousel(
  template: StoredTemplate,
  given: TemplateComponent | undefined,
): GraphErrorResponse | null {
  const cards = component(template, 'CAROUSEL')?.cards;
  const expected = Array.isArray(cards) ? cards.length : 0;
  const count = given?.cards?.length ?? 0;
  if (count === expected) return null;
  return whatsAppError({
    code: 132000,
    details: `carousel: number of cards (${count}) does not match the expected number of cards (${expected})`,
  });
}

/** The body as the customer reads it: placeholders replaced by the values sent. */
function renderBody(template: StoredTemplate, parameters: TemplateParameter[]): string | null {
  const text = component(template, 'BODY')?.text;
  if (typeof text !== 'string') return null;
  const values = new Map<string, string>();
  parameters.forEach((parameter, position) => {
    const fallback = isRecord(parameter[parameter.type])
      ? (parameter[parameter.type] as Record<string, unknown>).fallback_value
      : undefined;
    const value =
      typeof parameter.text === 'string' ? parameter.text : typeof fallback === 'string' ? fallback : '';
    values.set(
      template.parameterFormat === 'NAMED' ? (parameter.parameter_name ?? '') : String(position + 1),
      value,
    );
  });
  return text.replace(/\{\{\s*([\p{L}\p{N}_]+)\s*\}\}/gu, (whole, name: string) => values.get(name) ?? whole);
}

const KNOWN_COMPONENTS = ['header', 'body', 'button', 'carousel', 'limited_time_offer'];

export function checkTemplateSend(
  template: StoredTemplate | undefined,
  request: TemplateObject,
  checkMedia: HeaderMediaCheck,
): TemplateCheck {
  const fail = (error: GraphErrorResponse): TemplateCheck => ({ ok: false, error });
  const code = request.language.code;
  if (template === undefined || template.status === 'PENDING' || template.status === 'REJECTED') {
    return fail(
      whatsAppError({ code: 132001, details: `template name (${request.name}) does not exist in ${code}` }),
    );
  }
  if (template.status === 'PAUSED') return fail(whatsAppError({ code: 132015 }));
  if (template.status === 'DISABLED') return fail(whatsAppError({ code: 132016 }));

  const byType = (type: string): TemplateComponent[] =>
    request.components.filter((c) => c.type.toLowerCase() === type);
  const unknown = request.components.find((c) => !KNOWN_COMPONENTS.includes(c.type.toLowerCase()));
  if (unknown !== undefined) {
    return fail(
      invalidParameter(`components: type '${unknown.type}' must be one of ${KNOWN_COMPONENTS.join(', ')}`),
    );
  }
  for (const single of ['header', 'body', 'carousel']) {
    if (byType(single).length > 1)
      return fail(invalidParameter(`components: only one ${single} component is allowed`));
  }
  const [header] = byType('header');
  const [body] = byType('body');
  const [carousel] = byType('carousel');
  const problem =
    checkHeader(template, header, checkMedia) ??
    checkTextParameters(
      'body',
      template,
      body?.parameters ?? [],
      placeholders(component(template, 'BODY')?.text),
    ) ??
    checkButtons(template, byType('button')) ??
    checkCarousel(template, carousel);
  return problem === null ? { ok: true, text: renderBody(template, body?.parameters ?? []) } : fail(problem);
}
