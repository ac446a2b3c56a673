// send_reaction: an emoji on a message of the conversation (an empty emoji removes the reaction).
// Like any message to the customer it needs the open window, and it leaves through the outbound
// queue: recorded as `queued` and enqueued in the runner's transaction, sent once by the dispatcher.
import { queueOutboundMessage } from '../outbound/queue-message.ts';
import {
  CommandRefusal,
  done,
  messageOf,
  requireOpenWindow,
  visibleConversation,
  type CommandHandler,
} from './command-handler.ts';

export const sendReaction: CommandHandler<'send_reaction'> = (ctx, agent, mutationId, command) => {
  const conversation = visibleConversation(ctx, agent, command.conversationId);
  const target = messageOf(ctx, conversation, command.messageId);
  requireOpenWindow(conversation, ctx.clock.now());
  if (target.waMessageId === null) {
    throw new CommandRefusal(
      'MESSAGE_NOT_SENT',
      'WhatsApp has not accepted this message yet, so it cannot be reacted to.',
    );
  }
  if (target.type === 'reaction')
    throw new CommandRefusal('CANNOT_REACT_TO_REACTION', 'A reaction cannot be reacted to.');

  const reaction = { message_id: target.waMessageId, emoji: command.emoji };
  queueOutboundMessage(ctx, agent, mutationId, conversation, {
    type: 'reaction',
    text: command.emoji === '' ? null : command.emoji,
    payload: reaction,
    // A removed reaction leaves the conversation's last line as it was, as for an inbound one.
    preview: command.emoji === '' ? conversation.lastMessagePreview : command.emoji,
    body: { type: 'reaction', reaction },
  });
  return done(mutationId);
};
