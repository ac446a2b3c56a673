// Agents that can be revoked and whose visibility can change while the relay runs, and the log's
// horizon: how far the event log has been pruned (a console whose cursor is older rebuilds).
import type { Migration } from '../migrate.ts';

export const agentsHorizonSchema: Migration = {
  version: 4,
  name: 'agents-horizon',
  sql: `
    -- NULL while the token is valid; the time it was revoked afterwards (the row stays for the record).
    ALTER TABLE agents ADD COLUMN revoked_at INTEGER;
    -- Bumped on every visibility change (numbers, role): a console cache of another epoch is rebuilt.
    ALTER TABLE agents ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE agents ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
    UPDATE agents SET updated_at = created_at;

    -- One row: every event with seq <= pruned_through_seq has been pruned from the log.
    CREATE TABLE log_horizon (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      pruned_through_seq INTEGER NOT NULL,
      pruned_at INTEGER NOT NULL
    ) STRICT;
    INSERT INTO log_horizon (id, pruned_through_seq, pruned_at) VALUES (1, 0, 0);
  `,
};
