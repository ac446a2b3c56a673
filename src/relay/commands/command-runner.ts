// Runs console commands at most once per client mutation id. The id is the idempotency key: a
// repeat (a console retrying after a lost answer, or after either side restarted) gets the stored
// outcome and never reaches Meta again.
//
// A synchronous handler runs in ONE transaction with storing its outcome: its checks, its rows and
// events, its outbound enqueue and the mutation commit together, so a crash leaves all or nothing.
// An asynchronous handler (one that must hear from Meta before answering) is recorded `executing`
// first, then awaited, then its outcome is stored; startup settles the ones a crash broke off.
import type { Agent } from '../../shared/domain.ts';
import type { Command, CommandKind, CommandResult } from '../../shared/protocol.ts';
import { toErrorInfo } from '../../shared/result.ts';
import { saveMessageWithEvent } from '../messages/message-log.ts';
import type { CommandContext } from './command-context.ts';
import { CommandRefusal, refuse, type CommandHandler, type CommandOf } from './command-handler.ts';
import { assign, transfer, unassign } from './conversation-assignment.ts';
import { addNote } from './add-note.ts';
import { closeConversation, reopenConversation } from './conversation-status.ts';
import { markRead } from './mark-read.ts';
import { createQuickReply, deleteQuickReply, updateQuickReply } from './quick-replies.ts';
import { sendMedia } from './send-media.ts';
import { sendReaction } from './send-reaction.ts';
import { sendTemplate } from './send-template.ts';
import { sendText } from './send-text.ts';
import { syncTemplates } from './sync-templates.ts';

export interface CommandRunner {
  /**
   * The command's outcome, or null when it is left unanswered for now (the relay is shutting down, or
   * an earlier attempt broke off): the console keeps it pending and resends the same mutation id later.
   */
  run(agent: Agent, mutationId: string, command: Command): Promise<CommandResult> | null;
  /** Refuses new commands and resolves once every command in flight has finished (graceful shutdown). */
  drain(): Promise<void>;
}

export interface HandlerEntry<K extends CommandKind> {
  /** `async` only for handlers that must hear from Meta before answering. */
  mode: 'sync' | 'async';
  handle: CommandHandler<K>;
}

export type HandlerTable = { [K in CommandKind]?: HandlerEntry<K> };

/** Every command the relay carries out (a table missing a kind answers it NOT_SUPPORTED). */
export const commandHandlers: { [K in CommandKind]: HandlerEntry<K> } = {
  send_text: { mode: 'sync', handle: sendText },
  send_template: { mode: 'sync', handle: sendTemplate },
  send_media: { mode: 'sync', handle: sendMedia },
  send_reaction: { mode: 'sync', handle: sendReaction },
  mark_read: { mode: 'async', handle: markRead },
  assign: { mode: 'sync', handle: assign },
  unassign: { mode: 'sync', handle: unassign },
  transfer: { mode: 'sync', handle: transfer },
  close: { mode: 'sync', handle: closeConversation },
  reopen: { mode: 'sync', handle: reopenConversation },
  add_note: { mode: 'sync', handle: addNote },
  quick_reply_create: { mode: 'sync', handle: createQuickReply },
  quick_reply_update: { mode: 'sync', handle: updateQuickReply },
  quick_reply_delete: { mode: 'sync', handle: deleteQuickReply },
  sync_templates: { mode: 'async', handle: syncTemplates },
};

/**
 * Mutations left `executing` by a crash (an asynchronous command cut while waiting for Meta) are
 * answered INTERRUPTED. A message left `queued` under one can only come from a relay before the
 * outbound queue, which sent inside the command: it may have reached Meta, so it becomes `unknown`
 * (a later status webhook settles it through the tracker) and is never resent.
 */
export function settleInterruptedMutations(context: CommandContext): number {
  const { store, clock } = context;
  const interrupted = store.listExecutingMutations();
  for (const mutation of interrupted) {
    store.transaction(() => {
      const now = clock.now();
      const message = store.getMessage(mutation.mutationId);
      if (message?.status === 'queued')
        saveMessageWithEvent(store, { ...message, status: 'unknown', statusAt: now }, now);
      store.finishMutation(
        mutation.mutationId,
        message === null
          ? refuse('INTERRUPTED', 'The relay stopped before this command was carried out.')
          : { ok: true, messageId: message.id },
      );
    });
  }
  return interrupted.length;
}

/** `handlers` is replaceable so the runner's own guarantees can be tested with handlers made to fail. */
export function createCommandRunner(
  context: CommandContext,
  handlers: HandlerTable = commandHandlers,
): CommandRunner {
  const { store, clock, logger } = context;
  const inFlight = new Map<string, Promise<CommandResult>>();
  let draining = false;

  const internalError = (error: unknown, mutationId: string, command: Command): CommandResult => {
    logger.error({ err: error, mutationId, kind: command.kind }, 'command failed');
    return refuse('INTERNAL', `The relay could not carry out this command: ${toErrorInfo(error).message}`);
  };

  /** Check, write and commit the outcome in one transaction; a refusal keeps only the outcome. */
  const runSync = <K extends CommandKind>(
    entry: HandlerEntry<K>,
    agent: Agent,
    mutationId: string,
    command: CommandOf<K>,
  ): CommandResult => {
    const record = (result: CommandResult): void =>
      store.insertMutation({ mutationId, agentId: agent.id, state: 'done', result, createdAt: clock.now() });
    try {
      return store.transaction(() => {
        const result = entry.handle(context, agent, mutationId, command);
        if (result instanceof Promise) throw new Error(`the ${command.kind} handler is not synchronous`);
        // Thrown, so the transaction undoes whatever the handler wrote before refusing.
        if (!result.ok) throw new CommandRefusal(result.error.code, result.error.message);
        record(result);
        return result;
      });
    } catch (error) {
      // An internal failure stores nothing: the same mutation id may be tried again.
      if (!(error instanceof CommandRefusal)) return internalError(error, mutationId, command);
      store.transaction(() => record(error.result));
      return error.result;
    }
  };

  /** Recorded as executing, then awaited: the outcome is stored whatever happens. */
  const runAsync = async <K extends CommandKind>(
    entry: HandlerEntry<K>,
    agent: Agent,
    mutationId: string,
    command: CommandOf<K>,
  ): Promise<CommandResult> => {
    let result: CommandResult;
    try {
      result = await entry.handle(context, agent, mutationId, command);
    } catch (error) {
      result = error instanceof CommandRefusal ? error.result : internalError(error, mutationId, command);
    }
    store.finishMutation(mutationId, result);
    return result;
  };

  const execute = <K extends CommandKind>(
    agent: Agent,
    mutationId: string,
    command: CommandOf<K>,
  ): Promise<CommandResult> => {
    const entry: HandlerEntry<K> | undefined = handlers[command.kind];
    try {
      if (entry === undefined) {
        const refusal = refuse('NOT_SUPPORTED', `The relay cannot carry out ${command.kind} yet.`);
        return Promise.resolve(runSync({ mode: 'sync', handle: () => refusal }, agent, mutationId, command));
      }
      if (entry.mode === 'sync') return Promise.resolve(runSync(entry, agent, mutationId, command));
      store.insertMutation({
        mutationId,
        agentId: agent.id,
        state: 'executing',
        result: null,
        createdAt: clock.now(),
      });
      return runAsync(entry, agent, mutationId, command);
    } catch (error) {
      // The store failed: nothing was recorded, so the same mutation id may be tried again.
      return Promise.resolve(internalError(error, mutationId, command));
    }
  };

  return {
    run(agent, mutationId, command) {
      // No answer rather than a refusal, which would mark the console's outbox row failed.
      if (draining) return null;
      // Everything up to the first await runs synchronously, so two copies of one mutation cannot both pass here.
      const running = inFlight.get(mutationId);
      if (running !== undefined) return running;
      const stored = store.getMutation(mutationId);
      if (stored !== null) {
        if (stored.agentId !== agent.id) {
          return Promise.resolve(refuse('MUTATION_ID_TAKEN', 'Another agent already used this mutation id.'));
        }
        if (stored.result !== null) return Promise.resolve(stored.result);
        // Executing but not in flight: an earlier attempt broke off midway. The next start settles it;
        // until then the console keeps it pending.
        logger.warn({ mutationId }, 'repeat of a command that broke off midway; left unanswered');
        return null;
      }
      const promise = execute(agent, mutationId, command).finally(() => inFlight.delete(mutationId));
      inFlight.set(mutationId, promise);
      return promise;
    },

    async drain() {
      draining = true;
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
