// Everything a template send is checked against, in the order an agent would want to hear it: the
// template exists and is approved, Ventana can send its kind, the values fit. Pure: the handler
// looks the template up and stores the outcome.
import type { Template } from '../../shared/domain.ts';
import type { TemplateParameters } from '../../shared/protocol.ts';
import { buildTemplateMessage, type TemplateMessage } from './template-message.ts';
import { readTemplateShape } from './template-shape.ts';
import {
  notFoundRefusal,
  parameterProblems,
  parametersRefusal,
  sendabilityRefusal,
  templateLabel,
  unsupportedRefusal,
  type TemplateRefusal,
} from './validate.ts';

export interface TemplateSendRequest {
  name: string;
  language: string;
  parameters: TemplateParameters;
}

export type PreparedTemplateSend =
  { ok: true; template: Template; message: TemplateMessage } | { ok: false; refusal: TemplateRefusal };

/**
 * The Graph body for sending `template` with the agent's values, or why it cannot be sent.
 * `languages`: every language the requested name exists in (named in a not-found refusal).
 */
export function prepareTemplateSend(
  template: Template | null,
  request: TemplateSendRequest,
  languages: string[] = [],
): PreparedTemplateSend {
  if (template === null)
    return { ok: false, refusal: notFoundRefusal(request.name, request.language, languages) };
  const notSendable = sendabilityRefusal(template);
  if (notSendable !== null) return { ok: false, refusal: notSendable };
  const reading = readTemplateShape(template);
  if (!reading.ok)
    return {
      ok: false,
      refusal: unsupportedRefusal(templateLabel(template.name, template.language), reading.unsupported),
    };
  const problems = parameterProblems(reading.shape, request.parameters);
  if (problems.length > 0) return { ok: false, refusal: parametersRefusal(reading.shape, problems) };
  return { ok: true, template, message: buildTemplateMessage(reading.shape, request.parameters) };
}
