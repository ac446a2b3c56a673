// send_text: a free-form text to the customer, optionally quoting a message of the conversation and
// with a link preview. Checked (membership, the 24-hour window, a wa_id to address, the quoted
// message) and queued in the runner's transaction; the outbound dispatcher sends it once.
import type { Message } from '../../shared/domain.ts';
import { queueOutboundMessage } from '../outbound/queue-message.ts';
import {
  CommandRefusal,
  done,
  messageOf,
  requireOpenWindow,
  visibleConversation,
  type CommandHandler,
} from './command-handler.ts';

/** Meta's reply context names the quoted message by its wamid, which an unsent message lacks. */
function quotedWaId(quoted: Message): string {
  if (quoted.waMessageId !== null) return quoted.waMessageId;
  throw new CommandRefusal(
    'MESSAGE_NOT_SENT',
    'WhatsApp has not accepted the quoted message yet, so it cannot be quoted.',
  );
}

export const sendText: CommandHandler<'send_text'> = (ctx, agent, mutationId, command) => {
  const conversation = visibleConversation(ctx, agent, command.conversationId);
  requireOpenWindow(conversation, ctx.clock.now());
  const replyTo =
    command.replyTo === undefined ? null : quotedWaId(messageOf(ctx, conversation, command.replyTo));
  queueOutboundMessage(ctx, agent, mutationId, conversation, {
    type: 'text',
    text: command.text,
    context: replyTo === null ? null : { replyTo, forwarded: false, frequentlyForwarded: false },
    preview: command.text,
    body: {
      type: 'text',
      text: { body: command.text, preview_url: command.previewUrl },
      ...(replyTo === null ? {} : { context: { message_id: replyTo } }),
    },
  });
  return done(mutationId);
};
