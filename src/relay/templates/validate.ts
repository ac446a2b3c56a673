// The checks a template send passes before anything reaches Meta: the template exists in that
// language and is approved, Ventana can send its kind, and every variable (header, body, buttons)
// has a value Meta will take, with nothing extra. Each refusal names every problem at once, so the
// agent fixes the form in one go instead of meeting Meta's 132000 one field at a time.
import type { Template } from '../../shared/domain.ts';
import type { TemplateParameters } from '../../shared/protocol.ts';
import type { ButtonSlot, TemplateShape } from './template-shape.ts';

export interface TemplateRefusal {
  code: 'TEMPLATE_NOT_FOUND' | 'TEMPLATE_NOT_SENDABLE' | 'TEMPLATE_NOT_SUPPORTED' | 'TEMPLATE_PARAMETERS';
  message: string;
}

export const templateLabel = (name: string, language: string): string => `"${name}" (${language})`;

/** Meta's limits on parameter values (Messages API, parameter object). */
export const HEADER_TEXT_MAX = 60;
/** A body value, when another component takes values too; alone, the body's values may be longer. */
export const BODY_TEXT_MAX = 1024;
export const BODY_ONLY_TEXT_MAX = 32_768;
export const COUPON_CODE_MAX = 15;
/** An authentication template's one-time code. */
export const OTP_CODE_MAX = 15;
/** A URL button's whole link (template URL and suffix). */
export const BUTTON_URL_MAX = 2000;

const STATUS_WORDS: Record<string, string> = {
  PENDING: 'is still waiting for Meta’s review',
  REJECTED: 'was rejected by Meta',
  PAUSED: 'is paused by Meta because customers reacted badly to it',
  DISABLED: 'is disabled by Meta',
  DELETED: 'was deleted from the WhatsApp Business account',
  IN_APPEAL: 'is under appeal at Meta',
  PENDING_DELETION: 'is being deleted',
  LIMIT_EXCEEDED: 'is over Meta’s template limit',
  ARCHIVED: 'is archived',
};

/**
 * The refusal for a template the relay does not know. `languages`: the languages this name exists
 * in, to point the agent at them.
 */
export function notFoundRefusal(name: string, language: string, languages: string[]): TemplateRefusal {
  const label = templateLabel(name, language);
  const others = languages.filter((other) => other !== language);
  return {
    code: 'TEMPLATE_NOT_FOUND',
    message:
      others.length === 0
        ? `There is no template ${label}. Refresh the templates if it was created recently.`
        : `There is no template ${label}; it exists in ${others.join(', ')}.`,
  };
}

/** Why `template` cannot be sent at all, or null when it is approved and its content is known. */
export function sendabilityRefusal(template: Template): TemplateRefusal | null {
  const label = templateLabel(template.name, template.language);
  const status = template.status.toUpperCase();
  if (status !== 'APPROVED') {
    const words = STATUS_WORDS[status] ?? `has the status ${template.status}`;
    const reason = template.reason === null ? '' : ` Meta says: ${template.reason}.`;
    return {
      code: 'TEMPLATE_NOT_SENDABLE',
      message: `The template ${label} ${words}; only approved templates can be sent.${reason}`,
    };
  }
  if (template.components.length === 0) {
    return {
      code: 'TEMPLATE_NOT_SENDABLE',
      message: `The relay has not fetched the content of the template ${label} from Meta yet, so it cannot check its variables. Refresh the templates and try again.`,
    };
  }
  return null;
}

export function unsupportedRefusal(shapeLabel: string, unsupported: string): TemplateRefusal {
  return {
    code: 'TEMPLATE_NOT_SUPPORTED',
    message: `The template ${shapeLabel} has ${unsupported}, which Ventana cannot send yet.`,
  };
}

const variableLabel = (name: string): string => `{{${name}}}`;

const buttonLabel = (button: ButtonSlot): string =>
  button.text === '' ? `button ${button.index}` : `button ${button.index} ("${button.text}")`;

/** Meta refuses text values with line breaks, tabs or long runs of spaces (error 132018). */
function textValueProblem(value: string, max: number): string | null {
  if (value.trim() === '') return 'needs a value';
  if (/[\n\r\t]/.test(value) || / {5,}/.test(value))
    return 'cannot contain line breaks, tabs or more than 4 spaces in a row';
  if (value.length > max) return `is longer than ${max} characters`;
  return null;
}

function headerProblems(shape: TemplateShape, given: TemplateParameters['header']): string[] {
  const slot = shape.header;
  switch (slot.kind) {
    case 'none':
      return given === undefined ? [] : ['the template has no header, so it takes no header value'];
    case 'text': {
      if (slot.variable === null)
        return given === undefined ? [] : ['the header is fixed text, so it takes no value'];
      const name = variableLabel(slot.variable);
      if (given === undefined) return [`the header ${name} needs a value`];
      if (given.type !== 'text') return [`the header is text (${name}), not ${given.type}`];
      const problem = textValueProblem(given.text, HEADER_TEXT_MAX);
      return problem === null ? [] : [`the header ${name} ${problem}`];
    }
    case 'media': {
      const what = `the header ${slot.format}`;
      if (given === undefined) return [`${what} needs an uploaded file or an https link`];
      if (given.type === 'text' || given.type === 'location' || given.type !== slot.format)
        return [`the header is ${article(slot.format)}, not ${describeGiven(given.type)}`];
      const problems: string[] = [];
      if (given.uploadId === undefined && given.link === undefined)
        problems.push(`${what} needs an uploaded file or an https link`);
      if (given.uploadId !== undefined && given.link !== undefined)
        problems.push(`${what} takes an uploaded file or a link, not both`);
      if (given.link !== undefined && !given.link.toLowerCase().startsWith('https://'))
        problems.push(`${what} link must start with https://`);
      if (given.filename !== undefined && slot.format !== 'document')
        problems.push('a file name only goes with a document header');
      return problems;
    }
    case 'location': {
      if (given === undefined) return ['the header location needs its coordinates'];
      if (given.type !== 'location') return [`the header is a location, not ${describeGiven(given.type)}`];
      const problems: string[] = [];
      if (given.latitude < -90 || given.latitude > 90)
        problems.push('the header location latitude must be between -90 and 90');
      if (given.longitude < -180 || given.longitude > 180)
        problems.push('the header location longitude must be between -180 and 180');
      return problems;
    }
  }
}

const article = (word: string): string => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);
const describeGiven = (type: string): string => (type === 'text' ? 'text' : article(type));

function bodyProblems(shape: TemplateShape, values: Record<string, string>, max: number): string[] {
  const problems: string[] = [];
  for (const name of shape.body.variables) {
    const value = values[name];
    if (value === undefined) {
      problems.push(`body ${variableLabel(name)} needs a value`);
      continue;
    }
    const problem = textValueProblem(value, max);
    if (problem !== null) problems.push(`body ${variableLabel(name)} ${problem}`);
  }
  const known = new Set(shape.body.variables);
  const extra = Object.keys(values).filter((name) => !known.has(name));
  if (extra.length > 0) {
    const expected =
      shape.body.variables.length === 0
        ? 'the body has no variables'
        : `its variables are ${shape.body.variables.map(variableLabel).join(', ')}`;
    problems.push(
      `body ${extra.map(variableLabel).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not in this template (${expected})`,
    );
  }
  return problems;
}

function buttonValueProblem(
  button: ButtonSlot,
  value: string | undefined,
  bodyCode: string | undefined,
): string | null {
  const label = buttonLabel(button);
  switch (button.kind) {
    case 'quick_reply': {
      if (value === undefined) return null;
      return value.trim() === '' ? `${label} payload is empty (leave it out to send none)` : null;
    }
    case 'url': {
      if (!button.dynamic)
        return value === undefined ? null : `${label} has a fixed link, so it takes no value`;
      if (value === undefined) return `${label} needs the end of its link (${button.url})`;
      const problem = textValueProblem(value, BUTTON_URL_MAX - button.url.length);
      return problem === null ? null : `${label} link suffix ${problem}`;
    }
    case 'copy_code': {
      if (value === undefined) return `${label} needs the coupon code`;
      if (!/^[A-Za-z0-9]+$/.test(value)) return `${label} coupon code may hold only letters and digits`;
      return value.length > COUPON_CODE_MAX
        ? `${label} coupon code is longer than ${COUPON_CODE_MAX} characters`
        : null;
    }
    case 'otp': {
      if (value === undefined) return `${label} needs the verification code`;
      const problem = textValueProblem(value, OTP_CODE_MAX);
      if (problem !== null) return `${label} verification code ${problem}`;
      return bodyCode !== undefined && bodyCode !== value
        ? `${label} must carry the same verification code as the body`
        : null;
    }
    case 'fixed':
      return value === undefined ? null : `${label} takes no value`;
  }
}

function buttonProblems(
  shape: TemplateShape,
  values: Record<string, string>,
  bodyValues: Record<string, string>,
): string[] {
  const problems: string[] = [];
  // An authentication template's code is its first body variable; the OTP button repeats it.
  const codeVariable = shape.body.variables[0];
  const bodyCode = codeVariable === undefined ? undefined : bodyValues[codeVariable];
  for (const button of shape.buttons) {
    const problem = buttonValueProblem(button, values[String(button.index)], bodyCode);
    if (problem !== null) problems.push(problem);
  }
  for (const key of Object.keys(values)) {
    // Indexes as written by String(index): "01" would silently name no button.
    if (!/^(0|[1-9]\d*)$/.test(key) || Number(key) >= shape.buttons.length) {
      problems.push(
        shape.buttons.length === 0
          ? `the template has no buttons, so "${key}" takes no value`
          : `there is no button ${key} (the buttons are numbered 0 to ${shape.buttons.length - 1})`,
      );
    }
  }
  return problems;
}

/** Every problem with `parameters` for a template of this shape; empty when Meta will take them. */
export function parameterProblems(shape: TemplateShape, parameters: TemplateParameters): string[] {
  // Meta allows longer body values when the body is the only component sent with values.
  const othersTakeValues = parameters.header !== undefined || Object.keys(parameters.buttons).length > 0;
  return [
    ...headerProblems(shape, parameters.header),
    ...bodyProblems(shape, parameters.body, othersTakeValues ? BODY_TEXT_MAX : BODY_ONLY_TEXT_MAX),
    ...buttonProblems(shape, parameters.buttons, parameters.body),
  ];
}

export function parametersRefusal(shape: TemplateShape, problems: string[]): TemplateRefusal {
  return {
    code: 'TEMPLATE_PARAMETERS',
    message: `The template ${templateLabel(shape.name, shape.language)} cannot be sent with these values: ${problems.join('; ')}.`,
  };
}
