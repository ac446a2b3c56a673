// What every command handler is, and the checks they share. A handler either returns its outcome or
// throws a `CommandRefusal` from one of the checks below; the runner stores both as the mutation's
// outcome (a replay gets the same answer) and, for a synchronous handler, rolls back anything the
// handler wrote before refusing.
import type { Agent, Conversation, Message } from '../../shared/domain.ts';
import type { Command, CommandKind, CommandResult } from '../../shared/protocol.ts';
import { CodedError } from '../../shared/result.ts';
import { canSeeNumber } from '../agents/visibility.ts';
import type { CommandContext } from './command-context.ts';

export type CommandOf<K extends CommandKind> = Extract<Command, { kind: K }>;

/**
 * Carries out one command for `agent`. A synchronous handler runs inside the runner's transaction,
 * together with storing its outcome: it must not await anything (message-creating handlers enqueue
 * on `ctx.outbound` instead of calling Graph). Only handlers that must hear from Meta before
 * answering are asynchronous, and the runner records them as `executing` first.
 */
export type CommandHandler<K extends CommandKind> = (
  ctx: CommandContext,
  agent: Agent,
  mutationId: string,
  command: CommandOf<K>,
) => CommandResult | Promise<CommandResult>;

/** A refusal as a command outcome. */
export function refuse(code: string, message: string): CommandResult {
  return { ok: false, error: { code, message } };
}

/** The outcome of a successful command: the message (or note, quick reply) it created or changed. */
export function done(messageId: string | null): CommandResult {
  return { ok: true, messageId };
}

/** Thrown by the checks: the runner turns it into a stored refusal (not an internal error). */
export class CommandRefusal extends CodedError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'CommandRefusal';
  }

  get result(): CommandResult {
    return refuse(this.code, this.message);
  }
}

export function isSupervisorOrAdmin(agent: Agent): boolean {
  return agent.role === 'supervisor' || agent.role === 'admin';
}

/** Refuses unless `agent` is a supervisor or an admin; `action` completes "Only supervisors and admins may ...". */
export function requireSupervisor(agent: Agent, action: string): void {
  if (!isSupervisorOrAdmin(agent))
    throw new CommandRefusal('FORBIDDEN', `Only supervisors and admins may ${action}.`);
}

/**
 * The conversation, when `agent` may act on it. An invisible conversation is reported as missing:
 * an agent learns nothing about numbers it is not a member of.
 */
export function visibleConversation(ctx: CommandContext, agent: Agent, conversationId: string): Conversation {
  const conversation = ctx.store.getConversation(conversationId);
  if (conversation === null || !canSeeNumber(agent, conversation.phoneNumberId)) {
    throw new CommandRefusal(
      'CONVERSATION_NOT_FOUND',
      'This conversation does not exist or belongs to a number you are not a member of.',
    );
  }
  return conversation;
}

/** A message of `conversation`, by its id (the wamid for inbound messages, the mutation id for outbound ones). */
export function messageOf(ctx: CommandContext, conversation: Conversation, messageId: string): Message {
  const message = ctx.store.getMessage(messageId) ?? ctx.store.findMessageByWaId(messageId);
  if (message === null || message.conversationId !== conversation.id) {
    throw new CommandRefusal('MESSAGE_NOT_FOUND', 'This message is not part of the conversation.');
  }
  return message;
}

/** Refuses free-form messages outside the 24-hour customer-service window, saying why and what is left. */
export function requireOpenWindow(conversation: Conversation, now: number): void {
  if (conversation.windowExpiresAt !== null && conversation.windowExpiresAt > now) return;
  const since =
    conversation.windowExpiresAt === null
      ? 'The customer has not written to this number yet'
      : `The customer last wrote more than 24 hours ago (the window closed at ${new Date(conversation.windowExpiresAt).toISOString()})`;
  throw new CommandRefusal(
    'WINDOW_CLOSED',
    `${since}: only an approved template can be sent until the customer writes again.`,
  );
}

/** The customer's wa_id, the only address Graph sends to. */
export function customerWaId(conversation: Conversation): string {
  if (conversation.customer.waId !== null) return conversation.customer.waId;
  throw new CommandRefusal(
    'NO_WHATSAPP_NUMBER',
    "WhatsApp has not shared this customer's phone number, so a message cannot be addressed to it yet.",
  );
}

/** Saves a changed conversation with its `conversation.upserted` event (inside the runner's transaction). */
export function saveConversationWithEvent(ctx: CommandContext, conversation: Conversation, at: number): void {
  ctx.store.saveConversation(conversation);
  ctx.store.appendEvent({
    type: 'conversation.upserted',
    at,
    phoneNumberId: conversation.phoneNumberId,
    conversation,
  });
}
