// POST /{version}/{phone-number-id}/messages, answered as Meta answers it. In order: the body is
// read and checked (shape, template, referenced media), then an armed fault may answer instead,
// then the pair rate limit (131056), and only then is the send accepted, recorded and answered
// {messaging_product, contacts, messages}. A mark-read body answers {success: true}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { CodedError } from '../../shared/result.ts';
import { invalidParameter, whatsAppError } from '../graph-errors.ts';
import type { GraphErrorResponse } from '../graph-errors.ts';
import { parseJson, readBody, sendJson } from '../http.ts';
import type { RecordedSend } from '../send-log.ts';
import { checkTemplateSend } from '../templates/template-send-check.ts';
import type { TemplateStore } from '../templates/template-store.ts';
import { messageAccepts, mimeTypesFor } from '../uploads/media-rules.ts';
import { UPLOAD_TTL_MS } from '../uploads/upload-log.ts';
import type { UploadLog } from '../uploads/upload-log.ts';
import type { PairRateLimit } from './pair-rate-limit.ts';
import type { RecordedAttempt, RequestLog } from './request-log.ts';
import { answerFault } from './send-faults.ts';
import type { ArmedFaults } from './send-faults.ts';
import { describeIssues, markReadSchema, mediaOf, SEND_TYPES, sendSchema } from './send-schemas.ts';
import type { MediaSendType, SendBody } from './send-schemas.ts';

/** A send that passed every check, before it gets its wamid. */
export interface AcceptedSend {
  phoneNumberId: string;
  to: string;
  type: string;
  /** The text the customer reads: text body, caption, rendered template body, emoji; null if none. */
  text: string | null;
  bizOpaqueCallbackData: string | null;
  /** The request body exactly as parsed. */
  body: unknown;
  /** The template's category for pricing (MARKETING, UTILITY, ...); null for free-form messages. */
  templateCategory: string | null;
}

export interface MessagesDeps {
  now(): number;
  templates: TemplateStore;
  uploads: UploadLog;
  faults: ArmedFaults;
  pairRateLimit: PairRateLimit;
  requests: RequestLog;
  /** Records a valid send; may post its `sent` status before we answer. */
  acceptSend(send: AcceptedSend): Promise<RecordedSend>;
  /** The send's outcome is settled (answered, or accepted and never to be answered): statuses may start. */
  answered(send: RecordedSend): void;
}

const bodyShapeSchema = z.looseObject({ status: z.unknown().optional(), type: z.unknown().optional() });

/** The answer to an accepted send: Meta echoes the input and the normalised wa_id (digits only). */
function sendAnswer(send: RecordedSend): unknown {
  return {
    messaging_product: 'whatsapp',
    contacts: [{ input: send.to, wa_id: send.to.replace(/\D/g, '') }],
    messages: [{ id: send.wamid }],
  };
}

function readableText(send: SendBody): string | null {
  switch (send.type) {
    case 'text':
      return send.text.body;
    case 'reaction':
      return send.reaction.emoji;
    case 'interactive':
      return send.interactive.body?.text ?? null;
    default:
      return mediaOf(send)?.media.caption ?? null;
  }
}

export async function handleMessages(
  req: IncomingMessage,
  res: ServerResponse,
  phoneNumberId: string,
  deps: MessagesDeps,
): Promise<void> {
  const log = (attempt: Omit<RecordedAttempt, 'phoneNumberId' | 'at'>): void =>
    deps.requests.attempt({ phoneNumberId, at: deps.now(), ...attempt });
  const refuse = async (
    error: GraphErrorResponse,
    request: { to: string | null; type: string | null },
  ): Promise<void> => {
    log({
      ...request,
      outcome: 'rejected',
      httpStatus: error.status,
      errorCode: error.body.error.code,
      wamid: null,
    });
    await sendJson(res, error.status, error.body);
  };

  if (deps.faults.takeRefusalBeforeBody()) {
    log({ to: null, type: null, outcome: 'refused', httpStatus: null, errorCode: null, wamid: null });
    req.socket.resetAndDestroy();
    return;
  }
  let body: unknown;
  try {
    body = parseJson(await readBody(req));
  } catch (error) {
    const details = error instanceof CodedError ? error.message : String(error);
    return refuse(invalidParameter(details), { to: null, type: null });
  }
  const shape = bodyShapeSchema.safeParse(body);
  if (!shape.success)
    return refuse(invalidParameter('the body must be a JSON object'), { to: null, type: null });

  if (shape.data.status !== undefined) {
    const markRead = markReadSchema.safeParse(body);
    if (!markRead.success)
      return refuse(invalidParameter(describeIssues(markRead.error)), { to: null, type: 'read' });
    const fault = deps.faults.take(null);
    if (fault !== null) {
      const answer = await answerFault(req, res, fault);
      log({ to: null, type: 'read', outcome: outcomeOf(fault.kind), ...answer, wamid: null });
      return;
    }
    deps.requests.read({
      phoneNumberId,
      messageId: markRead.data.message_id,
      typingIndicator: markRead.data.typing_indicator !== undefined,
      at: deps.now(),
    });
    log({ to: null, type: 'read', outcome: 'accepted', httpStatus: 200, errorCode: null, wamid: null });
    return sendJson(res, 200, { success: true });
  }

  // Meta defaults `type` to text when it is absent.
  const type = shape.data.type ?? 'text';
  const rawTo = (body as { to?: unknown }).to;
  const request = {
    to: typeof rawTo === 'string' ? rawTo : null,
    type: typeof type === 'string' ? type : null,
  };
  if (typeof type !== 'string' || !(SEND_TYPES as readonly string[]).includes(type)) {
    return refuse(
      invalidParameter(`Param type must be one of {${SEND_TYPES.join(', ')}} - got ${JSON.stringify(type)}`),
      request,
    );
  }
  const parsed = sendSchema.safeParse({ ...(body as object), type });
  if (!parsed.success) return refuse(invalidParameter(describeIssues(parsed.error)), request);
  const send = parsed.data;

  const checked = checkContent(send, deps);
  if (!checked.ok) return refuse(checked.error, request);

  const fault = deps.faults.take(send.to);
  const acceptedByFault =
    fault !== null && (fault.kind === 'hang' || fault.kind === 'server-error') && fault.accepted;
  if (fault !== null && !acceptedByFault) {
    const answer = await answerFault(req, res, fault);
    log({ ...request, outcome: outcomeOf(fault.kind), ...answer, wamid: null });
    return;
  }
  if (deps.pairRateLimit.exceeded(phoneNumberId, send.to, deps.now())) {
    return refuse(whatsAppError({ code: 131056 }), request);
  }

  deps.pairRateLimit.recordSend(phoneNumberId, send.to, deps.now());
  const recorded = await deps.acceptSend({
    phoneNumberId,
    to: send.to,
    type: send.type,
    text: checked.text ?? readableText(send),
    bizOpaqueCallbackData: send.biz_opaque_callback_data ?? null,
    body,
    templateCategory: checked.templateCategory,
  });
  if (fault !== null) {
    // Meta carried the send out, but the caller never hears so (or hears a 5xx).
    const answer = await answerFault(req, res, fault);
    log({ ...request, outcome: outcomeOf(fault.kind), ...answer, wamid: recorded.wamid });
  } else {
    await sendJson(res, 200, sendAnswer(recorded));
    log({ ...request, outcome: 'accepted', httpStatus: 200, errorCode: null, wamid: recorded.wamid });
  }
  deps.answered(recorded);
}

function outcomeOf(kind: string): RecordedAttempt['outcome'] {
  if (kind === 'hang') return 'hung';
  if (kind === 'refuse') return 'refused';
  return 'rejected';
}

type ContentCheck =
  | { ok: true; text: string | null; templateCategory: string | null }
  | { ok: false; error: GraphErrorResponse };

/** Media ids must name an upload of this business that has not expired, of a type the message takes. */
function checkMediaId(kind: MediaSendType, id: string, deps: MessagesDeps): GraphErrorResponse | null {
  const upload = deps.uploads.find(id);
  if (upload === undefined) {
    return whatsAppError({
      code: 131053,
      details: `Media id ${id} was not uploaded by this business; upload it with POST /{phone-number-id}/media first.`,
    });
  }
  if (deps.now() > upload.at + UPLOAD_TTL_MS) {
    return whatsAppError({
      code: 131053,
      details: `Media id ${id} has expired: uploaded media lasts 30 days.`,
    });
  }
  if (!messageAccepts(kind, upload.mimeType)) {
    return whatsAppError({
      code: 131053,
      details: `Media id ${id} is ${upload.mimeType}; a ${kind} takes ${mimeTypesFor(kind).join(', ')}.`,
    });
  }
  return null;
}

function checkMediaObject(
  kind: MediaSendType,
  media: unknown,
  deps: MessagesDeps,
): GraphErrorResponse | null {
  const parsed = z
    .object({ id: z.string().min(1).optional(), link: z.url({ protocol: /^https?$/ }).optional() })
    .refine((m) => (m.id === undefined) !== (m.link === undefined))
    .safeParse(media);
  if (!parsed.success)
    return invalidParameter(`${kind}: give exactly one of id (an uploaded media id) or an http(s) link`);
  return parsed.data.id === undefined ? null : checkMediaId(kind, parsed.data.id, deps);
}

function checkContent(send: SendBody, deps: MessagesDeps): ContentCheck {
  if (send.type === 'template') {
    const template = deps.templates.find(send.template.name, send.template.language.code);
    const check = checkTemplateSend(template, send.template, (kind, media) =>
      checkMediaObject(kind as MediaSendType, media, deps),
    );
    if (!check.ok) return check;
    return { ok: true, text: check.text, templateCategory: template?.category ?? null };
  }
  const media = mediaOf(send);
  if (media?.media.id !== undefined) {
    const problem = checkMediaId(media.kind, media.media.id, deps);
    if (problem !== null) return { ok: false, error: problem };
  }
  return { ok: true, text: null, templateCategory: null };
}
