// Turns a validated sendInbound request into Meta's webhook: a fresh wamid, the business number's
// metadata, the reply context completed, and registered media described as Meta describes it.
import { inboundWebhook, MEDIA_KINDS } from './payloads/index.ts';
import type { BusinessNumber, MessageBody, MessagesWebhook } from './payloads/index.ts';
import type { InboundRequest } from './inputs.ts';
import type { MediaHost } from './media/media-host.ts';
import { newWamid } from './wamid.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Media messages built with a registered id carry its mime_type and sha256 (and a document its filename). */
function describeMedia(message: MessageBody, media: MediaHost): MessageBody {
  const kind = MEDIA_KINDS.find((k) => k === message.type);
  const object = kind === undefined ? undefined : message[kind];
  if (kind === undefined || !isRecord(object) || typeof object.id !== 'string') return message;
  const fields = media.webhookFields(object.id);
  if (fields === undefined) return message;
  const { filename, ...always } = fields;
  return {
    ...message,
    [kind]: { ...always, ...(kind === 'document' && filename !== undefined ? { filename } : {}), ...object },
  };
}

export function buildInbound(
  request: InboundRequest,
  number: BusinessNumber,
  media: MediaHost,
  now: number,
): { wamid: string; envelope: MessagesWebhook } {
  const wamid = newWamid(request.from === '' ? (request.userId ?? '') : request.from);
  const { context } = request;
  // A reply quotes a message by id; Meta names its sender, for the business's own: its number.
  const completedContext =
    context?.id !== undefined && context.from === undefined
      ? { from: number.displayPhoneNumber, id: context.id }
      : context;
  const envelope = inboundWebhook({
    ...number,
    from: request.from,
    ...(request.name === undefined ? {} : { name: request.name }),
    ...(request.userId === undefined ? {} : { userId: request.userId }),
    ...(request.username === undefined ? {} : { username: request.username }),
    wamid,
    timestamp: request.timestamp ?? now,
    message: describeMedia(request.message, media),
    ...(request.referral === undefined ? {} : { referral: request.referral }),
    ...(completedContext === undefined ? {} : { context: completedContext }),
  });
  return { wamid, envelope };
}
