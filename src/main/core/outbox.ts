// The outbox: an agent's reply is written to SQLite before anything is sent, then sent whenever a
// connection is welcomed, always with the same mutation id, until the event stream confirms it
// (apply-events.ts removes the row) or the relay refuses it for good (the row is marked failed).
import type { Clock } from '../../shared/clock.ts';
import type { CommandResult, Command } from '../../shared/protocol.ts';
import { commandSchema } from '../../shared/protocol.ts';
import { CodedError } from '../../shared/result.ts';
import type { CacheRepository } from '../cache/cache-repository.ts';
import { newMutationId } from './mutation-id.ts';

export interface OutboxOptions {
  repo: CacheRepository;
  clock: Clock;
  /** relay time - local time: the window is judged on the relay's clock. */
  clockOffsetMs: () => number;
  /** Sends on the live connection; false when there is none. */
  send: (mutationId: string, command: Command) => boolean;
}

export class Outbox {
  readonly #options: OutboxOptions;

  constructor(options: OutboxOptions) {
    this.#options = options;
  }

  /** Queues a text reply durably and sends it if connected; returns its mutation id. */
  queueText(conversationId: string, text: string): string {
    const { repo, clock } = this.#options;
    const conversation = repo.getConversation(conversationId);
    if (!conversation) {
      throw new CodedError('CONVERSATION_NOT_FOUND', `No conversation ${conversationId} in this console`);
    }
    const relayNow = clock.now() + this.#options.clockOffsetMs();
    if (conversation.windowExpiresAt === null || relayNow >= conversation.windowExpiresAt) {
      throw new CodedError(
        'WINDOW_CLOSED',
        'The 24-hour customer service window for this conversation is closed: only an approved template can be sent until the customer writes again.',
      );
    }
    const command = commandSchema.parse({ kind: 'send_text', conversationId, text });
    const mutationId = newMutationId();
    repo.insertOutbox({ mutationId, conversationId, command, createdAt: relayNow });
    this.#send(mutationId, command);
    return mutationId;
  }

  /** After a welcome: everything still pending goes again, oldest first, with the same ids. */
  resendPending(): void {
    for (const row of this.#options.repo.pendingOutbox()) {
      if (!this.#send(row.mutationId, row.command)) return;
    }
  }

  /**
   * A refusal marks the row failed with the reason; success changes nothing, since the message
   * itself arrives through the event stream. Returns the conversation whose thread changed.
   */
  settle(mutationId: string, result: CommandResult): string | null {
    if (result.ok) return null;
    const { repo } = this.#options;
    const row = repo.getOutbox(mutationId);
    if (!row || !repo.markOutboxFailed(mutationId, result.error)) return null;
    return row.conversationId;
  }

  #send(mutationId: string, command: Command): boolean {
    const sent = this.#options.send(mutationId, command);
    if (sent) this.#options.repo.countSendAttempt(mutationId);
    return sent;
  }
}
