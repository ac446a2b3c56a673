// send_text: check, record, send once, settle. The message and its mutation are committed before the
// Graph call, so a crash mid-send leaves a trace that startup turns into `unknown` (never a resend).
import { statusMovesForward, type Agent, type Conversation, type Message } from '../../shared/domain.ts';
import type { Command, CommandResult } from '../../shared/protocol.ts';
import { canSeeNumber } from '../agents/visibility.ts';
import type { SendOutcome } from '../graph/graph-client.ts';
import { applyParkedStatuses, saveMessageWithEvent } from '../messages/message-log.ts';
import type { RelayStore } from '../store/relay-store.ts';
import type { CommandContext } from './command-context.ts';

export type SendTextCommand = Extract<Command, { kind: 'send_text' }>;

const PREVIEW_LENGTH = 200;

const refuse = (code: string, message: string): CommandResult => ({ ok: false, error: { code, message } });

type SendCheck = { ok: true; conversation: Conversation } | { ok: false; refusal: CommandResult };

/** Whether this agent may send a free-form text to this conversation now, on the relay's clock. */
function checkSendable(conversation: Conversation | null, agent: Agent, now: number): SendCheck {
  // An invisible conversation is reported as missing: an agent learns nothing about other numbers.
  if (conversation === null || !canSeeNumber(agent, conversation.phoneNumberId)) {
    return {
      ok: false,
      refusal: refuse(
        'CONVERSATION_NOT_FOUND',
        'This conversation does not exist or belongs to a number you are not a member of.',
      ),
    };
  }
  if (conversation.windowExpiresAt === null || conversation.windowExpiresAt <= now) {
    const since =
      conversation.windowExpiresAt === null
        ? 'The customer has not written to this number yet'
        : `The customer last wrote more than 24 hours ago (the window closed at ${new Date(conversation.windowExpiresAt).toISOString()})`;
    return {
      ok: false,
      refusal: refuse(
        'WINDOW_CLOSED',
        `${since}: only an approved template can be sent until the customer writes again.`,
      ),
    };
  }
  if (conversation.customer.waId === null) {
    return {
      ok: false,
      refusal: refuse(
        'NO_WHATSAPP_NUMBER',
        "WhatsApp has not shared this customer's phone number, so a text cannot be addressed to it yet.",
      ),
    };
  }
  return { ok: true, conversation };
}

/** The message after Meta's answer. */
function settledMessage(current: Message, outcome: SendOutcome, now: number): Message {
  switch (outcome.kind) {
    case 'accepted':
      return {
        ...current,
        waMessageId: outcome.waMessageId,
        // A status webhook may have overtaken the answer: never move back from sent/delivered/read.
        ...(statusMovesForward(current.status, 'accepted')
          ? { status: 'accepted' as const, statusAt: now }
          : {}),
      };
    case 'rejected':
      return statusMovesForward(current.status, 'failed')
        ? { ...current, status: 'failed', statusAt: now, error: outcome.error }
        : current;
    case 'unknown':
      // Only a message nobody has heard of since becomes unknown; a status webhook already settled the rest.
      return current.status === 'queued' ? { ...current, status: 'unknown', statusAt: now } : current;
  }
}

function settle(store: RelayStore, messageId: string, outcome: SendOutcome, now: number): void {
  const current = store.getMessage(messageId);
  if (current === null) return;
  const next = settledMessage(current, outcome, now);
  if (next !== current) saveMessageWithEvent(store, next, now);
  applyParkedStatuses(store, next, now);
}

export async function sendText(
  context: CommandContext,
  agent: Agent,
  mutationId: string,
  command: SendTextCommand,
): Promise<CommandResult> {
  const { store, clock, graph, logger } = context;
  const now = clock.now();
  const check = checkSendable(store.getConversation(command.conversationId), agent, now);
  if (!check.ok) {
    // Refusals are outcomes too: the same mutation id gets the same answer, even after the window reopens.
    store.insertMutation({
      mutationId,
      agentId: agent.id,
      state: 'done',
      result: check.refusal,
      createdAt: now,
    });
    return check.refusal;
  }
  const { conversation } = check;

  const message: Message = {
    id: mutationId,
    conversationId: conversation.id,
    phoneNumberId: conversation.phoneNumberId,
    direction: 'out',
    type: 'text',
    text: command.text,
    waMessageId: null,
    timestamp: now,
    status: 'queued',
    statusAt: now,
    error: null,
    pricing: null,
    authorId: agent.id,
    payload: null,
    media: null,
    context: null,
    waitingUntil: null,
  };
  const updatedConversation: Conversation = {
    ...conversation,
    lastMessageAt: Math.max(conversation.lastMessageAt, now),
    lastMessagePreview: command.text.slice(0, PREVIEW_LENGTH),
  };
  store.transaction(() => {
    store.insertMutation({ mutationId, agentId: agent.id, state: 'executing', result: null, createdAt: now });
    saveMessageWithEvent(store, message, now);
    store.saveConversation(updatedConversation);
    store.appendEvent({
      type: 'conversation.upserted',
      at: now,
      phoneNumberId: conversation.phoneNumberId,
      conversation: updatedConversation,
    });
  });

  const outcome = await graph.sendMessage(conversation.phoneNumberId, {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: conversation.customer.waId,
    type: 'text',
    text: { body: command.text, preview_url: false },
    biz_opaque_callback_data: mutationId,
  });
  logger.info(
    {
      mutationId,
      conversationId: conversation.id,
      outcome: outcome.kind,
      ...(outcome.kind === 'rejected' ? { code: outcome.error.code } : {}),
    },
    outcome.kind === 'unknown'
      ? `send outcome unknown (${outcome.reason}); it will not be retried`
      : 'send answered',
  );

  // The message exists whatever Meta said; its status (accepted, failed with Meta's error, unknown)
  // travels through the event stream.
  const result: CommandResult = { ok: true, messageId: mutationId };
  store.transaction(() => {
    settle(store, mutationId, outcome, clock.now());
    store.finishMutation(mutationId, result);
  });
  return result;
}
