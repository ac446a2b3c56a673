// The outbound queue: every message a command created, waiting for (or in the middle of) its one
// Graph call. A row leaves the table in the transaction that settles its message, so whatever is
// left at a start is either still to send (`queued`) or was cut mid-call (`sending`: never resent).
import type { Migration } from '../migrate.ts';

export const outboundSchema: Migration = {
  version: 5,
  name: 'outbound',
  sql: `
    CREATE TABLE outbound (
      -- Enqueue order: the sends to one recipient leave in this order, each after Meta answered the previous.
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      -- The message it sends (= the client mutation id), echoed back by Meta as biz_opaque_callback_data.
      message_id TEXT NOT NULL UNIQUE,
      phone_number_id TEXT NOT NULL,
      -- The customer's wa_id.
      recipient TEXT NOT NULL,
      -- Graph message body without messaging_product, recipient_type, to and biz_opaque_callback_data.
      body_json TEXT NOT NULL,
      -- Relay-held uploads still to hand to Meta's media endpoint; NULL once their media ids are in the body.
      uploads_json TEXT,
      -- queued: not sent yet (sent after a restart); sending: the Graph call may have left (unknown after a crash).
      state TEXT NOT NULL CHECK (state IN ('queued', 'sending')),
      -- Graph calls made for it (retried only when Meta documents that it did not take the send).
      attempts INTEGER NOT NULL DEFAULT 0,
      -- Consecutive 131056 (pair rate limit) answers: the recipient waits 4^n seconds.
      pair_limit_hits INTEGER NOT NULL DEFAULT 0,
      -- Relay clock (ms) before which it is not tried (backoff).
      not_before INTEGER NOT NULL,
      last_error TEXT,
      enqueued_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX outbound_by_recipient ON outbound (phone_number_id, recipient, id);
  `,
};
