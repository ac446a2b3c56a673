// The team's quick replies: any agent may create and edit them; deleting one someone else created is
// a supervisor's call. Shortcuts are unique whatever their case. Quick replies belong to no number,
// so their events reach every console.
import type { QuickReply } from '../../shared/domain.ts';
import type { CommandContext } from './command-context.ts';
import { CommandRefusal, done, requireSupervisor, type CommandHandler } from './command-handler.ts';
import type { QuickReplyRecord } from '../team/quick-reply-store.ts';

function existingReply(ctx: CommandContext, id: string): QuickReplyRecord {
  const record = ctx.quickReplies.get(id);
  if (record === null)
    throw new CommandRefusal('QUICK_REPLY_NOT_FOUND', 'This quick reply does not exist (any more).');
  return record;
}

/** Refuses a shortcut another reply already uses, in any case. */
function requireFreeShortcut(ctx: CommandContext, shortcut: string, ownId: string): void {
  const holder = ctx.quickReplies.findByShortcut(shortcut);
  if (holder !== null && holder.quickReply.id !== ownId) {
    throw new CommandRefusal(
      'SHORTCUT_TAKEN',
      `The shortcut /${shortcut} is already used by the quick reply /${holder.quickReply.shortcut}; choose another one.`,
    );
  }
}

function saveWithEvent(ctx: CommandContext, quickReply: QuickReply, createdBy: string): void {
  ctx.quickReplies.save(quickReply, createdBy);
  ctx.store.appendEvent({
    type: 'quick_reply.upserted',
    at: quickReply.updatedAt,
    phoneNumberId: null,
    quickReply,
  });
}

export const createQuickReply: CommandHandler<'quick_reply_create'> = (ctx, agent, mutationId, command) => {
  requireFreeShortcut(ctx, command.shortcut, mutationId);
  const quickReply: QuickReply = {
    id: mutationId,
    shortcut: command.shortcut,
    text: command.text,
    updatedAt: ctx.clock.now(),
    updatedBy: agent.id,
  };
  saveWithEvent(ctx, quickReply, agent.id);
  return done(quickReply.id);
};

export const updateQuickReply: CommandHandler<'quick_reply_update'> = (ctx, agent, _mutationId, command) => {
  if (command.shortcut === undefined && command.text === undefined)
    throw new CommandRefusal('NOTHING_TO_CHANGE', 'Give a new shortcut, a new text, or both.');
  const { quickReply, createdBy } = existingReply(ctx, command.quickReplyId);
  if (command.shortcut !== undefined) requireFreeShortcut(ctx, command.shortcut, quickReply.id);
  const updated: QuickReply = {
    ...quickReply,
    shortcut: command.shortcut ?? quickReply.shortcut,
    text: command.text ?? quickReply.text,
    updatedAt: ctx.clock.now(),
    updatedBy: agent.id,
  };
  saveWithEvent(ctx, updated, createdBy);
  return done(updated.id);
};

export const deleteQuickReply: CommandHandler<'quick_reply_delete'> = (ctx, agent, _mutationId, command) => {
  const { quickReply, createdBy } = existingReply(ctx, command.quickReplyId);
  if (createdBy !== agent.id) requireSupervisor(agent, 'delete a quick reply someone else created');
  ctx.quickReplies.delete(quickReply.id);
  ctx.store.appendEvent({
    type: 'quick_reply.deleted',
    at: ctx.clock.now(),
    phoneNumberId: null,
    quickReplyId: quickReply.id,
  });
  return done(quickReply.id);
};
