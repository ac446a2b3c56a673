// Runs console commands at most once per client mutation id. The id is the idempotency key: a
// repeat (a console retrying after a lost answer, or after either side restarted) gets the stored
// outcome and never reaches Meta again.
import type { Agent } from '../../shared/domain.ts';
import type { Command, CommandResult } from '../../shared/protocol.ts';
import { saveMessageWithEvent } from '../messages/message-log.ts';
import type { CommandContext } from './command-context.ts';
import { sendText } from './send-text.ts';

export interface CommandRunner {
  /**
   * The command's outcome, or null when it is left unanswered for now (the relay is shutting down, or
   * an earlier attempt broke off): the console keeps it pending and resends the same mutation id later.
   */
  run(agent: Agent, mutationId: string, command: Command): Promise<CommandResult> | null;
  /** Refuses new commands and resolves once every command in flight has finished (graceful shutdown). */
  drain(): Promise<void>;
}

/**
 * Mutations left `executing` by a crash may or may not have reached Meta: their messages become
 * `unknown` (a later status webhook settles them through the tracker) and they are never resent.
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
          ? {
              ok: false,
              error: {
                code: 'INTERRUPTED',
                message: 'The relay stopped before this command was carried out.',
              },
            }
          : { ok: true, messageId: message.id },
      );
    });
  }
  return interrupted.length;
}

export function createCommandRunner(context: CommandContext): CommandRunner {
  const inFlight = new Map<string, Promise<CommandResult>>();
  let draining = false;

  const execute = (agent: Agent, mutationId: string, command: Command): Promise<CommandResult> => {
    switch (command.kind) {
      case 'send_text':
        return sendText(context, agent, mutationId, command);
      default:
        return Promise.resolve({
          ok: false,
          error: { code: 'NOT_SUPPORTED', message: `The relay cannot carry out ${command.kind} yet.` },
        });
    }
  };

  return {
    run(agent, mutationId, command) {
      // No answer rather than a refusal, which would mark the console's outbox row failed.
      if (draining) return null;
      // Everything up to the Graph call runs synchronously, so two copies of one mutation cannot both pass here.
      const running = inFlight.get(mutationId);
      if (running !== undefined) return running;
      const stored = context.store.getMutation(mutationId);
      if (stored !== null) {
        if (stored.agentId !== agent.id) {
          return Promise.resolve({
            ok: false,
            error: { code: 'MUTATION_ID_TAKEN', message: 'Another agent already used this mutation id.' },
          });
        }
        if (stored.result !== null) return Promise.resolve(stored.result);
        // Executing but not in flight: an earlier attempt broke off midway. The next start settles it
        // as unknown; until then the console keeps it pending.
        context.logger.warn({ mutationId }, 'repeat of a command that broke off midway; left unanswered');
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
