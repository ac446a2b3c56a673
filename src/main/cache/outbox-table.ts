// The outbox: every action the agent took, durable before it is sent, until the event stream
// confirms it (the row is deleted in the transaction that applies the confirmation) or the relay
// refuses it for good (the row stays, failed, with the reason, until the agent retries or discards).
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { commandSchema, type Command } from '../../shared/protocol.ts';
import { errorInfoSchema, type ErrorInfo } from '../../shared/result.ts';
import { fromJsonColumn } from './json-columns.ts';

export type OutboxState = 'pending' | 'failed';

export interface OutboxRow {
  mutationId: string;
  /** Null for account-wide actions (quick replies). */
  conversationId: string | null;
  command: Command;
  /** Relay time (ms) when the agent queued it: orders it among confirmed messages. */
  createdAt: number;
  state: OutboxState;
  error: ErrorInfo | null;
  attempts: number;
  /** A media send whose file is still only in the console's media cache (uploadId names it there). */
  needsUpload: boolean;
}

interface OutboxDbRow {
  mutation_id: string;
  conversation_id: string | null;
  command_json: string;
  created_at: number;
  state: string;
  error_json: string | null;
  attempts: number;
  needs_upload: number;
}

const outboxStateColumn = z.enum(['pending', 'failed']);

export class OutboxTable {
  readonly #insert: Statement<[Record<string, unknown>]>;
  readonly #get: Statement<[string], OutboxDbRow>;
  readonly #delete: Statement<[string]>;
  readonly #fail: Statement<[string, string]>;
  readonly #countAttempt: Statement<[string]>;
  readonly #uploaded: Statement<[string, string]>;
  readonly #pending: Statement<[], OutboxDbRow>;
  readonly #ofConversation: Statement<[string], OutboxDbRow>;

  constructor(db: Database) {
    this.#insert = db.prepare(`
      INSERT INTO outbox (mutation_id, conversation_id, command_json, created_at, state, error_json, attempts, needs_upload)
      VALUES (@mutationId, @conversationId, @commandJson, @createdAt, 'pending', NULL, 0, @needsUpload)`);
    this.#get = db.prepare('SELECT * FROM outbox WHERE mutation_id = ?');
    this.#delete = db.prepare('DELETE FROM outbox WHERE mutation_id = ?');
    this.#fail = db.prepare(`UPDATE outbox SET state = 'failed', error_json = ? WHERE mutation_id = ?`);
    this.#countAttempt = db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE mutation_id = ?');
    this.#uploaded = db.prepare(
      'UPDATE outbox SET command_json = ?, needs_upload = 0 WHERE mutation_id = ? AND needs_upload = 1',
    );
    this.#pending = db.prepare(`SELECT * FROM outbox WHERE state = 'pending' ORDER BY created_at, rowid`);
    this.#ofConversation = db.prepare(
      'SELECT * FROM outbox WHERE conversation_id = ? ORDER BY created_at, rowid',
    );
  }

  insert(row: {
    mutationId: string;
    conversationId: string | null;
    command: Command;
    createdAt: number;
    needsUpload?: boolean;
  }): void {
    this.#insert.run({
      mutationId: row.mutationId,
      conversationId: row.conversationId,
      commandJson: JSON.stringify(row.command),
      createdAt: row.createdAt,
      needsUpload: row.needsUpload === true ? 1 : 0,
    });
  }

  get(mutationId: string): OutboxRow | null {
    const row = this.#get.get(mutationId);
    return row ? toOutboxRow(row) : null;
  }

  /** Returns whether a row was there. */
  delete(mutationId: string): boolean {
    return this.#delete.run(mutationId).changes > 0;
  }

  markFailed(mutationId: string, error: ErrorInfo): boolean {
    return this.#fail.run(JSON.stringify(error), mutationId).changes > 0;
  }

  countSendAttempt(mutationId: string): void {
    this.#countAttempt.run(mutationId);
  }

  /** The file is up: the command now names the relay's upload. False when the row is gone or was done. */
  markUploaded(mutationId: string, command: Command): boolean {
    return this.#uploaded.run(JSON.stringify(command), mutationId).changes > 0;
  }

  /** Rows still to be confirmed, in the order the agent wrote them. */
  pending(): OutboxRow[] {
    return this.#pending.all().map(toOutboxRow);
  }

  /** Pending and failed rows of one conversation, oldest first. */
  ofConversation(conversationId: string): OutboxRow[] {
    return this.#ofConversation.all(conversationId).map(toOutboxRow);
  }
}

function toOutboxRow(row: OutboxDbRow): OutboxRow {
  const command = fromJsonColumn(commandSchema, row.command_json, 'outbox.command_json');
  if (command === null) throw new Error('unreachable: command_json is NOT NULL');
  return {
    mutationId: row.mutation_id,
    conversationId: row.conversation_id,
    command,
    createdAt: row.created_at,
    state: outboxStateColumn.parse(row.state),
    error: fromJsonColumn(errorInfoSchema, row.error_json, 'outbox.error_json'),
    attempts: row.attempts,
    needsUpload: row.needs_upload === 1,
  };
}
