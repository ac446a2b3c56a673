// One item of `value.messages[]` -> an InboundMessage: who wrote, what, when, its reply/forward
// marks, the media to fetch and the ad that brought the customer.
import { z } from 'zod';
import type { MessageContext, Referral } from '../../../shared/domain.ts';
import type { InboundMessage } from '../normalized.ts';
import { firstErrorOf, nonEmpty, timestampSchema } from './common.ts';
import { customerOf, type Contact } from './customer.ts';
import { mediaOf, payloadOf, previewOf, textOf, type RawMessage } from './message-content.ts';

const messageItemSchema = z.looseObject({
  id: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  timestamp: timestampSchema,
  type: z.string().min(1),
  errors: z.array(z.unknown()).optional(),
  context: z
    .looseObject({
      id: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
    })
    .optional()
    .catch(undefined),
  referral: z
    .looseObject({
      source_type: z.string().optional(),
      source_id: z.string().optional(),
      source_url: z.string().optional(),
      headline: z.string().optional(),
      body: z.string().optional(),
      ctwa_clid: z.string().optional(),
    })
    .optional()
    .catch(undefined),
});
type MessageItem = z.infer<typeof messageItemSchema>;

function contextOf(context: MessageItem['context']): MessageContext | null {
  if (context === undefined) return null;
  const frequentlyForwarded = context.frequently_forwarded === true;
  return {
    replyTo: nonEmpty(context.id),
    // "Frequently forwarded" is a forward too.
    forwarded: context.forwarded === true || frequentlyForwarded,
    frequentlyForwarded,
  };
}

function referralOf(referral: MessageItem['referral'], at: number): Referral | null {
  if (referral === undefined) return null;
  return {
    sourceType: nonEmpty(referral.source_type),
    sourceId: nonEmpty(referral.source_id),
    sourceUrl: nonEmpty(referral.source_url),
    headline: nonEmpty(referral.headline),
    body: nonEmpty(referral.body),
    ctwaClid: nonEmpty(referral.ctwa_clid),
    at,
  };
}

/** The message, or why it cannot be read (kept raw by the caller). */
export function readMessage(
  item: unknown,
  phoneNumberId: string,
  contacts: Contact[],
): { ok: true; message: InboundMessage } | { ok: false; reason: string } {
  const parsed = messageItemSchema.safeParse(item);
  if (!parsed.success) return { ok: false, reason: z.prettifyError(parsed.error) };
  const message = parsed.data;
  const customer = customerOf(message, contacts);
  if (customer === null) return { ok: false, reason: 'no wa_id or user id to tell who wrote' };
  // Content is read from the item as Meta sent it (the parsed copy has its timestamp in ms).
  const raw: RawMessage = { ...(item as Record<string, unknown>), type: message.type };
  return {
    ok: true,
    message: {
      phoneNumberId,
      customer,
      waMessageId: message.id,
      type: message.type,
      text: textOf(raw),
      preview: previewOf(raw),
      timestamp: message.timestamp,
      payload: payloadOf(raw),
      error: firstErrorOf(message.errors),
      media: mediaOf(raw),
      context: contextOf(message.context),
      referral: referralOf(message.referral, message.timestamp),
    },
  };
}
