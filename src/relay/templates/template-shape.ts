// What a template asks for when it is sent, read from Meta's components (as the template list gives
// them): the header's kind and variable, the body's variables, and which buttons take a value.
// Forms Ventana cannot send yet (carousels, limited-time offers, Flow and catalog buttons, product
// headers, anything unknown) are named, so the refusal can say which.
import { z } from 'zod';
import type { Template } from '../../shared/domain.ts';
import { placeholdersIn } from './placeholders.ts';

export type ParameterFormat = 'POSITIONAL' | 'NAMED';

export type HeaderSlot =
  | { kind: 'none' }
  /** `variable` is null for a fixed header text. */
  | { kind: 'text'; text: string; variable: string | null }
  | { kind: 'media'; format: 'image' | 'video' | 'document' }
  | { kind: 'location' };

export type ButtonSlot =
  /** May carry a payload, which comes back when the customer taps it. */
  | { index: number; kind: 'quick_reply'; text: string }
  /** `dynamic`: the URL ends in a variable whose value (the suffix) must be given. */
  | { index: number; kind: 'url'; text: string; url: string; dynamic: boolean }
  /** A marketing template's coupon code. */
  | { index: number; kind: 'copy_code'; text: string }
  /** An authentication template's one-time-password button (copy code, one tap, zero tap). */
  | { index: number; kind: 'otp'; text: string }
  /** Takes no value (a phone number to call). */
  | { index: number; kind: 'fixed'; text: string };

export interface TemplateShape {
  name: string;
  language: string;
  parameterFormat: ParameterFormat;
  header: HeaderSlot;
  body: { text: string; variables: string[] };
  footer: string | null;
  buttons: ButtonSlot[];
}

export type ShapeReading = { ok: true; shape: TemplateShape } | { ok: false; unsupported: string };

const componentSchema = z.looseObject({ type: z.string().min(1) });
const headerSchema = z.looseObject({ format: z.string().optional(), text: z.string().optional() });
const textSchema = z.looseObject({ text: z.string() });
const buttonsSchema = z.looseObject({
  buttons: z.array(
    z.looseObject({
      type: z.string().min(1),
      text: z.string().optional(),
      url: z.string().optional(),
    }),
  ),
});

const UNSUPPORTED_COMPONENTS: Record<string, string> = {
  CAROUSEL: 'a carousel',
  LIMITED_TIME_OFFER: 'a limited-time offer',
};
const UNSUPPORTED_BUTTONS: Record<string, string> = {
  FLOW: 'a Flow button',
  CATALOG: 'a catalog button',
  MPM: 'a multi-product button',
  SPM: 'a product button',
};
const UNSUPPORTED_HEADERS: Record<string, string> = { PRODUCT: 'a product header' };

/** Meta turns an authentication template's OTP button into a URL button pointing here. */
const OTP_URL = /^https:\/\/www\.whatsapp\.com\/otp\//i;

class Unsupported extends Error {}

function readHeader(component: Record<string, unknown>): HeaderSlot {
  const header = headerSchema.parse(component);
  const format = (header.format ?? 'TEXT').toUpperCase();
  switch (format) {
    case 'TEXT': {
      const text = header.text ?? '';
      const variables = placeholdersIn(text);
      if (variables.length > 1) throw new Unsupported('a header with more than one variable');
      return { kind: 'text', text, variable: variables[0] ?? null };
    }
    case 'IMAGE':
    case 'VIDEO':
    case 'DOCUMENT':
      return { kind: 'media', format: format.toLowerCase() as 'image' | 'video' | 'document' };
    case 'LOCATION':
      return { kind: 'location' };
    default:
      throw new Unsupported(UNSUPPORTED_HEADERS[format] ?? `a ${format} header`);
  }
}

function readButtons(component: Record<string, unknown>, authentication: boolean): ButtonSlot[] {
  return buttonsSchema.parse(component).buttons.map((button, index): ButtonSlot => {
    const type = button.type.toUpperCase();
    const text = button.text ?? '';
    switch (type) {
      case 'QUICK_REPLY':
        return { index, kind: 'quick_reply', text };
      case 'URL': {
        const url = button.url ?? '';
        if (authentication || OTP_URL.test(url)) return { index, kind: 'otp', text };
        return { index, kind: 'url', text, url, dynamic: placeholdersIn(url).length > 0 };
      }
      case 'OTP':
        return { index, kind: 'otp', text };
      case 'COPY_CODE':
        return { index, kind: 'copy_code', text };
      case 'PHONE_NUMBER':
        return { index, kind: 'fixed', text };
      default:
        throw new Unsupported(UNSUPPORTED_BUTTONS[type] ?? `a ${type} button`);
    }
  });
}

/** How `template` is filled in, or which of its parts Ventana cannot send. */
export function readTemplateShape(template: Template): ShapeReading {
  const authentication = template.category?.toUpperCase() === 'AUTHENTICATION';
  let header: HeaderSlot = { kind: 'none' };
  let body = { text: '', variables: [] as string[] };
  let footer: string | null = null;
  let buttons: ButtonSlot[] = [];
  try {
    for (const raw of template.components) {
      const component = componentSchema.parse(raw);
      const type = component.type.toUpperCase();
      switch (type) {
        case 'HEADER':
          header = readHeader(component);
          break;
        case 'BODY': {
          const text = textSchema.parse(component).text;
          body = { text, variables: placeholdersIn(text) };
          break;
        }
        case 'FOOTER':
          footer = textSchema.safeParse(component).data?.text ?? null;
          break;
        case 'BUTTONS':
          buttons = readButtons(component, authentication);
          break;
        default:
          throw new Unsupported(UNSUPPORTED_COMPONENTS[type] ?? `a ${type} component`);
      }
    }
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, unsupported: error.message };
    if (error instanceof z.ZodError)
      return { ok: false, unsupported: `components Ventana cannot read (${z.prettifyError(error)})` };
    throw error;
  }
  const variables = [
    ...body.variables,
    ...(header.kind === 'text' && header.variable ? [header.variable] : []),
  ];
  const inferred: ParameterFormat = variables.every((name) => /^\d+$/.test(name)) ? 'POSITIONAL' : 'NAMED';
  return {
    ok: true,
    shape: {
      name: template.name,
      language: template.language,
      parameterFormat: template.parameterFormat ?? inferred,
      header,
      body,
      footer,
      buttons,
    },
  };
}
