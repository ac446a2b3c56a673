// The `outbound` table (migration 005), on the store's own connection so that its writes join the
// store's transactions: a command's message and its enqueue commit together, and so do a send's
// outcome and the row's removal.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { graphBodySchema, uploadPlacementSchema, type UploadPlacement } from './outbound-request.ts';

export const outboundStateSchema = z.enum(['queued', 'sending']);
export type OutboundState = z.infer<typeof outboundStateSchema>;

export interface OutboundRow {
  /** Enqueue order. */
  id: number;
  messageId: string;
  phoneNumberId: string;
  recipient: string;
  body: Record<string, unknown>;
  /** Uploads still to hand to Meta; empty once their media ids are in the body. */
  uploads: UploadPlacement[];
  state: OutboundState;
  attempts: number;
  pairLimitHits: number;
  notBefore: number;
  lastError: string | null;
  enqueuedAt: number;
}

interface Row {
  id: number;
  message_id: string;
  phone_number_id: string;
  recipient: string;
  body_json: string;
  uploads_json: string | null;
  state: string;
  attempts: number;
  pair_limit_hits: number;
  not_before: number;
  last_error: string | null;
  enqueued_at: number;
}

const uploadsSchema = z.array(uploadPlacementSchema);

function toOutboundRow(row: Row): OutboundRow {
  return {
    id: row.id,
    messageId: row.message_id,
    phoneNumberId: row.phone_number_id,
    recipient: row.recipient,
    body: graphBodySchema.parse(JSON.parse(row.body_json)),
    uploads: row.uploads_json === null ? [] : uploadsSchema.parse(JSON.parse(row.uploads_json)),
    state: outboundStateSchema.parse(row.state),
    attempts: row.attempts,
    pairLimitHits: row.pair_limit_hits,
    notBefore: row.not_before,
    lastError: row.last_error,
    enqueuedAt: row.enqueued_at,
  };
}

export interface NewOutboundRow {
  messageId: string;
  phoneNumberId: string;
  recipient: string;
  body: Record<string, unknown>;
  uploads: UploadPlacement[];
}

export interface OutboundTable {
  insert(row: NewOutboundRow, at: number): void;
  get(messageId: string): OutboundRow | null;
  /**
   * The next send of each recipient (its oldest row) that is queued and due at `now`, oldest first,
   * leaving out numbers that may not send now and rows already being worked on.
   */
  dueHeads(
    now: number,
    limit: number,
    skip: { phoneNumberIds: readonly string[]; messageIds: readonly string[] },
  ): OutboundRow[];
  /** The earliest not_before after `now` of a queued row (null when none waits). */
  nextDueAfter(now: number): number | null;
  /** Durably marks the Graph call as about to leave. */
  markSending(messageId: string): void;
  /** The uploads are with Meta: their media ids are in `body`. */
  resolveUploads(messageId: string, body: Record<string, unknown>): void;
  /** Back to the queue, not before `notBefore`. */
  reschedule(
    messageId: string,
    change: { notBefore: number; attempts: number; pairLimitHits: number; lastError: string },
  ): void;
  remove(messageId: string): void;
  /** Rows a stop cut in the middle of their Graph call. */
  listSending(): OutboundRow[];
  count(): number;
}

export function createOutboundTable(db: Database.Database): OutboundTable {
  const sql = {
    insert: db.prepare<[string, string, string, string, string | null, number, number]>(`
      INSERT INTO outbound (message_id, phone_number_id, recipient, body_json, uploads_json, state, not_before, enqueued_at)
      VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)`),
    get: db.prepare<[string], Row>('SELECT * FROM outbound WHERE message_id = ?'),
    // A row is its recipient's head when no older row to the same recipient is left.
    dueHeads: db.prepare<[number, string, string, number], Row>(`
      SELECT o.* FROM outbound AS o
      WHERE o.state = 'queued' AND o.not_before <= ?
        AND o.phone_number_id NOT IN (SELECT value FROM json_each(?))
        AND o.message_id NOT IN (SELECT value FROM json_each(?))
        AND NOT EXISTS (
          SELECT 1 FROM outbound AS p
          WHERE p.phone_number_id = o.phone_number_id AND p.recipient = o.recipient AND p.id < o.id)
      ORDER BY o.id LIMIT ?`),
    nextDueAfter: db
      .prepare<[number], number | null>(
        "SELECT min(not_before) FROM outbound WHERE state = 'queued' AND not_before > ?",
      )
      .pluck(),
    markSending: db.prepare<[string]>(
      "UPDATE outbound SET state = 'sending', attempts = attempts + 1 WHERE message_id = ?",
    ),
    resolveUploads: db.prepare<[string, string]>(
      'UPDATE outbound SET body_json = ?, uploads_json = NULL WHERE message_id = ?',
    ),
    reschedule: db.prepare<[number, number, number, string, string]>(`
      UPDATE outbound SET state = 'queued', not_before = ?, attempts = ?, pair_limit_hits = ?, last_error = ?
      WHERE message_id = ?`),
    remove: db.prepare<[string]>('DELETE FROM outbound WHERE message_id = ?'),
    sending: db.prepare<[], Row>("SELECT * FROM outbound WHERE state = 'sending' ORDER BY id"),
    count: db.prepare<[], number>('SELECT count(*) FROM outbound').pluck(),
  };

  return {
    insert(row, at) {
      sql.insert.run(
        row.messageId,
        row.phoneNumberId,
        row.recipient,
        JSON.stringify(row.body),
        row.uploads.length === 0 ? null : JSON.stringify(row.uploads),
        at,
        at,
      );
    },
    get(messageId) {
      const row = sql.get.get(messageId);
      return row === undefined ? null : toOutboundRow(row);
    },
    dueHeads(now, limit, skip) {
      return sql.dueHeads
        .all(now, JSON.stringify(skip.phoneNumberIds), JSON.stringify(skip.messageIds), limit)
        .map(toOutboundRow);
    },
    nextDueAfter: (now) => sql.nextDueAfter.get(now) ?? null,
    markSending(messageId) {
      sql.markSending.run(messageId);
    },
    resolveUploads(messageId, body) {
      sql.resolveUploads.run(JSON.stringify(body), messageId);
    },
    reschedule(messageId, change) {
      sql.reschedule.run(
        change.notBefore,
        change.attempts,
        change.pairLimitHits,
        change.lastError,
        messageId,
      );
    },
    remove(messageId) {
      sql.remove.run(messageId);
    },
    listSending: () => sql.sending.all().map(toOutboundRow),
    count: () => sql.count.get()!,
  };
}
