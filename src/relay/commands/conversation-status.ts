// Closing and reopening a conversation: any member of its number may. A customer's next message
// reopens a closed conversation by itself (messages/conversation-update.ts).
import type { Conversation } from '../../shared/domain.ts';
import type { CommandContext } from './command-context.ts';
import {
  done,
  saveConversationWithEvent,
  visibleConversation,
  type CommandHandler,
} from './command-handler.ts';

function withStatus(ctx: CommandContext, conversation: Conversation, status: Conversation['status']): void {
  // Closing a closed conversation changes nothing and logs nothing.
  if (conversation.status === status) return;
  saveConversationWithEvent(ctx, { ...conversation, status }, ctx.clock.now());
}

export const closeConversation: CommandHandler<'close'> = (ctx, agent, _mutationId, command) => {
  withStatus(ctx, visibleConversation(ctx, agent, command.conversationId), 'closed');
  return done(null);
};

export const reopenConversation: CommandHandler<'reopen'> = (ctx, agent, _mutationId, command) => {
  withStatus(ctx, visibleConversation(ctx, agent, command.conversationId), 'open');
  return done(null);
};
