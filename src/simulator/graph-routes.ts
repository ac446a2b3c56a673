// The Graph endpoints the relay calls, answered the way graph.facebook.com answers them.
// So far: POST /{version}/{phone-number-id}/messages with text sends and mark-read bodies, and
// GET /{version}/{media-id} (where to download a customer's media).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { CodedError } from '../shared/result.ts';
import { invalidAccessToken, invalidParameter, unknownVersion, unsupportedRequest } from './graph-errors.ts';
import type { GraphErrorResponse } from './graph-errors.ts';
import { bearerMatches, parseJson, readBody, sendJson } from './http.ts';
import type { MediaHost } from './media/media-host.ts';
import type { RecordedSend } from './send-log.ts';

export interface AcceptedSend {
  phoneNumberId: string;
  to: string;
  type: string;
  text: string | null;
  bizOpaqueCallbackData: string | null;
  body: unknown;
}

export interface GraphDeps {
  accessToken: string;
  graphVersion: string;
  isPhoneNumber(id: string): boolean;
  media: MediaHost;
  /** Records a valid send; may post its `sent` status before we answer. */
  acceptSend(send: AcceptedSend): Promise<RecordedSend>;
  /** The send's answer has been handed to the socket: later statuses may start. */
  answered(send: RecordedSend): void;
}

const markReadSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  status: z.literal('read'),
  message_id: z.string().min(1),
  typing_indicator: z.object({ type: z.literal('text') }).optional(),
});

// Meta defaults `type` to text when it is absent.
const textSendSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  to: z.string().trim().min(1),
  type: z.literal('text').default('text'),
  text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }),
  context: z.object({ message_id: z.string().min(1) }).optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
});

const bodyShapeSchema = z.looseObject({ status: z.unknown().optional(), type: z.unknown().optional() });

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

/** The send's answer: Meta echoes the input and the normalised wa_id (digits only). */
function sendAnswer(send: RecordedSend): unknown {
  return {
    messaging_product: 'whatsapp',
    contacts: [{ input: send.to, wa_id: send.to.replace(/\D/g, '') }],
    messages: [{ id: send.wamid }],
  };
}

export function createGraphHandler(
  deps: GraphDeps,
): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  const answerError = (res: ServerResponse, error: GraphErrorResponse): Promise<void> =>
    sendJson(res, error.status, error.body);

  async function postMessages(
    req: IncomingMessage,
    res: ServerResponse,
    phoneNumberId: string,
  ): Promise<void> {
    let body: unknown;
    try {
      body = parseJson(await readBody(req));
    } catch (error) {
      return answerError(res, invalidParameter(error instanceof CodedError ? error.message : String(error)));
    }
    const shape = bodyShapeSchema.safeParse(body);
    if (!shape.success) return answerError(res, invalidParameter('the body must be a JSON object'));

    if (shape.data.status !== undefined) {
      const markRead = markReadSchema.safeParse(body);
      if (!markRead.success) return answerError(res, invalidParameter(describeIssues(markRead.error)));
      return sendJson(res, 200, { success: true });
    }

    const type = shape.data.type ?? 'text';
    if (type !== 'text') {
      return answerError(
        res,
        invalidParameter(
          `message type ${JSON.stringify(type)} is not supported by the simulator yet; only 'text' is`,
        ),
      );
    }
    const parsed = textSendSchema.safeParse(body);
    if (!parsed.success) return answerError(res, invalidParameter(describeIssues(parsed.error)));
    const send = await deps.acceptSend({
      phoneNumberId,
      to: parsed.data.to,
      type: parsed.data.type,
      text: parsed.data.text.body,
      bizOpaqueCallbackData: parsed.data.biz_opaque_callback_data ?? null,
      body,
    });
    await sendJson(res, 200, sendAnswer(send));
    deps.answered(send);
  }

  return async (req, res, path) => {
    if (!bearerMatches(req.headers.authorization, deps.accessToken))
      return answerError(res, invalidAccessToken());
    const [version = '', objectId = '', edge, ...rest] = path.split('/').filter((part) => part !== '');
    if (version !== deps.graphVersion) return answerError(res, unknownVersion(version, deps.graphVersion));
    const method = req.method ?? 'GET';
    if (method === 'GET' && edge === undefined) {
      const info = deps.media.info(objectId);
      if (info !== undefined) return info.ok ? sendJson(res, 200, info.answer) : answerError(res, info.error);
    }
    if (!deps.isPhoneNumber(objectId) || edge !== 'messages' || rest.length > 0 || method !== 'POST') {
      return answerError(res, unsupportedRequest(method, objectId));
    }
    return postMessages(req, res, objectId);
  };
}
