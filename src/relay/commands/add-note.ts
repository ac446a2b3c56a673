// add_note: an internal note on a conversation, seen by every console that sees the conversation and
// never sent to the customer. Its id is the mutation id.
import type { Note } from '../../shared/domain.ts';
import { done, visibleConversation, type CommandHandler } from './command-handler.ts';

export const addNote: CommandHandler<'add_note'> = (ctx, agent, mutationId, command) => {
  const conversation = visibleConversation(ctx, agent, command.conversationId);
  const at = ctx.clock.now();
  const note: Note = {
    id: mutationId,
    conversationId: conversation.id,
    phoneNumberId: conversation.phoneNumberId,
    authorId: agent.id,
    text: command.text,
    at,
  };
  ctx.notes.insert(note);
  ctx.store.appendEvent({ type: 'note.upserted', at, phoneNumberId: conversation.phoneNumberId, note });
  return done(note.id);
};
