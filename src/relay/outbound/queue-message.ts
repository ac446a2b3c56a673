// What every message-creating command does once its checks passed (send text, template, media,
// reaction): save the message as `queued` with its event, move the conversation's last-message line,
// and queue the Graph send. Synchronous, inside the command runner's transaction: all or nothing.
import type { Agent, Conversation, Media, Message, MessageContext } from '../../shared/domain.ts';
import type { CommandContext } from '../commands/command-context.ts';
import { customerWaId, saveConversationWithEvent } from '../commands/command-handler.ts';
import { saveMessageWithEvent } from '../messages/message-log.ts';
import type { UploadPlacement } from './outbound-request.ts';

/** How much of a message the inbox list shows. */
const PREVIEW_LENGTH = 200;

export interface OutgoingMessage {
  /** Meta's message type: text, template, image, reaction, ... */
  type: string;
  /** The text or caption consoles show; null when the type has none. */
  text: string | null;
  payload?: Record<string, unknown> | null;
  /** What the message carries (an outbound file is viewable at once from its upload). */
  media?: Media | null;
  context?: MessageContext | null;
  /** The conversation's last-message line (cut to 200 characters). */
  preview: string;
  /** Graph message body without messaging_product, recipient_type, to and biz_opaque_callback_data. */
  body: Record<string, unknown>;
  /** Relay-held uploads whose Meta media ids go into `body` before sending. */
  uploads?: UploadPlacement[];
}

/**
 * Saves `outgoing` as the message `mutationId` (status queued) and queues its send to the
 * conversation's customer. Refuses (CommandRefusal NO_WHATSAPP_NUMBER) a customer without a wa_id.
 */
export function queueOutboundMessage(
  ctx: CommandContext,
  agent: Agent,
  mutationId: string,
  conversation: Conversation,
  outgoing: OutgoingMessage,
): Message {
  const { store, clock } = ctx;
  const to = customerWaId(conversation);
  const now = clock.now();
  const message: Message = {
    id: mutationId,
    conversationId: conversation.id,
    phoneNumberId: conversation.phoneNumberId,
    direction: 'out',
    type: outgoing.type,
    text: outgoing.text,
    waMessageId: null,
    timestamp: now,
    status: 'queued',
    statusAt: now,
    error: null,
    pricing: null,
    authorId: agent.id,
    payload: outgoing.payload ?? null,
    media: outgoing.media ?? null,
    context: outgoing.context ?? null,
    waitingUntil: null,
  };
  saveMessageWithEvent(store, message, now);
  const listed: Conversation = {
    ...conversation,
    lastMessageAt: Math.max(conversation.lastMessageAt, now),
    lastMessagePreview: outgoing.preview.slice(0, PREVIEW_LENGTH),
  };
  saveConversationWithEvent(ctx, listed, now);
  ctx.outbound.enqueue({
    messageId: mutationId,
    phoneNumberId: conversation.phoneNumberId,
    to,
    body: outgoing.body,
    ...(outgoing.uploads === undefined ? {} : { uploads: outgoing.uploads }),
  });
  return message;
}
