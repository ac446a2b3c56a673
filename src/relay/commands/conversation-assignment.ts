// Who answers a conversation: assign, unassign and transfer. Any member may take an unassigned
// conversation for themselves; giving one to someone else, or taking one from its assignee, is a
// supervisor's call (or, for a transfer, the assignee's own).
import type { Agent, Conversation } from '../../shared/domain.ts';
import { canSeeNumber } from '../agents/visibility.ts';
import type { CommandContext } from './command-context.ts';
import {
  CommandRefusal,
  done,
  isSupervisorOrAdmin,
  requireSupervisor,
  saveConversationWithEvent,
  visibleConversation,
  type CommandHandler,
} from './command-handler.ts';

/** The agent a conversation may be given to: known, not revoked, and a member of its number. */
function assignableAgent(ctx: CommandContext, agentId: string, conversation: Conversation): Agent {
  const record = ctx.agents.get(agentId);
  if (record === null) throw new CommandRefusal('AGENT_NOT_FOUND', `No agent has the id "${agentId}".`);
  if (record.revokedAt !== null)
    throw new CommandRefusal('AGENT_REVOKED', `${record.agent.name} no longer has access to the relay.`);
  if (!canSeeNumber(record.agent, conversation.phoneNumberId)) {
    throw new CommandRefusal(
      'AGENT_NOT_MEMBER',
      `${record.agent.name} is not a member of this conversation's number, so they could not see it.`,
    );
  }
  return record.agent;
}

function withAssignee(ctx: CommandContext, conversation: Conversation, assigneeId: string | null): void {
  // Assigning to whoever already has it changes nothing and logs nothing.
  if (conversation.assigneeId === assigneeId) return;
  saveConversationWithEvent(ctx, { ...conversation, assigneeId }, ctx.clock.now());
}

export const assign: CommandHandler<'assign'> = (ctx, agent, _mutationId, command) => {
  const conversation = visibleConversation(ctx, agent, command.conversationId);
  const takingUnassigned = command.agentId === agent.id && conversation.assigneeId === null;
  const keepingOwn = command.agentId === agent.id && conversation.assigneeId === agent.id;
  if (!takingUnassigned && !keepingOwn)
    requireSupervisor(agent, 'assign a conversation to someone else or take one that is already assigned');
  const assignee = assignableAgent(ctx, command.agentId, conversation);
  withAssignee(ctx, conversation, assignee.id);
  return done(null);
};

export const unassign: CommandHandler<'unassign'> = (ctx, agent, _mutationId, command) => {
  const conversation = visibleConversation(ctx, agent, command.conversationId);
  if (conversation.assigneeId === null)
    throw new CommandRefusal('NOT_ASSIGNED', 'This conversation is not assigned to anyone.');
  if (conversation.assigneeId !== agent.id)
    requireSupervisor(agent, 'unassign a conversation assigned to someone else');
  withAssignee(ctx, conversation, null);
  return done(null);
};

export const transfer: CommandHandler<'transfer'> = (ctx, agent, _mutationId, command) => {
  const conversation = visibleConversation(ctx, agent, command.conversationId);
  if (conversation.assigneeId === null) {
    throw new CommandRefusal(
      'NOT_ASSIGNED',
      'This conversation is not assigned to anyone: assign it instead of transferring it.',
    );
  }
  if (conversation.assigneeId !== agent.id && !isSupervisorOrAdmin(agent)) {
    throw new CommandRefusal(
      'FORBIDDEN',
      'Only the agent the conversation is assigned to, a supervisor or an admin may transfer it.',
    );
  }
  const assignee = assignableAgent(ctx, command.toAgentId, conversation);
  withAssignee(ctx, conversation, assignee.id);
  return done(null);
};
