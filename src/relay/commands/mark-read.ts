// mark_read: tells WhatsApp the team has read a customer's message (blue ticks, and every earlier
// message too). It must hear from Meta before answering, so the runner runs it asynchronously. A
// read receipt changes nothing the relay keeps, so it logs no event; repeating one is harmless.
import type { WhatsAppError } from '../../shared/domain.ts';
import {
  CommandRefusal,
  done,
  messageOf,
  refuse,
  visibleConversation,
  type CommandHandler,
} from './command-handler.ts';

function describe(error: WhatsAppError): string {
  return `${error.title} (${error.code})${error.details === undefined ? '' : `: ${error.details}`}`;
}

export const markRead: CommandHandler<'mark_read'> = async (ctx, agent, mutationId, command) => {
  const conversation = visibleConversation(ctx, agent, command.conversationId);
  const message = messageOf(ctx, conversation, command.messageId);
  if (message.direction !== 'in' || message.waMessageId === null)
    throw new CommandRefusal('NOT_A_CUSTOMER_MESSAGE', "Only a customer's message can be marked read.");

  const outcome = await ctx.graph.markRead(conversation.phoneNumberId, message.waMessageId);
  ctx.logger.info(
    { mutationId, conversationId: conversation.id, outcome: outcome.kind },
    'mark read answered',
  );
  switch (outcome.kind) {
    case 'ok':
      return done(message.id);
    case 'rejected':
      return refuse('META_REJECTED', `WhatsApp refused to mark the message read: ${describe(outcome.error)}`);
    case 'not_sent':
    case 'unknown':
      return refuse(
        'META_UNREACHABLE',
        `WhatsApp could not be asked to mark the message read (${outcome.reason}); try again.`,
      );
  }
};
