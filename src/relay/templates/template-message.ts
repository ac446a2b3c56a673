// The Graph body of a template send, built from the template's shape and values already checked by
// validate.ts: `{type:'template', template:{name, language:{code, policy}, components}}`, with one
// component per part that takes values, in Meta's forms (cloud-api.md §3.2). Named templates name
// each value (`parameter_name`). An uploaded header file is left for the outbound dispatcher, which
// uploads it to Meta and puts the media id where `uploads` points.
import type { TemplateParameters } from '../../shared/protocol.ts';
import { fillPlaceholders } from './placeholders.ts';
import type { ButtonSlot, TemplateShape } from './template-shape.ts';

export interface TemplateUpload {
  uploadId: string;
  /** Where in the body the media object goes. */
  path: (string | number)[];
}

export interface TemplateMessage {
  /** The Graph message body, without messaging_product, recipient_type, to and biz_opaque_callback_data. */
  body: Record<string, unknown>;
  uploads: TemplateUpload[];
  /** The body text as the customer reads it, values filled in. */
  text: string;
}

type Parameter = Record<string, unknown>;

function textParameter(shape: TemplateShape, variable: string, text: string): Parameter {
  return shape.parameterFormat === 'NAMED'
    ? { type: 'text', parameter_name: variable, text }
    : { type: 'text', text };
}

/** The header's parameter, and the upload it waits for (if any). */
function headerParameter(
  shape: TemplateShape,
  header: NonNullable<TemplateParameters['header']>,
): { parameter: Parameter; uploadId: string | null } | null {
  const slot = shape.header;
  if (header.type === 'text') {
    if (slot.kind !== 'text' || slot.variable === null) return null;
    return { parameter: textParameter(shape, slot.variable, header.text), uploadId: null };
  }
  if (header.type === 'location') {
    const location: Record<string, string> = {
      latitude: String(header.latitude),
      longitude: String(header.longitude),
    };
    if (header.name !== undefined) location.name = header.name;
    if (header.address !== undefined) location.address = header.address;
    return { parameter: { type: 'location', location }, uploadId: null };
  }
  const media: Record<string, string> = {};
  if (header.link !== undefined) media.link = header.link;
  if (header.filename !== undefined && header.type === 'document') media.filename = header.filename;
  return { parameter: { type: header.type, [header.type]: media }, uploadId: header.uploadId ?? null };
}

function buttonComponent(button: ButtonSlot, value: string | undefined): Parameter | null {
  if (value === undefined) return null;
  const component = (subType: string, parameter: Parameter): Parameter => ({
    type: 'button',
    sub_type: subType,
    index: button.index,
    parameters: [parameter],
  });
  switch (button.kind) {
    case 'quick_reply':
      return component('quick_reply', { type: 'payload', payload: value });
    case 'url':
      return component('url', { type: 'text', text: value });
    // Meta creates an authentication template's OTP button as a URL button: the code is its value.
    case 'otp':
      return component('url', { type: 'text', text: value });
    case 'copy_code':
      return component('copy_code', { type: 'coupon_code', coupon_code: value });
    case 'fixed':
      return null;
  }
}

/** The Graph body for `parameters`, which must have passed `parameterProblems` for `shape`. */
export function buildTemplateMessage(shape: TemplateShape, parameters: TemplateParameters): TemplateMessage {
  const components: Parameter[] = [];
  const uploads: TemplateUpload[] = [];

  const header = parameters.header === undefined ? null : headerParameter(shape, parameters.header);
  if (header !== null) {
    if (header.uploadId !== null) {
      const mediaType = String(header.parameter.type);
      uploads.push({
        uploadId: header.uploadId,
        path: ['template', 'components', components.length, 'parameters', 0, mediaType],
      });
    }
    components.push({ type: 'header', parameters: [header.parameter] });
  }
  if (shape.body.variables.length > 0) {
    components.push({
      type: 'body',
      parameters: shape.body.variables.map((variable) =>
        textParameter(shape, variable, parameters.body[variable] ?? ''),
      ),
    });
  }
  for (const button of shape.buttons) {
    const component = buttonComponent(button, parameters.buttons[String(button.index)]);
    if (component !== null) components.push(component);
  }

  const template: Record<string, unknown> = {
    name: shape.name,
    // `deterministic`: exactly this language, never a fallback Meta picks.
    language: { code: shape.language, policy: 'deterministic' },
  };
  if (components.length > 0) template.components = components;
  return {
    body: { type: 'template', template },
    uploads,
    text: fillPlaceholders(shape.body.text, parameters.body),
  };
}
